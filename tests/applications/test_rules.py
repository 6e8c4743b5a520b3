"""The case's permissions (applications/rules.py, registered on the model by
Case.Meta.rules_permissions): granted and refused, with the reason the pages tell."""

import pytest
from django.urls import reverse

from accounts.enums import Role
from accounts.rules import is_staff_member
from applications.conditions import may
from applications.enums import CaseState
from applications.rules import EDIT_CASE, RECORD_BOARD_NOTICE
from demo.walk import walk_to
from tests.factories import UserFactory


@pytest.fixture
def today(time_machine):
    """Within Norrköping's autumn application window."""
    time_machine.move_to("2026-09-15 10:00 +02:00")


def test_the_applicant_of_the_case_may_change_its_draft(new_case):
    case, users = new_case("sundsvall")

    assert users["applicant"].has_perm("applications.change_case", case)
    assert EDIT_CASE.check(users["applicant"], case) == (True, "")


def test_an_applicant_who_takes_no_part_may_not_change_the_case(new_case):
    case, _users = new_case("sundsvall")
    outsider = UserFactory(municipality=case.municipality, roles=[Role.APPLICANT])

    assert not outsider.has_perm("applications.change_case", case)
    assert EDIT_CASE.check(outsider, case) == (False, "Bara sökande som deltar i ärendet kan ändra det.")


def test_a_preparer_may_not_change_the_application(new_case):
    case, users = new_case("sundsvall")

    assert not users["preparer"].has_perm("applications.change_case", case)


def test_the_applicant_may_not_change_a_submitted_case_and_is_told_its_status(new_case, today):
    case, users = new_case("norrkoping")
    case = walk_to(case, CaseState.SUBMITTED, users)

    assert not users["applicant"].has_perm("applications.change_case", case)
    assert EDIT_CASE.check(users["applicant"], case) == (
        False,
        "Ärendet kan inte ändras när dess status är ”ansökan: inlämnad”.",
    )


def test_the_case_page_offers_editing_exactly_to_whom_may_change_it(client, new_case):
    case, users = new_case("sundsvall")
    edit_url = reverse("applications:edit", args=[case.pk])

    client.force_login(users["applicant"])
    shown_to_applicant = edit_url in client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    client.force_login(users["preparer"])
    shown_to_preparer = edit_url in client.get(reverse("applications:detail", args=[case.pk])).content.decode()

    assert (shown_to_applicant, shown_to_preparer) == (True, False)


def test_an_applicant_may_open_a_case_and_a_preparer_may_not(people):
    users = people("ystad")

    assert users["applicant"].has_perm("applications.add_case")
    assert not users["preparer"].has_perm("applications.add_case")


def test_the_new_case_button_is_shown_to_applicants_only(client, people):
    users = people("ystad")
    create_url = reverse("applications:create")

    client.force_login(users["applicant"])
    for_applicant = create_url in client.get(reverse("applications:list")).content.decode()
    client.force_login(users["controller"])
    for_controller = create_url in client.get(reverse("applications:list")).content.decode()

    assert (for_applicant, for_controller) == (True, False)


def test_who_records_the_board_notice_is_told_why_not(new_case, today):
    case, users = new_case("norrkoping")
    case = walk_to(case, CaseState.SUBMITTED, users)
    other = UserFactory(municipality=case.municipality, roles=[Role.APPLICANT])

    assert users["applicant"].has_perm("applications.record_board_notice_case", case)
    assert not users["controller"].has_perm("applications.record_board_notice_case", case)
    assert RECORD_BOARD_NOTICE.check(other, case) == (
        False,
        "Bara sökande som deltar i ärendet kan registrera att nämnden har informerats.",
    )


def test_the_board_notice_is_refused_where_the_rule_set_does_not_ask_it(new_case):
    case, users = new_case("sundsvall")

    assert RECORD_BOARD_NOTICE.check(users["applicant"], case) == (
        False,
        "Regelverket ber inte om att nämnden informeras.",
    )


def test_the_transition_permission_is_the_rules_predicate(new_case, member):
    case, users = new_case("sundsvall")
    submit = may("applicant")
    other_municipality = member("ystad", Role.APPLICANT)

    assert (submit(case, users["applicant"]), submit(case, users["preparer"]), submit(case, other_municipality)) == (
        True,
        False,
        False,
    )


def test_staff_member_is_anyone_with_a_role_besides_applicant(people):
    users = people("ystad")

    assert {role for role, user in users.items() if is_staff_member(user)} == set(Role.values) - {Role.APPLICANT}
