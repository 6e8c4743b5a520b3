"""The deadline calendar: the dates that concern each person, in their municipality only, by month;
and its iCal feed at a secret address that can be renewed (the old one then answers 404)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from accounts.enums import Role
from accounts.models import User
from applications.enums import CaseState as S
from applications.models import Case, DecisionRound
from audit.models import AuditEntry
from consultations.models import Consultation
from dashboards.calendar import calendar_entries
from dashboards.models import CalendarFeed
from municipalities.models import Municipality, OrganisationalUnit
from municipalities.rulebook.enums import ObligationKind
from projects.models import ProjectMember
from reporting.models import ObligationStatus, ReportingObligation

TODAY = datetime.date(2026, 9, 15)
PAGE = reverse("calendar:calendar")


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


def make_case(slug, applicant, state, title="Insats", **fields):
    municipality = Municipality.objects.get(slug=slug)
    return Case.objects.create(
        municipality=municipality,
        ruleset_version=municipality.active_ruleset,
        number=f"{slug[:3].upper()} 2026/{Case.objects.count() + 1}",
        title=title,
        created_by=applicant,
        state=state,
        **fields,
    )


def owe(case, due_date, name="Lägesrapport", receiver_role="", status=ObligationStatus.OPEN):
    return ReportingObligation.objects.create(
        case=case,
        kind=ObligationKind.PROGRESS,
        name=name,
        period_start=due_date - datetime.timedelta(days=90),
        period_end=due_date,
        due_date=due_date,
        receiver_role=receiver_role,
        status=status,
    )


def project(slug, manager, title="Insats", dues=(datetime.date(2026, 8, 31), datetime.date(2026, 11, 30))):
    case = make_case(slug, manager, S.RUNNING, title=title)
    ProjectMember.objects.create(case=case, role="manager", user=manager)
    for due in dues:
        owe(case, due)
    return case


def seen(user, kind=None):
    user = User.objects.get(pk=user.pk)
    return [(e.date, e.kind, e.title, e.late) for e in calendar_entries(user) if kind is None or e.kind == kind]


# ---- What concerns whom --------------------------------------------------------------------------


def test_project_manager_sees_the_reports_due_and_what_is_late(member):
    manager = member("sundsvall", Role.APPLICANT)
    project("sundsvall", manager, title="Fältare")
    owe(project("sundsvall", member("sundsvall", Role.APPLICANT), title="Någon annans"), datetime.date(2026, 10, 1))

    assert seen(manager) == [
        (datetime.date(2026, 8, 31), "report", "Lägesrapport ska lämnas: Fältare", True),
        (datetime.date(2026, 11, 30), "report", "Lägesrapport ska lämnas: Fältare", False),
    ]


def test_receiver_of_reports_sees_them_coming_in_and_others_do_not(member):
    manager = member("sundsvall", Role.APPLICANT)
    case = project("sundsvall", manager, title="Fältare", dues=())
    owe(case, datetime.date(2026, 12, 31), receiver_role=Role.DECISION_BODY)
    owe(case, datetime.date(2027, 1, 31), status=ObligationStatus.ACCEPTED)

    assert seen(member("sundsvall", Role.DECISION_BODY)) == [
        (datetime.date(2026, 12, 31), "report", "Lägesrapport väntas in: Fältare", False)
    ]
    assert seen(member("sundsvall", Role.CONTROLLER)) == []


def test_remiss_deadline_for_the_namnd_and_the_preparer_who_sent_it(member):
    preparer = member("ystad", Role.PREPARER)
    case = make_case("ystad", member("ystad", Role.APPLICANT), S.IN_PREPARATION, title="Läxhjälp")
    namnd = OrganisationalUnit.objects.create(municipality=case.municipality, name="Socialnämnden", kind="namnd")
    other = OrganisationalUnit.objects.create(municipality=case.municipality, name="Kulturnämnden", kind="namnd")
    Consultation.objects.create(
        case=case, unit=namnd, question="Synpunkter?", deadline=datetime.date(2026, 10, 15), requested_by=preparer
    )

    assert seen(member("ystad", Role.BOARD, unit=namnd)) == [
        (datetime.date(2026, 10, 15), "consultation", "Remissvar från Socialnämnden: Läxhjälp", False)
    ]
    assert seen(preparer) == [
        (datetime.date(2026, 10, 15), "consultation", "Remissvar väntas från Socialnämnden: Läxhjälp", False)
    ]
    assert seen(member("ystad", Role.BOARD, unit=other)) == []


def test_application_windows_of_the_rule_set_in_force_within_the_coming_year(member):
    entries = [(e.date, e.end, e.title) for e in calendar_entries(member("norrkoping", Role.APPLICANT))]

    assert entries == [
        (datetime.date(2026, 9, 1), datetime.date(2026, 10, 31), "Höstens ansökningsperiod"),
        (datetime.date(2027, 2, 1), datetime.date(2027, 3, 31), "Vårens ansökningsperiod"),
    ]


def test_decision_rounds_for_staff_and_for_the_applicants_whose_case_is_up(member):
    ystad = Municipality.objects.get(slug="ystad")
    spring = DecisionRound.objects.create(municipality=ystad, name="Vårens beslutstillfälle", meeting_date="2027-03-15")
    DecisionRound.objects.create(municipality=ystad, name="Höstens", meeting_date="2027-09-15")  # after a year
    applicant, outsider = member("ystad", Role.APPLICANT), member("ystad", Role.APPLICANT)
    make_case("ystad", applicant, S.SUBMITTED, decision_round=spring)
    meeting = (datetime.date(2027, 3, 15), "meeting", "Beslutstillfälle: Vårens beslutstillfälle", False)

    assert seen(member("ystad", Role.DECISION_BODY)) == [meeting]
    assert seen(applicant) == [meeting]
    assert seen(outsider) == []


def test_ale_feedback_deadline_for_the_group_that_owes_it_and_the_applicant(member):
    applicant = member("ale", Role.APPLICANT)
    received = datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC)
    make_case("ale", applicant, S.SUBMITTED, title="Läxhjälp", submitted_at=received)

    assert seen(member("ale", Role.PREPARER)) == [
        (datetime.date(2026, 10, 1), "feedback", "Besked ska ges: Läxhjälp", False)
    ]
    assert seen(applicant) == [(datetime.date(2026, 10, 1), "feedback", "Besked utlovat: Läxhjälp", False)]
    assert seen(member("ale", Role.CONTROLLER)) == []


def test_another_municipalitys_dates_never_show(member):
    manager = member("sundsvall", Role.APPLICANT)
    project("sundsvall", manager)
    ystad = Municipality.objects.get(slug="ystad")
    DecisionRound.objects.create(municipality=ystad, name="Vårens", meeting_date="2027-03-15")

    for role in (Role.APPLICANT, Role.PREPARER, Role.DECISION_BODY, Role.CONTROLLER, Role.MUNICIPAL_ADMIN):
        assert seen(member("heby", role)) == []
    assert [kind for _d, kind, _t, _l in seen(manager)] == ["report", "report"]


# ---- The page ------------------------------------------------------------------------------------


def page(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE)
    return response, len(queries)


def test_page_lists_the_dates_by_month_with_late_ones_marked(client, member):
    manager = member("sundsvall", Role.APPLICANT)
    case = project("sundsvall", manager, title="Fältare")

    response, _queries = page(client, manager)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Augusti 2026") < html.index("November 2026")
    assert "försenad 15 dagar" in html
    first = case.reporting_obligations.order_by("due_date").first()
    assert f'href="{reverse("reporting:report", args=[case.pk, first.pk])}"' in html


def test_page_queries_do_not_grow_with_the_dates(client, member):
    manager = member("sundsvall", Role.APPLICANT)
    project("sundsvall", manager)
    page(client, manager)  # the first request reads what Django caches per process (content types)
    _response, one = page(client, manager)
    for index in range(3):
        project("sundsvall", manager, title=f"Insats {index}")

    response, four = page(client, manager)

    assert response.content.decode().count("Lägesrapport ska lämnas") == 8
    assert four == one


def test_system_admin_without_a_municipality_has_no_dates(client, admin_user, member):
    project("sundsvall", member("sundsvall", Role.APPLICANT))

    response, _queries = page(client, admin_user)

    assert "Du hör inte till någon kommun." in response.content.decode()
    assert calendar_entries(admin_user) == []


def test_calendar_needs_a_login(client):
    assert client.get(PAGE).status_code == 302


# ---- The iCal feed -------------------------------------------------------------------------------


def subscribe(client, user):
    """Make (or renew) the user's feed address through the page; returns the address shown once."""
    client.force_login(user)
    response = client.post(reverse("calendar:renew"), follow=True)
    address = response.context["feed_url"]
    assert address.startswith("http://testserver/kalender/ical/")
    client.logout()
    return address


def test_feed_is_icalendar_of_the_users_dates_without_login(client, member):
    manager = member("sundsvall", Role.APPLICANT)
    project("sundsvall", manager, title="Fältare")
    project("ystad", member("ystad", Role.APPLICANT), title="Ystads insats")
    address = subscribe(client, manager)

    response = client.get(address)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [(str(e["summary"]), e.decoded("dtstart")) for e in events] == [
        ("Rapport: Lägesrapport ska lämnas: Fältare (försenad)", datetime.date(2026, 8, 31)),
        ("Rapport: Lägesrapport ska lämnas: Fältare", datetime.date(2026, 11, 30)),
    ]
    assert str(events[0]["url"]).startswith("http://testserver/arenden/")
    assert len({str(e["uid"]) for e in events}) == 2


def test_feed_with_an_unknown_address_is_not_found(client, member):
    subscribe(client, member("sundsvall", Role.APPLICANT))

    assert client.get(reverse("calendar:feed", args=["gissat-" + "x" * 40])).status_code == 404


def test_renewing_makes_a_new_address_and_the_old_one_is_not_found(client, member):
    user = member("sundsvall", Role.APPLICANT)
    old = subscribe(client, user)

    new = subscribe(client, user)

    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert CalendarFeed.objects.filter(user=user).count() == 1
    assert [e.data for e in AuditEntry.objects.for_object(user).filter(action="calendar.feed_renewed")] == [
        {"renewed": True},
        {"renewed": False},
    ]


def test_only_the_hash_of_the_address_is_stored(client, member):
    user = member("sundsvall", Role.APPLICANT)
    address = subscribe(client, user)
    secret = address.rsplit("/", 1)[-1].removesuffix(".ics")

    feed = CalendarFeed.objects.get(user=user)

    assert len(secret) >= 40
    assert secret not in feed.key_hash


def test_address_of_a_deactivated_user_is_not_found(client, member):
    user = member("sundsvall", Role.APPLICANT)
    address = subscribe(client, user)
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert client.get(address).status_code == 404


def test_page_shows_the_history_of_the_address(client, member):
    user = member("sundsvall", Role.APPLICANT)
    subscribe(client, user)
    subscribe(client, user)

    response, _queries = page(client, user)

    html = response.content.decode()
    assert "adressen förnyad, den tidigare slutade fungera" in html
    assert "adressen skapad" in html
    assert response.context["feed_url"] == ""  # shown once only
