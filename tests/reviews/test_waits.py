"""An assigned review waits for its reviewer until handed in; nobody else."""

from applications.enums import CaseState as S
from applications.selectors import waiting_items
from demo.walk import walk_to
from reviews.services import assign_reviewer, save_review

from .conftest import all_yes, staff


def reviews_waiting(user):
    return [
        (item.case.pk, item.waiting.reason, item.url) for item in waiting_items(user) if item.waiting.kind == "review"
    ]


def test_assigned_review_waits_for_the_reviewer_until_handed_in(case_in):
    case, users = case_in("sundsvall", S.IN_PREPARATION)
    reviewer, colleague = staff(case.municipality, 2)

    assignment = assign_reviewer(case, users["preparer"], reviewer)

    assert reviews_waiting(reviewer) == [
        (case.pk, "Bedömning att göra: beredning.", f"/arenden/{case.pk}/#bedomningar")
    ]
    assert reviews_waiting(colleague) == []
    assert reviews_waiting(users["preparer"]) == []
    save_review(assignment, reviewer, answers=all_yes(case), submit=True)
    assert reviews_waiting(reviewer) == []


def test_review_of_a_decided_case_waits_no_more(case_in):
    case, users = case_in("sundsvall", S.IN_PREPARATION)
    (reviewer,) = staff(case.municipality, 1)
    assign_reviewer(case, users["preparer"], reviewer)

    walk_to(case, S.GRANTED, users)

    assert reviews_waiting(reviewer) == []
