"""The start page's "Väntar på dig": every thing to do with its reason, its date and a link to
where the user acts, the most urgent first (late before due before undated), in a fixed number of
queries, and nothing of another municipality."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.enums import CaseState
from applications.models import Case
from applications.selectors import waiting_items
from applications.services.content import create_case
from demo.walk import walk_to
from reporting import services
from tests.reporting.conftest import STOCKHOLM, running  # noqa: F401 - the running project fixture


def at(time_machine, day):
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(10), tzinfo=STOCKHOLM))


def sundsvall_project(running):  # noqa: F811 - the fixture, by name
    case, users = running("sundsvall")
    services.generate_obligations(case)
    return Case.objects.get(pk=case.pk), users


def another_project(users, like):
    """A second running project of the same applicant, dated like ``like``."""
    case = walk_to(create_case(users["applicant"], title="Läxhjälp"), CaseState.RUNNING, users)
    Case.objects.filter(pk=case.pk).update(period_start=like.period_start, period_end=like.period_end)
    services.generate_obligations(case)
    return case


def start_page(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("start")).content.decode()
    return html, len(queries)


def test_late_reports_come_first_with_how_late_then_what_has_no_date(client, running, time_machine):  # noqa: F811
    project, users = sundsvall_project(running)
    draft = create_case(users["applicant"], title="Ett utkast")
    at(time_machine, datetime.date(2027, 9, 10))

    items = waiting_items(users["applicant"])
    html, _queries = start_page(client, users["applicant"])

    assert [(item.case.pk, item.waiting.kind, item.waiting.overdue_days) for item in items] == [
        (project.pk, "report", 102),
        (project.pk, "report", 10),
        (draft.pk, "case", 0),
    ]
    assert html.index("senast 2027-05-31") < html.index("senast 2027-08-31") < html.index("Idén är inte inlämnad.")
    assert "försenad 102 dagar" in html
    assert f'href="{items[0].url}"' in html
    assert items[0].url.startswith(f"/arenden/{project.pk}/rapporter/")


def test_a_report_due_soon_comes_before_what_has_no_date_and_one_due_later_after(running, time_machine):  # noqa: F811
    project, users = sundsvall_project(running)
    draft = create_case(users["applicant"], title="Ett utkast")

    at(time_machine, datetime.date(2027, 5, 20))  # due in 11 days
    soon = [(item.case.pk, item.waiting.kind) for item in waiting_items(users["applicant"])]
    at(time_machine, datetime.date(2027, 5, 10))  # due in 21 days
    later = [(item.case.pk, item.waiting.kind) for item in waiting_items(users["applicant"])]

    assert soon == [(project.pk, "report"), (draft.pk, "case")]
    assert later == [(draft.pk, "case"), (project.pk, "report")]


def test_start_page_queries_do_not_grow_with_the_things_waiting(client, running, time_machine):  # noqa: F811
    project, users = sundsvall_project(running)
    at(time_machine, datetime.date(2028, 7, 1))
    html_one, one = start_page(client, users["applicant"])
    at(time_machine, datetime.date(2027, 2, 15))
    for _ in range(3):
        another_project(users, project)
    at(time_machine, datetime.date(2028, 7, 1))

    html_four, four = start_page(client, users["applicant"])

    assert (html_one.count("försenad 397 dagar"), html_four.count("försenad 397 dagar")) == (1, 4)
    assert four == one


def test_another_municipalitys_people_see_nothing_of_it(client, running, people, time_machine):  # noqa: F811
    _project, _users = sundsvall_project(running)
    at(time_machine, datetime.date(2028, 7, 1))
    elsewhere = people("ystad")

    for role in ("applicant", "preparer", "decision_body", "board"):
        assert waiting_items(elsewhere[role]) == []
    html, _queries = start_page(client, elsewhere["applicant"])
    assert "Inga ärenden väntar på dig just nu." in html
