"""Each municipality's repayment policy, from its rule set: none (Heby, Ystad), an anchored plan
(Ale), Sundsvall's återföringsmodell, and Norrköping's, for efforts started before 2021 only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.enums import Role
from applications.models import Case
from audit.models import AuditEntry
from core.formatting import format_kronor as fk
from funds import selectors as fund_selectors
from funds import services as funds
from funds.enums import EntryKind
from repayment import services as repayment
from repayment.models import PlanStatus
from repayment.services import PlannedInstallment as Planned
from repayment.services import RepaymentRefusedError
from tests.factories import UserFactory
from tests.funds.conftest import accepted_report, decide, kr, ready, set_up_fund

pytestmark = pytest.mark.django_db
REPAYMENT_ACTIONS = ["case.repayment_plan_drafted", "case.repayment_plan_approved", "case.repaid"]
MONEY = {"reserved": 5_000_000, "appropriations": {2026: 1e6, 2027: 1e6, 2028: 1e6}}


def granted(new_case, slug, **money):
    case, users = ready(new_case, slug)
    fund = set_up_fund(users, **money) if money else None
    decide(case, users)
    return Case.objects.get(pk=case.pk), users, fund


def namnd(case, index=0):
    return list(case.municipality.units.filter(kind="namnd").order_by("name"))[index]


@pytest.mark.parametrize("slug", ["heby", "ystad"])
def test_no_repayment_where_the_rule_set_has_none(new_case, today, slug):
    case, users, _fund = granted(new_case, slug, **MONEY)

    with pytest.raises(RepaymentRefusedError) as refusal:
        repayment.draft_plan(case, users["controller"], installments=[Planned(2029, namnd(case), kr(1))])

    assert str(refusal.value) == "Regelverket har ingen återbetalning till fonden."
    assert repayment.RepaymentPlan.objects.count() == 0


def sektor(case, name="Sektor arbete och omsorg"):
    return case.municipality.units.get(name=name)


def test_ale_offers_its_sektorer_as_payers_those_in_the_case_first(new_case, today):
    case, _users, _fund = granted(new_case, "ale", reserved=5_000_000)
    unit = type(case.applicant_unit)
    unit.objects.create(municipality=case.municipality, name="Kommunstyrelsen", kind="namnd")
    unit.objects.create(municipality=case.municipality, name="Sektor kultur och fritid", kind="sektor")
    taking_part = sorted({case.applicant_unit.name, *(u.name for u in case.units.all())})

    offered = list(repayment.payers(case))

    assert taking_part == ["Sektor arbete och omsorg", "Sektor utbildning"]
    assert [(u.name, u.takes_part) for u in offered] == [
        ("Sektor arbete och omsorg", True),
        ("Sektor utbildning", True),
        ("Sektor kultur och fritid", False),
    ]


def test_ale_applicants_draft_the_plan_the_steering_group_approves_and_it_refills_the_fund(new_case, today):
    case, users, fund = granted(new_case, "ale", reserved=5_000_000)
    work, school = sektor(case), sektor(case, "Sektor utbildning")

    plan = repayment.draft_plan(
        case,
        users["applicant"],
        installments=[Planned(2029, work, kr("200000.50")), Planned(2030, school, kr("99999.50"))],
    )
    with pytest.raises(RepaymentRefusedError, match="godkänner återbetalningsplanen"):
        repayment.approve_plan(plan, users["applicant"])
    with pytest.raises(RepaymentRefusedError, match="godkänner återbetalningsplanen"):
        repayment.approve_plan(plan, users["decision_body"])
    repayment.approve_plan(plan, users["preparer"])
    repayment.record_repayment(plan, users["controller"], year=2029, unit=work, amount=kr("200000.50"))

    plan.refresh_from_db()
    assert (plan.status, plan.approved_by, plan.created_by) == (
        PlanStatus.APPROVED,
        users["preparer"],
        users["applicant"],
    )
    assert (plan.basis, plan.basis_amount, plan.owed) == ("granted", kr(1_500_000), kr(300_000))
    assert [(i.year, i.unit, i.amount) for i in plan.installments.all()] == [
        (2029, work, kr("200000.50")),
        (2030, school, kr("99999.50")),
    ]
    balances = fund_selectors.fund_balances(fund)
    assert (balances.repaid, balances.available) == (kr("200000.50"), kr("3700000.50"))
    assert [e.action for e in AuditEntry.objects.for_object(case).filter(action__in=REPAYMENT_ACTIONS)] == [
        "case.repaid",
        "case.repayment_plan_approved",
        "case.repayment_plan_drafted",
    ]


def test_ale_plan_is_not_approved_twice_nor_changed_after_approval(new_case, today):
    case, users, _fund = granted(new_case, "ale", reserved=5_000_000)
    plan = repayment.draft_plan(case, users["applicant"], installments=[Planned(2029, sektor(case), kr(100_000))])
    repayment.approve_plan(plan, users["preparer"])

    with pytest.raises(RepaymentRefusedError, match=r"^Planen är redan godkänd\.$"):
        repayment.approve_plan(plan, users["preparer"])
    with pytest.raises(RepaymentRefusedError, match=r"^Planen är redan godkänd och kan inte ändras\.$"):
        repayment.draft_plan(case, users["applicant"], installments=[Planned(2029, sektor(case), kr(1))])

    plan.refresh_from_db()
    assert [(i.year, i.amount) for i in plan.installments.all()] == [(2029, kr(100_000))]
    assert AuditEntry.objects.filter(action="case.repayment_plan_approved").count() == 1


def test_plan_approval_reads_in_the_case_history_as_the_plans_status_not_the_cases(client, new_case, today):
    # The plan's "utkast" is not the case's "ansökan: utkast": its statuses are kept apart.
    case, users, _fund = granted(new_case, "ale", reserved=5_000_000)
    plan = repayment.draft_plan(case, users["applicant"], installments=[Planned(2029, sektor(case), kr(100_000))])
    repayment.approve_plan(plan, users["preparer"])
    client.force_login(users["preparer"])

    content = client.get(reverse("applications:detail", args=[case.pk])).content.decode()

    entry = AuditEntry.objects.get(action="case.repayment_plan_approved")
    assert (entry.from_state, entry.to_state) == ("repayment:draft", "repayment:approved")
    assert "<strong>Återbetalningsplan godkänd</strong> (utkast → godkänd)" in content
    assert "ansökan: utkast → approved" not in content


@pytest.mark.parametrize("role", ["preparer", "controller", "decision_body"])
def test_in_ale_only_the_applicants_draft_the_plan(new_case, today, role):
    case, users, _fund = granted(new_case, "ale", reserved=5_000_000)

    with pytest.raises(RepaymentRefusedError) as refusal:
        repayment.draft_plan(case, users[role], installments=[Planned(2029, sektor(case), kr(1000))])

    assert str(refusal.value) == "Bara Sektorer och civilsamhällesaktörer upprättar återbetalningsplanen."
    assert repayment.RepaymentPlan.objects.count() == 0


def test_an_applicant_outside_the_case_cannot_draft_its_plan(new_case, today):
    case, _users, _fund = granted(new_case, "ale", reserved=5_000_000)
    other = UserFactory(municipality=case.municipality, roles=[Role.APPLICANT])  # no part in the case

    with pytest.raises(RepaymentRefusedError, match="Du deltar inte i ärendet"):
        repayment.draft_plan(case, other, installments=[Planned(2029, sektor(case), kr(1000))])

    assert repayment.RepaymentPlan.objects.count() == 0


def test_ale_payer_must_be_a_sektor_of_the_municipality(new_case, today, people):
    case, users, _fund = granted(new_case, "ale", reserved=5_000_000)
    board = type(case.applicant_unit).objects.create(municipality=case.municipality, name="KS", kind="namnd")
    people("sundsvall")
    elsewhere = type(case.applicant_unit).objects.get(name="Socialnämnden")
    foreign_sektor = type(case.applicant_unit).objects.create(
        municipality=elsewhere.municipality, name="Sektor annanstans", kind="sektor"
    )

    with pytest.raises(RepaymentRefusedError) as wrong_kind:
        repayment.draft_plan(case, users["applicant"], installments=[Planned(2029, board, kr(1000))])
    with pytest.raises(RepaymentRefusedError) as wrong_town:
        repayment.draft_plan(case, users["applicant"], installments=[Planned(2029, foreign_sektor, kr(1000))])

    assert str(wrong_kind.value) == "KS kan inte betala tillbaka: enligt regelverket betalar sektor."
    assert (wrong_kind.value.row, wrong_kind.value.row_field) == (0, "unit")
    assert str(wrong_town.value) == "Sektor annanstans hör till en annan kommun."
    assert repayment.RepaymentPlan.objects.count() == 0


def test_ale_plan_runs_over_at_most_ten_years(new_case, today):
    case, users, _fund = granted(new_case, "ale", reserved=5_000_000)
    years = [Planned(2029 + n, sektor(case), kr(10_000)) for n in range(11)]

    with pytest.raises(RepaymentRefusedError) as refusal:
        repayment.draft_plan(case, users["applicant"], installments=years)
    plan = repayment.draft_plan(case, users["applicant"], installments=years[:10])

    assert str(refusal.value) == "Återbetalningen får löpa över högst 10 år; planen har 11."
    assert plan.owed == kr(100_000)


def test_ale_plan_cannot_ask_more_than_was_granted(new_case, today):
    case, users, _fund = granted(new_case, "ale", reserved=5_000_000)

    with pytest.raises(RepaymentRefusedError) as refusal:
        repayment.draft_plan(case, users["applicant"], installments=[Planned(2029, sektor(case), kr("1500000.01"))])

    assert str(refusal.value) == f"Delbetalningarna, {fk('1500000.01')}, är mer än det beviljade, {fk(1_500_000)}."


def test_norrkoping_repays_only_for_efforts_started_before_2021(new_case, today):
    case, users, _fund = granted(new_case, "norrkoping", reserved=5_000_000)
    unit, _created = type(case.applicant_unit).objects.get_or_create(
        municipality=case.municipality, name="Socialnämnden", kind="namnd"
    )

    with pytest.raises(RepaymentRefusedError) as refusal:
        repayment.draft_plan(case, users["preparer"], installments=[Planned(2029, unit, kr(1000))])
    assert str(refusal.value) == "Återföring gäller bara insatser som startade före 2021-01-01."

    Case.objects.filter(pk=case.pk).update(
        period_start=datetime.date(2020, 8, 1), period_end=datetime.date(2022, 7, 31)
    )
    early = Case.objects.get(pk=case.pk)
    plan = repayment.draft_plan(early, users["preparer"], installments=[Planned(2023, unit, kr(500_000))])
    assert plan.installments.get().amount == kr(500_000)


# ---- Sundsvall's återföringsmodell ------------------------------------------------------------------


def sundsvall_spent(new_case, *, paid, frozen=0):
    """A Sundsvall grant of 1 500 000 kr, of which ``paid`` was paid out (and ``frozen`` of that
    was left unspent), the project ending in 2028."""
    case, users, fund = granted(new_case, "sundsvall", **MONEY)
    controller = users["controller"]
    for year, amount in paid.items():
        funds.record_payout(case, controller, amount=kr(amount), year=year, project_number="11-0042")
    if frozen:
        accepted_report(case, {year: amount - (frozen if year == max(paid) else 0) for year, amount in paid.items()})
        funds.record_freeze(case, controller, amount=kr(frozen), year=max(paid))
    return case, users, fund


def test_sundsvall_plan_is_computed_on_the_amount_consumed_not_granted(new_case, today):
    case, users, _fund = sundsvall_spent(new_case, paid={2026: 400_000, 2027: 500_000}, frozen=100_000)
    social, school = namnd(case, 1), namnd(case, 0)

    with pytest.raises(RepaymentRefusedError) as refusal:
        repayment.draft_plan(
            case,
            users["preparer"],
            outcome_measures="Minskade placeringskostnader",
            installments=[Planned(2029, social, kr(1_500_000), "Placeringsdygn")],
        )
    assert str(refusal.value) == (
        f"Planen ska räknas på förbrukat belopp, {fk(800_000)}, men delbetalningarna blir {fk(1_500_000)}."
    )
    plan = repayment.draft_plan(
        case,
        users["preparer"],
        outcome_measures="Minskade placeringskostnader; minskat försörjningsstöd",
        installments=[
            Planned(2029, social, kr(500_000), "Placeringsdygn"),
            Planned(2030, school, kr(300_000), "Elever med särskilt stöd"),
        ],
    )

    assert (plan.basis, plan.basis_amount, plan.owed) == ("consumed", kr(800_000), kr(800_000))


def test_sundsvall_installments_lie_one_to_ten_years_after_the_end_and_name_a_measure(new_case, today):
    case, users, _fund = sundsvall_spent(new_case, paid={2026: 300_000})
    social = namnd(case, 1)

    with pytest.raises(RepaymentRefusedError, match="2039 ligger utanför återbetalningstiden 2029–2038"):
        repayment.draft_plan(
            case, users["preparer"], outcome_measures="x", installments=[Planned(2039, social, kr(300_000), "m")]
        )
    with pytest.raises(RepaymentRefusedError, match="Knyt delbetalningen 2029 till ett utfallsmått"):
        repayment.draft_plan(
            case, users["preparer"], outcome_measures="x", installments=[Planned(2029, social, kr(300_000))]
        )
    forvaltning = case.municipality.units.filter(kind="forvaltning").first()
    with pytest.raises(RepaymentRefusedError, match="kan inte betala tillbaka: enligt regelverket betalar nämnd"):
        repayment.draft_plan(
            case, users["preparer"], outcome_measures="x", installments=[Planned(2029, forvaltning, kr(300_000), "m")]
        )


def approved_sundsvall_plan(new_case):
    case, users, fund = sundsvall_spent(new_case, paid={2026: 300_000})
    social = namnd(case, 1)
    plan = repayment.draft_plan(
        case,
        users["preparer"],
        outcome_measures="Minskade placeringskostnader",
        installments=[Planned(y, social, kr(100_000), "Placeringsdygn") for y in (2029, 2030, 2031)],
    )
    with pytest.raises(RepaymentRefusedError, match=r"Bara .* godkänner"):
        repayment.approve_plan(plan, users["preparer"])
    return repayment.approve_plan(plan, users["decision_body"]), users, fund, social


def test_sundsvall_savings_stop_early_and_the_rest_is_written_off(new_case, today):
    plan, users, fund, social = approved_sundsvall_plan(new_case)
    controller = users["controller"]
    repayment.record_repayment(
        plan, controller, year=2029, unit=social, amount=kr(100_000), realised_savings=kr(130_000)
    )
    with pytest.raises(RepaymentRefusedError) as refusal:
        repayment.record_repayment(
            plan, controller, year=2030, unit=social, amount=kr(60_000), realised_savings=kr(40_000)
        )
    assert (
        str(refusal.value)
        == f"Återbetalningen görs ur realiserade besparingar, {fk(40_000)}; den kan inte vara större."
    )
    repayment.record_repayment(plan, controller, year=2030, unit=social, amount=kr(40_000), realised_savings=kr(40_000))
    # 2031: no savings at all, so nothing is repaid.

    with pytest.raises(RepaymentRefusedError, match="löper till och med 2031"):
        repayment.close_plan(plan, controller, today=datetime.date(2031, 12, 31))
    write_offs = repayment.close_plan(plan, controller, today=datetime.date(2032, 1, 15))

    assert [(e.kind, e.from_year, e.amount, e.year) for e in write_offs] == [
        (EntryKind.WRITE_OFF, 2030, kr(60_000), 2032),
        (EntryKind.WRITE_OFF, 2031, kr(100_000), 2032),
    ]
    rows = repayment.schedule(plan)
    assert [(r.installment.year, r.repaid, r.written_off, r.remaining) for r in rows] == [
        (2029, kr(100_000), 0, 0),
        (2030, kr(40_000), kr(60_000), 0),
        (2031, 0, kr(100_000), 0),
    ]
    balances = fund_selectors.fund_balances(fund)
    assert (balances.repaid, balances.written_off) == (kr(140_000), kr(160_000))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED


def test_repayment_larger_than_owed_is_refused(new_case, today):
    plan, users, fund, social = approved_sundsvall_plan(new_case)

    with pytest.raises(RepaymentRefusedError) as refusal:
        repayment.record_repayment(
            plan, users["controller"], year=2029, unit=social, amount=kr(100_001), realised_savings=kr(500_000)
        )

    assert (
        str(refusal.value)
        == f"Återbetalningen är större än det som återstår: {fk(100_000)}; det är 1\xa0kr för mycket."
    )
    assert fund.entries.filter(kind=EntryKind.REPAYMENT).count() == 0


def test_sundsvall_exempts_very_early_efforts_resting_on_controlled_studies(new_case, today):
    case, users, _fund = sundsvall_spent(new_case, paid={2026: 300_000})

    with pytest.raises(RepaymentRefusedError, match="mer än 10 år fram i tiden"):
        repayment.draft_plan(
            case,
            users["preparer"],
            exempt=True,
            exemption_reason="Tidig insats.",
            savings_expected_after_years=8,
            rests_on_controlled_studies=True,
        )
    with pytest.raises(RepaymentRefusedError, match="försöks- och kontrollgrupper"):
        repayment.draft_plan(
            case,
            users["preparer"],
            exempt=True,
            exemption_reason="Tidig insats.",
            savings_expected_after_years=15,
            rests_on_controlled_studies=False,
        )
    plan = repayment.draft_plan(
        case,
        users["preparer"],
        exempt=True,
        exemption_reason="Föräldraskapsstöd 0–3 år; vinsterna väntas i vuxen ålder.",
        savings_expected_after_years=15,
        rests_on_controlled_studies=True,
    )

    assert (plan.exempt, plan.owed) == (True, Decimal("0.00"))


def test_ale_has_no_exemption(new_case, today):
    case, users, _fund = granted(new_case, "ale", reserved=5_000_000)

    with pytest.raises(RepaymentRefusedError, match="medger inget undantag"):
        repayment.draft_plan(
            case,
            users["applicant"],
            exempt=True,
            exemption_reason="x",
            savings_expected_after_years=20,
            rests_on_controlled_studies=True,
        )


def test_sundsvall_applicant_cannot_draft_a_plan(new_case, today):
    case, users, _fund = sundsvall_spent(new_case, paid={2026: 300_000})

    with pytest.raises(RepaymentRefusedError) as refusal:
        repayment.draft_plan(case, users["applicant"], installments=[Planned(2029, namnd(case), kr(300_000))])

    assert str(refusal.value) == (
        "Bara Strategiskt verksamhetsnätverk eller Samordningsfunktionen för sociala investeringar "
        "upprättar återbetalningsplanen."
    )
    assert repayment.RepaymentPlan.objects.count() == 0
