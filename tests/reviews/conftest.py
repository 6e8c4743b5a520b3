import pytest

from accounts.enums import Role
from demo.walk import walk_to
from reviews.services import assign_reviewer, save_review
from tests.applications.conftest import new_case, organisation, people, rulesets, shipped_documents  # noqa: F401
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _inside_an_application_window(time_machine):
    """Norrköping takes applications only in its windows; walk the cases on a day inside one."""
    time_machine.move_to("2026-09-15 10:00 +02:00")


@pytest.fixture
def case_in(new_case):  # noqa: F811 - the fixture imported above
    """A case of the municipality walked to ``state`` by the people its rule set names."""

    def build(slug, state, title="Tidiga insatser för unga"):
        case, users = new_case(slug, title=title)
        return walk_to(case, state, users), users

    return build


def staff(municipality, count, role=Role.MANAGEMENT):
    return [UserFactory(municipality=municipality, roles=[role]) for _ in range(count)]


def submitted_reviews(case, preparer, reviewers, answers, comment=""):
    """Assign each reviewer and submit ``answers`` (a dict, or a list with one dict per reviewer)."""
    assignments = []
    for index, reviewer in enumerate(reviewers):
        assignment = assign_reviewer(case, preparer, reviewer)
        given = answers[index] if isinstance(answers, list) else answers
        save_review(assignment, reviewer, answers=given, comment=comment, submit=True)
        assignments.append(assignment)
    return assignments


def all_yes(case, stage="preparation", score=4):

    return {c.key: (score if c.is_score else True) for c in case.rules.review.criteria_for(stage)}
