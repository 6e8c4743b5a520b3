"""The controller's dashboard: who sees it, for which municipality, what it counts, and that its
queries do not grow with the cases and the ledger."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.enums import Role
from applications.enums import CaseState as S
from applications.models import Case, CaseCost
from core.formatting import format_kronor
from funds import services as funds
from municipalities.models import Municipality
from municipalities.rulebook.enums import ObligationKind
from reporting.models import ObligationStatus, ReportingObligation

URL = reverse("dashboards:dashboard")


def make_case(municipality, applicant, state, index, cost=Decimal("500000")):
    case = Case.objects.create(
        municipality=municipality,
        ruleset_version=municipality.active_ruleset,
        number=f"{municipality.slug[:3].upper()} 2026/{index}",
        title=f"Insats {index}",
        created_by=applicant,
        state=state,
    )
    CaseCost.objects.create(case=case, year=2026, amount=cost)
    return case


def owe(case, due_date, name="Lägesrapport", status=ObligationStatus.OPEN):
    start = due_date - datetime.timedelta(days=180)
    return ReportingObligation.objects.create(
        case=case,
        kind=ObligationKind.PROGRESS,
        name=name,
        period_start=start,
        period_end=due_date,
        due_date=due_date,
        status=status,
    )


@pytest.fixture
def sundsvall(member):
    municipality = Municipality.objects.get(slug="sundsvall")
    controller = member("sundsvall", Role.CONTROLLER)
    applicant = member("sundsvall", Role.APPLICANT)
    return municipality, controller, applicant


def test_dashboard_refuses_an_applicant(client, sundsvall):
    _municipality, _controller, applicant = sundsvall
    client.force_login(applicant)

    response = client.get(URL)

    assert response.status_code == 403


def test_dashboard_requires_login(client, sundsvall):
    response = client.get(URL)

    assert response.status_code == 302


@pytest.mark.parametrize(
    "role", [Role.CONTROLLER, Role.PREPARER, Role.MANAGEMENT, Role.DECISION_BODY, Role.MUNICIPAL_ADMIN]
)
def test_dashboard_opens_for_the_municipalitys_staff(client, member, role):
    client.force_login(member("sundsvall", role))

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["board"].municipality.slug == "sundsvall"


def test_dashboard_of_another_municipality_is_not_found_for_municipal_staff(client, sundsvall, member):
    _municipality, controller, _applicant = sundsvall
    client.force_login(controller)

    response = client.get(URL, {"kommun": "ystad"})

    assert response.status_code == 404


def test_dashboard_counts_only_the_users_municipality(client, sundsvall, member):
    municipality, controller, applicant = sundsvall
    make_case(municipality, applicant, S.RUNNING, 1)
    ystad = Municipality.objects.get(slug="ystad")
    make_case(ystad, member("ystad", Role.APPLICANT), S.RUNNING, 2)
    client.force_login(controller)

    board = client.get(URL).context["board"]

    assert {key: count for key, _label, count in board.funnel}["running"] == 1
    assert board.project_count == 1


def test_system_admin_picks_a_municipality(client, sundsvall, admin_user):
    municipality, _controller, applicant = sundsvall
    make_case(municipality, applicant, S.SUBMITTED, 1)
    client.force_login(admin_user)

    picker = client.get(URL)
    response = client.get(URL, {"kommun": "sundsvall"})

    assert picker.status_code == 200
    assert "?kommun=sundsvall" in picker.content.decode()
    assert response.context["board"].municipality == municipality
    assert {key: count for key, _label, count in response.context["board"].funnel}["application"] == 1


def test_system_admin_asking_for_an_unknown_municipality_gets_404(client, sundsvall, admin_user):
    client.force_login(admin_user)

    response = client.get(URL, {"kommun": "atlantis"})

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"ar": "abc"}, "Året ska anges med fyra siffror, till exempel 2026."),
        ({"ar": "1800"}, "2000"),
        ({"kommun": "inte en slug!"}, "Kommunen anges med sin kortform i adressen, till exempel sundsvall."),
    ],
)
def test_dashboard_answers_nonsense_filters_with_400_and_a_reason(client, sundsvall, params, reason):
    _municipality, controller, _applicant = sundsvall
    client.force_login(controller)

    response = client.get(URL, params)

    assert response.status_code == 400
    assert reason in response.content.decode()


def test_dashboard_funnel_counts_cases_per_stage(client, sundsvall):
    municipality, controller, applicant = sundsvall
    states = [S.IDEA_SUBMITTED, S.SUBMITTED, S.RESUBMITTED, S.IN_PREPARATION, S.GRANTED, S.RUNNING, S.REJECTED]
    for index, state in enumerate(states):
        make_case(municipality, applicant, state, index)
    client.force_login(controller)

    board = client.get(URL).context["board"]

    assert [(key, count) for key, _label, count in board.funnel] == [
        ("idea", 1),
        ("application", 2),
        ("preparation", 1),
        ("granted", 1),
        ("running", 1),
        ("follow_up", 0),
        ("implementation", 0),
        ("ended", 1),
    ]


def test_dashboard_shows_sizes_and_says_plainly_what_is_not_registered(client, sundsvall):
    municipality, controller, applicant = sundsvall
    make_case(municipality, applicant, S.RUNNING, 1, cost=Decimal("400000"))
    make_case(municipality, applicant, S.RUNNING, 2, cost=Decimal("2500000"))
    make_case(municipality, applicant, S.SUBMITTED, 3, cost=Decimal("9000000"))  # not a project
    client.force_login(controller)

    response = client.get(URL)
    page = response.content.decode()

    assert [count for _label, count in response.context["board"].sizes] == [1, 1, 0]
    assert 'id="sizes-chart"' in page
    assert "Fonden registrerar inte deltagarnas kön" in page
    assert "Fonden registrerar inte om en metod är evidensbaserad eller oprövad" in page
    assert "2 projekt har ingen sparad kalkyl" in page


def test_dashboard_lists_overdue_reports(client, sundsvall, time_machine):
    time_machine.move_to("2027-03-01 10:00 +01:00")
    municipality, controller, applicant = sundsvall
    case = make_case(municipality, applicant, S.RUNNING, 1)
    owe(case, datetime.date(2027, 1, 15))
    owe(case, datetime.date(2026, 6, 15), status=ObligationStatus.ACCEPTED)
    owe(case, datetime.date(2027, 9, 15))
    client.force_login(controller)

    response = client.get(URL)

    board = response.context["board"]
    assert board.overdue_count == 1
    assert [o.due_date for o in board.overdue] == [datetime.date(2027, 1, 15)]
    assert [count for _label, count in board.overdue_bands] == [0, 1, 0]
    assert 'id="overdue-chart"' in response.content.decode()


def test_dashboard_key_figures_follow_the_chosen_year(client, sundsvall):
    municipality, controller, _applicant = sundsvall
    fund = funds.create_fund(controller, municipality)
    funds.record_reservation(fund, controller, amount=Decimal("20000000"), year=2026, basis="KF")
    funds.record_appropriation(fund, controller, amount=Decimal("6000000"), year=2027, basis="MRP")
    client.force_login(controller)

    response = client.get(URL, {"ar": "2027"})
    page = response.content.decode()

    assert response.context["board"].year_balance.appropriated == Decimal("6000000")
    assert 'id="fund-chart"' in page
    assert 'id="commitments-chart"' in page
    assert format_kronor(Decimal("6000000")) in page


def fill(municipality, fund, controller, applicant, count, start):
    for index in range(start, start + count):
        case = make_case(municipality, applicant, S.RUNNING if index % 2 else S.SUBMITTED, index)
        owe(case, datetime.date(2020, 1, 1))
        funds.record_reservation(fund, controller, amount=Decimal(1000 + index), year=2026 + index % 3, basis="KF")


def test_dashboard_queries_do_not_grow_with_cases_and_ledger(client, sundsvall, django_assert_num_queries):
    municipality, controller, applicant = sundsvall
    fund = funds.create_fund(controller, municipality)
    fill(municipality, fund, controller, applicant, 2, 0)
    client.force_login(controller)
    with django_assert_num_queries(19) as few:
        client.get(URL)
    fill(municipality, fund, controller, applicant, 30, 2)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL)

    assert response.context["board"].project_count == 16
    assert response.context["board"].overdue_count == 16
