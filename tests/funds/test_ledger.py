"""The fund's ledger through its services: what each entry does to the balances, and what is
refused (with the reason, and nothing written)."""

import datetime
from decimal import Decimal

import pytest

from applications.enums import CaseState as S
from applications.models import Case
from audit.models import AppendOnlyError, AuditEntry
from core.formatting import format_kronor as fk
from decisions.models import Decision
from decisions.services import DecisionRefusedError
from funds import selectors as fund_selectors
from funds import services as funds
from funds.enums import EntryKind
from funds.models import LedgerEntry
from tests.funds.conftest import accepted_report, decide, kr, ready, set_up_fund, split_of

pytestmark = pytest.mark.django_db


def test_grant_without_a_fund_is_decided_as_before(new_case, today):
    case, users = ready(new_case, "ystad")

    decide(case, users)

    assert Case.objects.get(pk=case.pk).state == S.GRANTED
    assert LedgerEntry.objects.count() == 0


def test_grant_commits_each_year_in_the_same_transaction(new_case, today):
    case, users = ready(new_case, "ystad")
    fund = set_up_fund(users, reserved=5_000_000, appropriations={2026: 1_000_000, 2027: 1_000_000, 2028: 1_000_000})

    decision = decide(case, users)

    commitments = fund.entries.filter(kind=EntryKind.COMMITMENT)
    assert [(e.year, e.amount, e.case_id, e.decision_id) for e in commitments] == [
        (2026, kr(500_000), case.pk, decision.pk),
        (2027, kr(500_000), case.pk, decision.pk),
        (2028, kr(500_000), case.pk, decision.pk),
    ]
    balances = fund_selectors.fund_balances(fund)
    assert (balances.reserved, balances.committed, balances.available) == (kr(5e6), kr(1.5e6), kr(3.5e6))
    assert [(b.year, b.available) for b in balances.year_list] == [
        (2026, kr(500_000)),
        (2027, kr(500_000)),
        (2028, kr(500_000)),
    ]
    assert AuditEntry.objects.for_object(case).filter(action="case.money").count() == 3


def test_grant_over_a_years_appropriation_is_refused_with_the_shortfall(new_case, today):
    case, users = ready(new_case, "ystad")
    fund = set_up_fund(users, reserved=5_000_000, appropriations={2026: 1_000_000, 2027: 200_000, 2028: 1_000_000})

    with pytest.raises(DecisionRefusedError) as refusal:
        decide(case, users)

    assert str(refusal.value) == (
        f"{case.number}: för 2027 finns {fk(200_000)} kvar av anslaget men beviljandet är {fk(500_000)}; "
        f"det saknas {fk(300_000)}."
    )
    assert fk(300_000) == "300\xa0000\xa0kr"
    assert Case.objects.get(pk=case.pk).state == S.READY_FOR_DECISION
    assert Decision.objects.count() == 0
    assert fund.entries.filter(kind=EntryKind.COMMITMENT).count() == 0


def test_grant_over_the_fund_is_refused_where_there_is_no_appropriation(new_case, today):
    case, users = ready(new_case, "norrkoping")
    fund = set_up_fund(users, reserved=1_250_000)

    with pytest.raises(DecisionRefusedError) as refusal:
        decide(case, users)

    assert str(refusal.value) == (
        f"{case.number}: fonden har {fk(1_250_000)} tillgängligt men beviljandet är {fk(1_500_000)}; "
        f"det saknas {fk(250_000)}."
    )
    assert fund.entries.count() == 1


def test_appropriation_may_not_exceed_the_reservation_in_sundsvall(people, today):
    users = people("sundsvall")
    fund = set_up_fund(users, reserved=1_000_000)

    with pytest.raises(funds.FundRefusedError) as refusal:
        funds.record_appropriation(fund, users["controller"], amount=kr(1_250_000), year=2027, basis="MRP 2027")

    assert str(refusal.value) == (
        f"Anslaget får inte vara högre än avsättningen: {fk(1_000_000)} ryms för 2027; det saknas {fk(250_000)}."
    )
    assert refusal.value.field == "amount"
    assert fund.entries.count() == 1


def test_ale_has_no_yearly_appropriation(people, today):
    users = people("ale")
    fund = set_up_fund(users, reserved=1_000_000)

    with pytest.raises(funds.FundRefusedError, match="inget årligt anslag"):
        funds.record_appropriation(fund, users["controller"], amount=kr(100), year=2027, basis="KS")


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), Decimal("1.005")])
def test_amounts_that_make_no_sense_are_refused(people, today, amount):
    users = people("norrkoping")
    fund = set_up_fund(users)

    with pytest.raises(funds.FundRefusedError) as refusal:
        funds.record_reservation(fund, users["controller"], amount=amount, year=2026, basis="KS")

    assert refusal.value.field == "amount"
    assert fund.entries.count() == 0


def test_entry_in_a_closed_year_is_refused(people, today):
    users = people("norrkoping")
    fund = set_up_fund(users, reserved=100)
    funds.close_year(fund, users["controller"], 2026)

    with pytest.raises(funds.FundRefusedError) as refusal:
        funds.record_reservation(fund, users["controller"], amount=kr(100), year=2026, basis="KS")

    assert str(refusal.value) == "Året 2026 är stängt; inga poster kan bokas på det."
    assert fund.entries.count() == 1
    assert AuditEntry.objects.for_object(fund).filter(action="fund.year_closed").count() == 1


@pytest.mark.parametrize("role", ["applicant", "preparer", "decision_body", "management", "board"])
def test_only_controller_and_admin_record_money(people, today, role):
    users = people("norrkoping")
    fund = set_up_fund(users)

    with pytest.raises(funds.FundRefusedError, match="Bara controller eller kommunens administratör"):
        funds.record_reservation(fund, users[role], amount=kr(100), year=2026, basis="KS")

    funds.record_reservation(fund, users["municipal_admin"], amount=kr(100), year=2026, basis="KS")
    assert fund.entries.count() == 1


def test_controller_of_another_municipality_cannot_record(people, today):
    users = people("norrkoping")
    other = people("heby")
    fund = set_up_fund(users)

    with pytest.raises(funds.FundRefusedError):
        funds.record_reservation(fund, other["controller"], amount=kr(100), year=2026, basis="KS")


def test_reservation_needs_its_decision(people, today):
    users = people("norrkoping")
    fund = set_up_fund(users)

    with pytest.raises(funds.FundRefusedError) as refusal:
        funds.record_reservation(fund, users["controller"], amount=kr(100), year=2026, basis=" ")

    assert refusal.value.field == "basis"


# ---- Payouts ---------------------------------------------------------------------------------------


def granted(new_case, slug, **fund):
    case, users = ready(new_case, slug)
    fund_ = set_up_fund(users, **fund)
    decide(case, users)
    return Case.objects.get(pk=case.pk), users, fund_


YSTAD_MONEY = {"reserved": 5_000_000, "appropriations": {2026: 1e6, 2027: 1e6, 2028: 1e6}}


def test_payout_to_a_case_that_was_not_granted_is_refused(new_case, today):
    case, users = ready(new_case, "norrkoping")
    set_up_fund(users, reserved=5_000_000)

    with pytest.raises(funds.FundRefusedError) as refusal:
        funds.record_payout(case, users["controller"], amount=kr(1000), year=2026)

    assert (
        str(refusal.value) == f"{case.number} är inte beviljat och kan inte få utbetalningar (status: klar för beslut)."
    )
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).count() == 0


def test_payout_over_the_years_grant_is_refused_with_the_shortfall(new_case, today):
    case, users, fund = granted(new_case, "norrkoping", reserved=5_000_000)
    funds.record_payout(case, users["controller"], amount=kr(400_000), year=2027)

    with pytest.raises(funds.FundRefusedError) as refusal:
        funds.record_payout(case, users["controller"], amount=kr(150_000), year=2027)

    assert str(refusal.value) == (
        f"Utbetalningen överskrider det beviljade för 2027: {fk(100_000)} återstår; det saknas {fk(50_000)}."
    )
    assert fund_selectors.fund_balances(fund).paid == kr(400_000)


def test_ale_pays_out_only_after_the_steering_group_approves_the_plan(new_case, today):
    case, users, _fund = granted(new_case, "ale", reserved=5_000_000)

    with pytest.raises(funds.FundRefusedError, match="Utbetalningsplanen ska vara godkänd av"):
        funds.record_payout(case, users["controller"], amount=kr(100_000), year=2027)
    funds.save_payout_plan(case, users["applicant"], description="Halva i januari, halva i juli.")
    with pytest.raises(funds.FundRefusedError, match=r"Bara .* godkänner utbetalningsplanen"):
        funds.approve_payout_plan(case, users["decision_body"])
    funds.approve_payout_plan(case, users["preparer"])
    entry = funds.record_payout(case, users["controller"], amount=kr(100_000), year=2027)

    assert (entry.kind, entry.amount) == (EntryKind.PAYOUT, kr(100_000))
    assert [e.action for e in AuditEntry.objects.for_object(case).filter(action__startswith="case.payout_plan")] == [
        "case.payout_plan_approved",
        "case.payout_plan_saved",
    ]


def test_ystad_compensates_costs_twice_a_year_against_reports(new_case, today):
    case, users, fund = granted(new_case, "ystad", **YSTAD_MONEY)
    controller = users["controller"]

    with pytest.raises(funds.FundRefusedError, match="Ange rapporten") as refusal:
        funds.record_payout(case, controller, amount=kr(100_000), year=2027)
    assert refusal.value.field == "reference"
    with pytest.raises(funds.FundRefusedError, match="Ingen godkänd rapport anger kostnaderna för 2027") as refusal:
        funds.record_payout(case, controller, amount=kr(100_000), year=2027, reference="Delårsbokslut 2 2027")
    assert refusal.value.field == "reference"
    interim = accepted_report(case, {2026: 0, 2027: 100_000})
    first = funds.record_payout(case, controller, amount=kr(100_000), year=2027, report_id=interim.pk)
    year_end = accepted_report(case, {2026: 0, 2027: 220_000})
    funds.record_payout(case, controller, amount=kr(120_000), year=2027, reference="Årsbokslut 2027")
    with pytest.raises(funds.FundRefusedError) as refusal:
        funds.record_payout(case, controller, amount=kr(10_000), year=2027, report_id=year_end.pk)

    assert str(refusal.value) == "Budgetkompensation ges 2 gånger per år; 2027 har redan fått 2."
    assert (first.kind, first.report_id) == (EntryKind.BUDGET_COMPENSATION, interim.pk)
    assert fund_selectors.case_balances(fund, case).year(2027).paid == kr(220_000)


def test_ystad_compensation_is_capped_by_the_costs_the_report_states(new_case, today):
    case, users, fund = granted(new_case, "ystad", **YSTAD_MONEY)
    controller = users["controller"]
    report = accepted_report(case, {2026: 150_000})
    funds.record_payout(case, controller, amount=kr("100000.50"), year=2026, report_id=report.pk)

    with pytest.raises(funds.FundRefusedError) as refusal:
        funds.record_payout(case, controller, amount=kr("49999.51"), year=2026, report_id=report.pk)

    assert refusal.value.field == "amount"
    assert str(refusal.value) == (
        f"Rapporten anger kostnader på {fk(150_000)} för 2026 och {fk('100000.50')} är redan kompenserat; "
        f"högst {fk('49999.50')} kan betalas ut."
    )
    assert fund_selectors.case_balances(fund, case).year(2026).paid == kr("100000.50")


def test_sundsvall_pays_an_internal_grant_on_the_rule_sets_account(new_case, today):
    case, users, _fund = granted(
        new_case, "sundsvall", reserved=5_000_000, appropriations={2026: 1e6, 2027: 1e6, 2028: 1e6}
    )

    with pytest.raises(funds.FundRefusedError) as refusal:
        funds.record_payout(case, users["controller"], amount=kr(500_000), year=2027)
    assert refusal.value.field == "project_number"
    entry = funds.record_payout(case, users["controller"], amount=kr(500_000), year=2027, project_number="11-4711")

    assert (entry.account, entry.summary_code, entry.project_number) == ("935900", "11", "11-4711")


# ---- Year end --------------------------------------------------------------------------------------


def test_ystad_carries_unused_money_over_financed_from_next_years_appropriation(new_case, today):
    case, users, fund = granted(new_case, "ystad", **YSTAD_MONEY)
    controller = users["controller"]
    report = accepted_report(case, {2026: 300_000})
    funds.record_payout(case, controller, amount=kr(300_000), year=2026, report_id=report.pk)

    entry = funds.record_carry_over(case, controller, amount=kr(200_000), from_year=2026, basis="KS 2027-02-10 § 12")

    assert (entry.year, entry.from_year) == (2027, 2026)
    mine = fund_selectors.case_balances(fund, case)
    assert [(b.year, b.committed) for b in mine.year_list] == [
        (2026, kr(300_000)),
        (2027, kr(700_000)),
        (2028, kr(500_000)),
    ]
    balances = fund_selectors.fund_balances(fund)
    assert (balances.committed, balances.year(2027).available) == (kr(1_500_000), kr(300_000))


def test_carry_over_beyond_next_years_appropriation_is_refused(new_case, today):
    case, users, _fund = granted(new_case, "ystad", reserved=5e6, appropriations={2026: 1e6, 2027: 600_000, 2028: 1e6})

    with pytest.raises(funds.FundRefusedError) as refusal:
        funds.record_carry_over(case, users["controller"], amount=kr(200_000), from_year=2026, basis="KS § 12")

    assert str(refusal.value) == (
        f"Ombudgeteringen finansieras ur anslaget för 2027, där {fk(100_000)} återstår; det saknas {fk(100_000)}."
    )


def test_carry_over_is_refused_where_the_rule_set_has_none(new_case, today):
    case, users, _fund = granted(new_case, "norrkoping", reserved=5e6)

    with pytest.raises(funds.FundRefusedError, match="medger inte att outnyttjade medel flyttas"):
        funds.record_carry_over(case, users["controller"], amount=kr(1), from_year=2026, basis="KS")


def test_sundsvall_freezes_unspent_money_and_it_is_not_consumed(new_case, today):
    case, users, _fund = granted(new_case, "sundsvall", reserved=5e6, appropriations={2026: 1e6, 2027: 1e6, 2028: 1e6})
    controller = users["controller"]
    funds.record_payout(case, controller, amount=kr(500_000), year=2026, project_number="11-1")
    accepted_report(case, {2026: 380_000})

    funds.record_freeze(case, controller, amount=kr(120_000), year=2026)

    assert fund_selectors.consumed(case) == kr(380_000)


def test_sundsvall_freeze_beyond_what_the_report_leaves_unspent_is_refused(new_case, today):
    case, users, fund = granted(new_case, "sundsvall", reserved=5e6, appropriations={2026: 1e6, 2027: 1e6, 2028: 1e6})
    controller = users["controller"]
    funds.record_payout(case, controller, amount=kr(500_000), year=2026, project_number="11-1")
    accepted_report(case, {2026: "379999.75"})
    funds.record_freeze(case, controller, amount=kr(100_000), year=2026)

    with pytest.raises(funds.FundRefusedError) as refusal:
        funds.record_freeze(case, controller, amount=kr("20000.26"), year=2026)

    assert refusal.value.field == "amount"
    assert str(refusal.value) == (
        f"För 2026 är {fk(500_000)} utbetalt och rapporterna anger utfallet {fk('379999.75')}; "
        f"{fk(100_000)} är redan fryst, så högst {fk('20000.25')} är outnyttjat och kan frysas."
    )
    assert fund_selectors.case_balances(fund, case).year(2026).frozen == kr(100_000)
    funds.record_freeze(case, controller, amount=kr("20000.25"), year=2026)
    assert fund_selectors.consumed(case) == kr("379999.75")


def test_sundsvall_freeze_before_any_report_states_the_outcome_is_refused(new_case, today):
    case, users, fund = granted(new_case, "sundsvall", reserved=5e6, appropriations={2026: 1e6, 2027: 1e6, 2028: 1e6})
    controller = users["controller"]
    funds.record_payout(case, controller, amount=kr(500_000), year=2026, project_number="11-1")

    with pytest.raises(funds.FundRefusedError) as refusal:
        funds.record_freeze(case, controller, amount=kr(1), year=2026)
    # A report for part of the year does not tell what the year left unspent.
    accepted_report(case, {2026: 100_000}, period_end=datetime.date(2026, 8, 31))
    with pytest.raises(funds.FundRefusedError) as part_year:
        funds.record_freeze(case, controller, amount=kr(1), year=2026)

    assert refusal.value.field == "year"
    assert "Ingen godkänd rapport anger utfallet för hela 2026" in str(refusal.value)
    assert str(part_year.value) == str(refusal.value)
    assert fund_selectors.case_balances(fund, case).year(2026).frozen == kr(0)


def test_ystad_does_not_freeze(new_case, today):
    case, users, _fund = granted(new_case, "ystad", **YSTAD_MONEY)

    with pytest.raises(funds.FundRefusedError, match="fryser inte"):
        funds.record_freeze(case, users["controller"], amount=kr(1), year=2026)


# ---- Corrections and append-only -------------------------------------------------------------------


def test_correction_is_a_reversing_entry_and_the_original_stays(people, today):
    users = people("norrkoping")
    fund = set_up_fund(users, reserved=1_000_000)
    original = fund.entries.get()

    reversal = funds.reverse_entry(original, users["controller"], reason="Fel belopp.")

    assert (reversal.amount, reversal.reverses, reversal.kind) == (kr(-1_000_000), original, EntryKind.RESERVATION)
    assert LedgerEntry.objects.get(pk=original.pk).amount == kr(1_000_000)
    assert fund_selectors.fund_balances(fund).reserved == 0
    with pytest.raises(funds.FundRefusedError, match="redan rättad"):
        funds.reverse_entry(original, users["controller"], reason="Igen.")
    with pytest.raises(funds.FundRefusedError, match="En rättelse rättas genom en ny post"):
        funds.reverse_entry(reversal, users["controller"], reason="Igen.")


def test_reversing_a_reservation_that_grants_rest_on_is_refused(new_case, today):
    _case, users, fund = granted(new_case, "norrkoping", reserved=2_000_000)
    reservation = fund.entries.get(kind=EntryKind.RESERVATION)

    with pytest.raises(funds.FundRefusedError) as refusal:
        funds.reverse_entry(reservation, users["controller"], reason="Fel.")

    assert str(refusal.value) == f"Fonden räcker inte: det saknas {fk(1_500_000)}."
    assert fund.entries.count() == 4


def test_ledger_entries_are_never_changed_or_deleted(people, today):
    users = people("norrkoping")
    fund = set_up_fund(users, reserved=100)
    entry = fund.entries.get()

    entry.amount = Decimal("1.00")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        fund.entries.update(amount=1)
    with pytest.raises(AppendOnlyError):
        fund.entries.all().delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == kr(100)


def test_history_points_follow_the_entries(people, today, time_machine):
    users = people("norrkoping")
    fund = set_up_fund(users)
    controller = users["controller"]
    funds.record_reservation(
        fund, controller, amount=kr(100), year=2026, basis="KS", entry_date=datetime.date(2026, 1, 5)
    )
    funds.record_reservation(
        fund, controller, amount=kr(50), year=2026, basis="KS", entry_date=datetime.date(2026, 3, 1)
    )

    points = fund_selectors.history_points(fund)

    assert [(day, b.available) for day, b in points] == [
        (datetime.date(2026, 1, 5), kr(100)),
        (datetime.date(2026, 3, 1), kr(150)),
    ]


def test_split_of_helper_matches_the_walks_costs(new_case, today):
    case, _users = ready(new_case, "ystad")
    assert split_of(case) == {2026: kr(500_000), 2027: kr(500_000), 2028: kr(500_000)}


def test_heby_sets_money_aside_in_the_yearly_budget_so_its_appropriations_are_the_fund(new_case, today):
    case, users = ready(new_case, "heby")
    fund = set_up_fund(users, appropriations={2026: 500_000, 2027: 500_000, 2028: 400_000})

    with pytest.raises(DecisionRefusedError) as refusal:
        decide(case, users)
    assert str(refusal.value) == (
        f"{case.number}: fonden har {fk(1_400_000)} tillgängligt men beviljandet är {fk(1_500_000)}; "
        f"det saknas {fk(100_000)}."
    )
    funds.record_appropriation(fund, users["controller"], amount=kr(100_000), year=2028, basis="KF budget 2028")
    decide(case, users, paragraph="2")

    balances = fund_selectors.fund_balances(fund)
    assert (balances.reserved, balances.appropriated, balances.committed, balances.available) == (
        0,
        kr(1.5e6),
        kr(1.5e6),
        0,
    )
