"""The case page's reviews panel and the prioritisation page: query counts that do not grow with
the rows, the money per year, the proposal recorded append-only, and refusals."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.enums import CaseState
from applications.models import Case
from applications.services.content import create_case
from audit.models import AuditEntry
from decisions.models import DecisionKind
from decisions.services import record_decision
from demo.walk import walk_to
from funds import services as funds
from reviews.models import PriorityProposal
from reviews.selectors import months_between
from reviews.services import ReviewRefusedError, assign_reviewer, record_proposal

from .conftest import all_yes, staff, submitted_reviews

pytestmark = pytest.mark.django_db

S = CaseState
NBSP = "\xa0"


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


@pytest.mark.parametrize("viewer", ["preparer", "first_reviewer"])
def test_case_page_makes_the_same_number_of_queries_with_2_and_20_reviews(client, case_in, viewer):
    case, users = case_in("sundsvall", S.IN_PREPARATION)
    reviewers = staff(case.municipality, 20)
    submitted_reviews(case, users["preparer"], reviewers[:2], all_yes(case), comment="Motiverat.")
    client.force_login(users["preparer"] if viewer == "preparer" else reviewers[0])
    url = reverse("applications:detail", args=[case.pk])
    few, html = count_queries(client, url)
    assert html.count("<q>Motiverat.</q>") == 2
    submitted_reviews(case, users["preparer"], reviewers[2:], all_yes(case), comment="Motiverat.")
    many, html = count_queries(client, url)
    assert html.count("<q>Motiverat.</q>") == 20
    assert many == few


def ready_cases(users, count, start=0):
    cases = []
    for index in range(start, start + count):
        case = walk_to(create_case(users["applicant"], title=f"Insats {index}"), S.READY_FOR_DECISION, users)
        cases.append(case)
    return cases


def test_prioritisation_page_makes_the_same_number_of_queries_with_3_and_30_cases(client, people):
    users = people("heby")
    reviewers = [users["management"], users["board"]]
    url = reverse("reviews:priorities")
    client.force_login(users["preparer"])

    def add(count, start):
        for case in ready_cases(users, count, start):
            # Reviews during the preparation, then back to ready (they may also be written while ready).
            submitted_reviews(case, users["preparer"], reviewers, all_yes(case))

    add(3, 0)
    record_proposal(
        users["preparer"], users["preparer"].municipality, None, ranks={c.pk: i for i, c in enumerate(_ready(), 1)}
    )
    few, html = count_queries(client, url)
    assert html.count("tillstyrks") == 3
    add(27, 3)
    many, html = count_queries(client, url)
    assert html.count("tillstyrks") == 30
    assert many == few


def _ready():
    return list(Case.objects.filter(state=S.READY_FOR_DECISION).order_by("pk"))


@pytest.fixture
def heby_round(people):
    users = people("heby")
    cases = ready_cases(users, 3)
    return users, cases


def heby_fund(users, appropriations):
    """Heby's money is set aside in the yearly budget: appropriations are the fund."""
    controller = users["controller"]
    fund = funds.create_fund(controller, controller.municipality)
    for year, amount in appropriations.items():
        funds.record_appropriation(fund, controller, amount=Decimal(amount), year=year, basis=f"KF budget {year}")
    return fund


def test_page_totals_asked_per_year_against_the_funds_ledger(client, heby_round):
    users, _cases = heby_round
    fund = heby_fund(users, {2026: 1_000_000, 2027: 1_000_000, 2028: "1250000.50"})
    granted = walk_to(create_case(users["applicant"], title="Beviljad"), S.READY_FOR_DECISION, users)
    record_decision(  # a lower grant, all of it in 2027
        users["decision_body"],
        cases=[granted],
        kind=DecisionKind.GRANT_LOWER,
        meeting_date=datetime.date.today(),
        paragraph=1,
        reason="Beviljas till en del.",
        amounts={granted.pk: (Decimal("250000.25"), {2027: Decimal("250000.25")})},
    )
    client.force_login(users["controller"])

    html = client.get(reverse("reviews:priorities")).content.decode()

    # Each case asks 500 000 kr a year from November 2026 for 24 months (2026, 2027, 2028).
    assert f"Tillgängliga medel enligt fondens huvudbok den {datetime.date.today():%Y-%m-%d}: " in html
    assert f"3{NBSP}000{NBSP}000,25{NBSP}kr." in html  # 3 250 000,50 appropriated less 250 000,25 committed
    assert reverse("funds:detail", args=[fund.municipality.slug]) in html
    assert f"underskott −500{NBSP}000{NBSP}kr" in html  # 2026
    assert f"underskott −750{NBSP}000,25{NBSP}kr" in html  # 2027: 749 999,75 left
    assert f"underskott −249{NBSP}999,50{NBSP}kr" in html  # 2028
    assert f"underskott −1{NBSP}499{NBSP}999,75{NBSP}kr" in html  # all years
    assert html.count("24 mån") == 3
    assert "Spara medel för året" not in html  # no figure typed in beside the ledger


def test_what_fits_is_taken_in_the_proposed_order_from_the_ledger(heby_round):
    from reviews.selectors import priority_board

    users, _cases = heby_round
    municipality = users["preparer"].municipality
    heby_fund(users, dict.fromkeys((2026, 2027, 2028), 1_000_000))
    board = priority_board(users["preparer"], municipality, None)
    assert [row.fits for row in board.rows] == [True, True, False]
    assert [(y.year, y.asked, y.available, y.balance) for y in board.years] == [
        (2026, Decimal("1500000.00"), Decimal("1000000.00"), Decimal("-500000.00")),
        (2027, Decimal("1500000.00"), Decimal("1000000.00"), Decimal("-500000.00")),
        (2028, Decimal("1500000.00"), Decimal("1000000.00"), Decimal("-500000.00")),
    ]
    assert (board.total.asked, board.total.available) == (Decimal("4500000.00"), Decimal("3000000.00"))


def test_without_a_fund_nothing_is_marked_as_fitting(client, heby_round):
    users, _cases = heby_round
    client.force_login(users["preparer"])

    response = client.get(reverse("reviews:priorities"))

    assert [row.fits for row in response.context["board"].rows] == [None, None, None]
    assert "Kommunen har ingen fond inrättad ännu" in response.content.decode()


def test_a_fund_without_yearly_appropriations_is_one_sum_for_all_years(people):
    from reviews.selectors import priority_board

    users = people("norrkoping")
    ready_cases(users, 3)
    controller = users["controller"]
    fund = funds.create_fund(controller, controller.municipality)
    funds.record_reservation(fund, controller, amount=Decimal("3000000.00"), year=2026, basis="KF § 1")

    board = priority_board(users["preparer"], controller.municipality, None)

    assert [row.fits for row in board.rows] == [True, True, False]
    assert {y.available for y in board.years} == {None}
    assert board.total.available == Decimal("3000000.00")


def test_prioritisation_page_makes_the_same_number_of_queries_with_a_short_and_a_long_ledger(client, heby_round):
    users, _cases = heby_round
    controller = users["controller"]
    fund = heby_fund(users, {2026: 1_000_000})
    client.force_login(users["preparer"])
    url = reverse("reviews:priorities")
    few, html = count_queries(client, url)
    assert f"1{NBSP}000{NBSP}000{NBSP}kr." in html
    for index in range(30):
        funds.record_appropriation(fund, controller, amount=Decimal(1000 + index), year=2027, basis="KF")

    many, html = count_queries(client, url)

    assert f"1{NBSP}030{NBSP}435{NBSP}kr." in html
    assert many == few


def test_preparer_records_the_order_and_the_page_shows_the_latest_with_history(client, heby_round):
    users, cases = heby_round
    client.force_login(users["preparer"])
    url = reverse("reviews:priorities")
    reverse_order = {f"rank_{case.pk}": str(3 - index) for index, case in enumerate(cases)}
    response = client.post(url, {"action": "proposal", "note": "Störst nytta först.", **reverse_order}, follow=True)
    html = response.content.decode()
    assert "Förslaget är sparat." in html
    proposal = PriorityProposal.objects.get()
    assert proposal.case_ids == [cases[2].pk, cases[1].pk, cases[0].pk]
    assert (proposal.note, proposal.created_by, proposal.decision_round) == (
        "Störst nytta först.",
        users["preparer"],
        None,
    )
    table = html[html.index("Ärendena i föreslagen ordning") :]
    assert table.index("Insats 2") < table.index("Insats 1") < table.index("Insats 0")

    in_order = {f"rank_{case.pk}": str(index + 1) for index, case in enumerate(cases)}
    html = client.post(url, {"action": "proposal", **in_order}, follow=True).content.decode()
    assert PriorityProposal.objects.count() == 2
    assert PriorityProposal.objects.first().case_ids == [case.pk for case in cases]
    assert "(senaste)" in html
    assert html.count("<q>Störst nytta först.</q>") == 1  # the first proposal, kept in the history
    assert AuditEntry.objects.filter(action="priority.proposal").count() == 2


def test_proposal_with_duplicate_ranks_is_refused_and_nothing_stored(client, heby_round):
    users, cases = heby_round
    client.force_login(users["preparer"])
    ranks = {f"rank_{case.pk}": "1" for case in cases}
    html = client.post(reverse("reviews:priorities"), {"action": "proposal", **ranks}, follow=True).content.decode()
    assert "Ge varje ärende en egen plats från 1 till 3, utan luckor eller dubbletter." in html
    assert not PriorityProposal.objects.exists()


def test_proposal_must_cover_exactly_the_ready_cases(heby_round):
    users, cases = heby_round
    with pytest.raises(ReviewRefusedError, match="har ändrats sedan sidan visades"):
        record_proposal(users["preparer"], users["preparer"].municipality, None, ranks={cases[0].pk: 1})
    assert not PriorityProposal.objects.exists()


@pytest.mark.parametrize("role", ["management", "controller", "decision_body"])
def test_only_the_preparing_body_records_a_proposal(client, heby_round, role):
    users, cases = heby_round
    client.force_login(users[role])
    ranks = {f"rank_{case.pk}": str(index + 1) for index, case in enumerate(cases)}
    html = client.post(reverse("reviews:priorities"), {"action": "proposal", **ranks}, follow=True).content.decode()
    assert "kan spara ett prioriteringsförslag." in html
    assert "Spara förslag" not in html
    assert not PriorityProposal.objects.exists()


def test_preparer_of_another_municipality_cannot_record_a_proposal(heby_round, people):
    users, cases = heby_round
    ale = people("ale")
    with pytest.raises(ReviewRefusedError, match="kan spara ett prioriteringsförslag"):
        record_proposal(ale["preparer"], users["preparer"].municipality, None, ranks={cases[0].pk: 1})
    assert not PriorityProposal.objects.exists()


def test_applicant_may_not_see_the_prioritisation(client, heby_round):
    users, _cases = heby_round
    client.force_login(users["applicant"])
    assert client.get(reverse("reviews:priorities")).status_code == 403


def test_ystad_prioritises_per_decision_round(client, people):
    users = people("ystad")
    case = walk_to(create_case(users["applicant"], title="Närvaroteam"), S.READY_FOR_DECISION, users)
    client.force_login(users["preparer"])
    html = client.get(reverse("reviews:round", args=[case.decision_round_id])).content.decode()
    assert "Närvaroteam" in html
    assert "Första beslutstillfället" in html
    assert "Närvaroteam" not in client.get(reverse("reviews:priorities")).content.decode()
    other = people("heby")["preparer"]
    client.force_login(other)
    assert client.get(reverse("reviews:round", args=[case.decision_round_id])).status_code == 404


def test_sundsvall_page_shows_its_portfolio_dimensions_and_scores(client, case_in):
    case, users = case_in("sundsvall", S.IN_PREPARATION)
    submitted_reviews(case, users["preparer"], [users["management"]], all_yes(case, score=5))
    case = walk_to(case, S.READY_FOR_DECISION, users)
    client.force_login(users["preparer"])
    html = client.get(reverse("reviews:priorities")).content.decode()
    for dimension in case.rules.review.portfolio_dimensions:
        assert dimension in html
    assert "100,0" in html  # the weighted total of all 5s


def test_preparer_assigns_through_the_page(client, case_in):
    case, users = case_in("heby", S.IN_PREPARATION)
    client.force_login(users["preparer"])
    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert 'for="reviewer-select">Tilldela bedömare' in html
    response = client.post(reverse("reviews:assign", args=[case.pk]), {"reviewer": users["board"].pk}, follow=True)
    assert f"{users['board']} är tilldelad som bedömare." in response.content.decode()
    assert case.review_assignments.get().reviewer == users["board"]
    client.force_login(users["management"])
    html = client.post(
        reverse("reviews:assign", args=[case.pk]), {"reviewer": users["management"].pk}, follow=True
    ).content.decode()
    assert "kan tilldela bedömare." in html
    assert case.review_assignments.count() == 1


def test_assigned_in_preparation_can_be_reviewed_while_ready_for_decision(case_in):
    case, users = case_in("heby", S.IN_PREPARATION)
    assignment = assign_reviewer(case, users["preparer"], users["management"])
    walk_to(case, S.READY_FOR_DECISION, users)
    from reviews.services import save_review

    review = save_review(assignment, users["management"], answers=all_yes(case), submit=True)
    assert review.submitted_at is not None


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (datetime.date(2026, 8, 1), datetime.date(2028, 7, 31), 24),
        (datetime.date(2026, 8, 15), datetime.date(2027, 8, 14), 12),
        (datetime.date(2026, 8, 15), datetime.date(2027, 8, 13), 11),
        (None, datetime.date(2027, 8, 13), None),
    ],
)
def test_months_between(start, end, months):
    assert months_between(start, end) == months
