"""A running project's "Nästa steg" is its reports: the project manager is waited on for each
report whose period has ended (or that was sent back), the receiver the rule set names for each
one handed in; nobody while no report can be handed in. The lists read it in a fixed number of
queries."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.enums import CaseState
from applications.models import Case
from applications.selectors import Waiting, cases_waiting_for, waiting_for, waiting_on_user
from applications.services.content import create_case
from demo.walk import walk_to
from reporting import selectors, services
from tests.factories import UserFactory

from .conftest import STOCKHOLM

# Ale's running project, 2027-03-01 → 2029-08-31: its first project year ends 2028-02-29.
FIRST_YEAR = "Årlig uppföljning för perioden 2027-03-01 – 2028-02-29"


def ale_running(running):
    """Ale's project as the fixture dates it, its reports planned for those dates."""
    case, users = running("ale")
    services.generate_obligations(case)
    return fresh(case), users


def at(time_machine, day):
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(10), tzinfo=STOCKHOLM))


def fresh(case):
    return Case.objects.get(pk=case.pk)


def first_year(case):
    return case.reporting_obligations.filter(kind="yearly").order_by("due_date").first()


def submit(obligation, user):
    return services.save_report(
        obligation,
        user,
        texts=["Skrivet."] * len(selectors.report_headings(obligation)),
        outcomes=dict.fromkeys(selectors.report_years(obligation), Decimal("100000")),
        submit=True,
    )


def test_running_project_waits_for_nobody_before_a_report_can_be_handed_in(running, time_machine):
    case, _users = ale_running(running)
    at(time_machine, datetime.date(2028, 2, 28))

    assert waiting_for(fresh(case)) == []


def test_report_whose_period_has_ended_waits_for_the_project_manager(running, time_machine):
    case, users = ale_running(running)
    outsider = UserFactory(municipality=case.municipality, roles=["applicant"])
    at(time_machine, datetime.date(2028, 3, 2))

    (waiting,) = waiting_for(fresh(case))

    assert waiting == Waiting("applicant", f"Rapport att lämna: {FIRST_YEAR}, senast 2028-02-29.")
    assert (waiting.people, waiting.who) == ({users["applicant"].pk}, f"Projektledaren {users['applicant']}")
    assert waiting_on_user(fresh(case), users["applicant"]) == [waiting.reason]
    assert waiting_on_user(fresh(case), outsider) == []
    assert waiting_on_user(fresh(case), users["preparer"]) == []


def test_handed_in_report_waits_for_its_receiver(running, time_machine):
    case, users = ale_running(running)
    at(time_machine, datetime.date(2028, 3, 2))

    submit(first_year(case), users["applicant"])

    assert waiting_for(fresh(case)) == [Waiting("preparer", f"Rapport att granska: {FIRST_YEAR}.")]
    assert waiting_on_user(fresh(case), users["applicant"]) == []


def test_report_sent_back_waits_for_the_project_manager_to_complete_it(running, time_machine):
    case, users = ale_running(running)
    at(time_machine, datetime.date(2028, 3, 2))
    submit(first_year(case), users["applicant"])

    services.review_report(first_year(case), users["preparer"], accept=False, comment="Ekonomin saknas.")

    assert waiting_on_user(fresh(case), users["applicant"]) == [f"Rapport att komplettera: {FIRST_YEAR}."]


def test_accepted_report_waits_for_nobody(running, time_machine):
    case, users = ale_running(running)
    at(time_machine, datetime.date(2028, 3, 2))
    submit(first_year(case), users["applicant"])

    services.review_report(first_year(case), users["preparer"], accept=True)

    assert waiting_for(fresh(case)) == []


def test_start_page_list_shows_reports_to_hand_in_in_a_fixed_number_of_queries(running, time_machine):
    case, users = ale_running(running)
    at(time_machine, datetime.date(2028, 3, 2))
    with CaptureQueriesContext(connection) as one:
        listed = cases_waiting_for(users["applicant"])
    at(time_machine, datetime.date(2027, 2, 15))
    second = walk_to(create_case(users["applicant"], title="Läxhjälp"), CaseState.RUNNING, users)
    Case.objects.filter(pk=second.pk).update(period_start=case.period_start, period_end=case.period_end)
    services.generate_obligations(second)
    at(time_machine, datetime.date(2028, 3, 2))

    with CaptureQueriesContext(connection) as two:
        both = cases_waiting_for(users["applicant"])

    assert [(c.pk, reasons) for c, reasons in listed] == [
        (case.pk, [f"Rapport att lämna: {FIRST_YEAR}, senast 2028-02-29."])
    ]
    assert sorted(c.pk for c, _reasons in both) == sorted([case.pk, second.pk])
    assert len(two.captured_queries) == len(one.captured_queries)
