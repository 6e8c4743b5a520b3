"""A project's "Nästa steg" is its reports: its manager and owners are waited on for each report
due within 30 days, whose period has ended, or that was sent back, late ones marked with how late;
the receiver the rule set names for each one handed in; nobody while no report is due. The lists
read it in a fixed number of queries."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from applications.enums import CaseState
from applications.models import Case
from applications.selectors import Waiting, cases_waiting_for, waiting_for, waiting_items, waiting_on_user
from applications.services.content import create_case
from demo.walk import walk_to
from projects.services import set_project_organisation
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


def test_running_project_waits_for_nobody_while_no_report_is_due_within_30_days(running, time_machine):
    case, _users = ale_running(running)
    at(time_machine, datetime.date(2028, 1, 29))  # 31 days before the first report is due

    assert waiting_for(fresh(case)) == []


def test_report_due_within_30_days_waits_for_the_project_manager_before_its_period_ends(running, time_machine):
    case, users = ale_running(running)
    at(time_machine, datetime.date(2028, 1, 30))

    (waiting,) = waiting_for(fresh(case))

    assert waiting == Waiting("applicant", f"Rapport att lämna: {FIRST_YEAR}, senast 2028-02-29.")
    assert (waiting.due, waiting.days_left, waiting.overdue_days) == (datetime.date(2028, 2, 29), 30, 0)
    assert waiting.url == f"/arenden/{case.pk}/rapporter/{first_year(case).pk}/"
    assert waiting_on_user(fresh(case), users["applicant"]) == [waiting.reason]


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


# ---- Overdue reports: the reviewer's project manager with five reports overdue -----------------------


def sundsvall_running(running):
    """Sundsvall's running project, 2027-03-01 → 2029-08-31, a progress report every 3 months."""
    case, users = running("sundsvall")
    services.generate_obligations(case)
    return fresh(case), users


OVERDUE_DUES = ["2027-05-31", "2027-08-31", "2027-11-30", "2028-02-29", "2028-05-31"]


def test_five_overdue_reports_wait_for_the_named_project_manager_oldest_first(running, time_machine):
    # The reviewer: a project manager named in the organisation (not the applicant, of
    # no unit taking part) had five reports overdue and an empty "Väntar på dig": the project was
    # not even visible to them.
    case, users = sundsvall_running(running)
    manager = UserFactory(municipality=case.municipality, roles=["applicant"], full_name="Mia Projektledare")
    set_project_organisation(case, users["applicant"], manager=manager)
    at(time_machine, datetime.date(2028, 7, 1))

    items = waiting_items(User.objects.get(pk=manager.pk))

    assert [(item.case.pk, item.waiting.due.isoformat(), item.waiting.kind) for item in items] == [
        (case.pk, due, "report") for due in OVERDUE_DUES
    ]
    assert [item.waiting.overdue_days for item in items] == [397, 305, 214, 123, 31]
    oldest = case.reporting_obligations.order_by("due_date").first()
    assert items[0].url == reverse("reporting:report", args=[case.pk, oldest.pk])
    # The applicant is no longer its manager: the reports are not theirs to hand in.
    assert waiting_items(users["applicant"]) == []


def test_project_owner_is_waited_on_for_the_reports_too(running, time_machine):
    case, users = sundsvall_running(running)
    owner = UserFactory(municipality=case.municipality, full_name="Olle Förvaltningschef")
    set_project_organisation(case, users["applicant"], manager=users["applicant"], owners=[owner])
    at(time_machine, datetime.date(2027, 6, 1))

    owners_list = waiting_items(User.objects.get(pk=owner.pk))

    assert [(item.case.pk, item.waiting.reason) for item in owners_list] == [
        (case.pk, "Rapport att lämna: Lägesrapport för perioden 2027-03-01 – 2027-05-31, senast 2027-05-31.")
    ]
    assert owners_list[0].waiting.overdue_days == 1


def test_case_page_says_it_waits_for_the_overdue_report_and_how_late(client, running, time_machine):
    case, users = sundsvall_running(running)
    at(time_machine, datetime.date(2027, 6, 11))
    client.force_login(users["preparer"])

    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()

    assert "Ärendet väntar inte på någon" not in html
    assert "Rapport att lämna: Lägesrapport för perioden 2027-03-01 – 2027-05-31, senast 2027-05-31." in html
    assert "försenad 11 dagar" in html


def test_project_with_a_proposed_abort_still_waits_for_its_overdue_report(running, time_machine):
    # Ystad's project reports while an abort is only proposed; its delårsbokslut 2 was due 2027-08-31.
    case, users = running("ystad")
    services.generate_obligations(case)
    at(time_machine, datetime.date(2027, 9, 10))

    case = walk_to(fresh(case), CaseState.ABORT_PROPOSED, users)

    report, *others = waiting_for(fresh(case))
    assert report == Waiting(
        "applicant", "Rapport att lämna: Delårsbokslut 2 för perioden 2027-03-01 – 2027-08-31, senast 2027-08-31."
    )
    assert report.overdue_days == 10
    assert [w.kind for w in others] == ["step"]  # and the proposal's assessment
