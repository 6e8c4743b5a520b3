"""The fund's operations. Each one checks who asks, locks the fund row, checks the money, writes
its ledger entries and the history in one transaction: it happens whole, or not at all.

What the fund holds is read in ``funds.selectors``: balances derived from the ledger, never stored.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.rules import is_case_applicant
from applications.services.steps import complete_recorded_steps
from audit.services import record
from core.formatting import format_kronor
from core.money import money_sum
from core.refusals import DomainRefusedError

from .enums import PAYABLE_STATES, EntryKind
from .models import Fund, LedgerEntry, PayoutPlan
from .selectors import ZERO, case_balances, fund_balances, fund_policy, reported_costs

K = EntryKind


class FundRefusedError(DomainRefusedError):
    """A money operation was refused; the message says why (and names any shortfall). Nothing was
    written."""


# ---- What the ledger must never show -------------------------------------------------------------


def balance_problems(balances, policy):
    """What the ledger must never show, worded for the person whose entry would cause it.
    Empty when the fund is in order. A safety net behind each operation's own checks."""
    problems = []
    if balances.available < 0:
        problems.append(_("Fonden räcker inte: det saknas %(short)s.") % {"short": format_kronor(-balances.available)})
    for b in balances.year_list:
        if policy.uses_yearly_appropriation and b.committed > b.appropriated:
            problems.append(
                _("Anslaget för %(year)s räcker inte: det saknas %(short)s.")
                % {"year": b.year, "short": format_kronor(b.committed - b.appropriated)}
            )
        if policy.appropriation_capped_by_reservation and b.appropriated > balances.reserved + balances.repaid:
            problems.append(
                _("Anslaget för %(year)s får inte vara högre än avsättningen; det överskrider med %(short)s.")
                % {"year": b.year, "short": format_kronor(b.appropriated - balances.reserved - balances.repaid)}
            )
    return problems


def case_problems(balances):
    """A case's own money: never more paid in a year than committed to it, never more frozen than
    paid, never a negative commitment."""
    problems = []
    for b in balances.year_list:
        if b.paid > b.committed:
            problems.append(
                _("Ärendet har fått %(paid)s utbetalt för %(year)s men bara %(committed)s beviljat.")
                % {"paid": format_kronor(b.paid), "year": b.year, "committed": format_kronor(b.committed)}
            )
        if b.frozen > b.paid:
            problems.append(_("Mer frysta än utbetalda medel för %(year)s.") % {"year": b.year})
    return problems


# ---- Checks shared by the operations -------------------------------------------------------------


def _require_recorder(user, fund):
    if not user.has_perm("funds.record_money", fund):
        raise FundRefusedError(_("Bara controller eller kommunens administratör bokför i fonden."))


def _amount(amount, field="amount"):
    if amount is None:
        raise FundRefusedError(_("Ange ett belopp."), field)
    amount = Decimal(amount)
    if amount <= 0:
        raise FundRefusedError(_("Beloppet måste vara större än noll."), field)
    if amount != amount.quantize(Decimal("0.01")):
        raise FundRefusedError(_("Beloppet anges i kronor och ören, med högst två decimaler."), field)
    return amount


def _open_year(fund, year, field="year"):
    if year is None:
        raise FundRefusedError(_("Ange år."), field)
    if fund.is_closed(year):
        raise FundRefusedError(
            _("Året %(year)s är stängt; inga poster kan bokas på det.") % {"year": year},
            field,
        )
    return year


def _locked(fund):
    """The fund row, locked until the transaction ends: operations on one fund take turns."""
    return Fund.objects.select_for_update().select_related("municipality").get(pk=fund.pk)


def _write(fund, user, policy, *, kind, year, amount, entry_date=None, case=None, reason="", **fields):
    """Append one entry, then check that the fund and the case are still in order; refused (and
    the entry rolled back with the transaction) otherwise."""
    entry = LedgerEntry.objects.create(
        fund=fund,
        kind=kind,
        year=year,
        amount=amount,
        entry_date=entry_date or timezone.localdate(),
        case=case,
        recorded_by=user,
        **fields,
    )
    problems = balance_problems(fund_balances(fund, policy), policy)
    if case is not None:
        problems += case_problems(case_balances(fund, case, policy))
    if problems:
        raise FundRefusedError(" ".join(problems))
    data = {"kind": kind, "year": year, "amount": str(amount), "entry": entry.pk}
    record(fund, "fund.entry", actor=user, reason=reason, data=data, municipality=fund.municipality)
    if case is not None:
        record(case, "case.money", actor=user, reason=reason, data=data)
    return entry


# ---- Setting up the fund -------------------------------------------------------------------------


@transaction.atomic
def create_fund(user, municipality, *, name=""):
    """Set up the municipality's fund (once). Writes the history."""
    if not user.has_perm("funds.record_money", municipality):
        raise FundRefusedError(_("Bara controller eller kommunens administratör kan inrätta fonden."))
    if Fund.objects.filter(municipality=municipality).exists():
        raise FundRefusedError(_("Kommunen har redan en fond."))
    fund = Fund.objects.create(
        municipality=municipality,
        name=name or _("Sociala investeringsfonden i %(name)s") % {"name": municipality.name},
        created_by=user,
    )
    record(fund, "fund.created", actor=user, municipality=municipality)
    return fund


@transaction.atomic
def close_year(fund, user, year):
    """Close the books of ``year`` (and every year before it): no entry can be booked on them."""
    fund = _locked(fund)
    _require_recorder(user, fund)
    if fund.closed_through is not None and year <= fund.closed_through:
        raise FundRefusedError(_("Året %(year)s är redan stängt.") % {"year": year}, "year")
    before = fund.closed_through
    fund.closed_through = year
    fund.save(update_fields=["closed_through"])
    record(fund, "fund.year_closed", actor=user, from_state=str(before or ""), to_state=str(year))
    return fund


# ---- Money in ------------------------------------------------------------------------------------


@transaction.atomic
def record_reservation(fund, user, *, amount, year, basis, entry_date=None, note=""):
    """An avsättning to the fund, resting on the decision named in ``basis``."""
    fund = _locked(fund)
    _require_recorder(user, fund)
    amount = _amount(amount)
    _open_year(fund, year)
    if not basis.strip():
        raise FundRefusedError(_("Ange beslutet som avsättningen vilar på."), "basis")
    policy = fund_policy(fund)
    return _write(
        fund, user, policy, kind=K.RESERVATION, year=year, amount=amount, entry_date=entry_date, basis=basis, note=note
    )


@transaction.atomic
def record_appropriation(fund, user, *, amount, year, basis, entry_date=None, note=""):
    """The year's appropriation (anslag, resultatanslag). Refused where the rule set has none, or
    where it would exceed the reservation."""
    fund = _locked(fund)
    _require_recorder(user, fund)
    amount = _amount(amount)
    _open_year(fund, year)
    policy = fund_policy(fund)
    if not policy.uses_yearly_appropriation:
        raise FundRefusedError(_("Regelverket har inget årligt anslag; beviljanden tas direkt ur avsättningen."))
    if not basis.strip():
        raise FundRefusedError(_("Ange beslutet som anslaget vilar på."), "basis")
    if policy.appropriation_capped_by_reservation:
        balances = fund_balances(fund, policy)
        room = balances.reserved + balances.repaid - balances.year(year).appropriated
        if amount > room:
            raise FundRefusedError(
                _("Anslaget får inte vara högre än avsättningen: %(room)s ryms för %(year)s; det saknas %(short)s.")
                % {"room": format_kronor(room), "year": year, "short": format_kronor(amount - room)},
                "amount",
            )
    return _write(
        fund,
        user,
        policy,
        kind=K.APPROPRIATION,
        year=year,
        amount=amount,
        entry_date=entry_date,
        basis=basis,
        note=note,
    )


# ---- Grants --------------------------------------------------------------------------------------


@transaction.atomic
def commit_grant(case, decision, years, user, *, entry_date=None):
    """The commitment of a granted decision, one entry per year. Called by the decision service
    inside its transaction; refuses the grant, naming the shortfall, when the fund cannot carry
    it. A municipality without a fund keeps deciding as before: nothing is written.
    ``years`` maps a year to its amount."""
    fund = Fund.objects.filter(municipality_id=case.municipality_id).first()
    if fund is None:
        return []
    fund = _locked(fund)
    policy = fund_policy(fund)
    name = case.number or case.title
    years = {year: _amount(amount) for year, amount in years.items() if amount != 0}
    balances = fund_balances(fund, policy)
    need = sum(years.values(), ZERO)
    if need > balances.available:
        raise FundRefusedError(
            _("%(case)s: fonden har %(available)s tillgängligt men beviljandet är %(need)s; det saknas %(short)s.")
            % {
                "case": name,
                "available": format_kronor(max(balances.available, ZERO)),
                "need": format_kronor(need),
                "short": format_kronor(need - balances.available),
            }
        )
    for year, amount in sorted(years.items()):
        _open_year(fund, year)
        left = balances.available_in(year, policy)
        if policy.uses_yearly_appropriation and amount > left:
            raise FundRefusedError(
                _(
                    "%(case)s: för %(year)s finns %(available)s kvar av anslaget men beviljandet är %(need)s; "
                    "det saknas %(short)s."
                )
                % {
                    "case": name,
                    "year": year,
                    "available": format_kronor(max(left, ZERO)),
                    "need": format_kronor(amount),
                    "short": format_kronor(amount - left),
                }
            )
    return [
        _write(
            fund,
            user,
            policy,
            kind=K.COMMITMENT,
            year=year,
            amount=amount,
            entry_date=entry_date or (decision.meeting_date if decision else None),
            case=case,
            decision=decision,
        )
        for year, amount in sorted(years.items())
    ]


@transaction.atomic
def release_unpaid(case, decision, user, *, entry_date=None):
    """Give back to the fund what ``decision`` (an abort, or the decision that ends the project)
    leaves unpaid: per year, what was committed to the case less what was paid out, as one release
    entry per year naming the decision. Years whose books are closed keep them. Runs inside the
    decision's transaction; without a fund nothing is written. Returns the entries."""
    fund = Fund.objects.filter(municipality_id=case.municipality_id).first()
    if fund is None:
        return []
    fund = _locked(fund)
    policy = fund_policy(fund)
    balances = case_balances(fund, case, policy)
    entries = []
    for b in balances.year_list:
        unpaid = b.committed - b.paid
        if unpaid <= 0 or fund.is_closed(b.year):
            continue
        entries.append(
            _write(
                fund,
                user,
                policy,
                kind=K.RELEASE,
                year=b.year,
                amount=unpaid,
                entry_date=entry_date or decision.meeting_date,
                case=case,
                decision=decision,
                basis=str(decision),
                reason=_("Frigjort genom %(decision)s.") % {"decision": decision},
            )
        )
    return entries


# ---- Payouts -------------------------------------------------------------------------------------


def _net(case, kind, year):
    """The case's entries of one kind and year, net of corrections."""
    total = LedgerEntry.objects.filter(case=case, kind=kind, year=year).aggregate(total=money_sum("amount"))["total"]
    return total or ZERO


def _payable_case(fund, case, policy):
    if case.municipality_id != fund.municipality_id:
        raise FundRefusedError(_("Ärendet hör till en annan kommun."), "case")
    balances = case_balances(fund, case, policy)
    granted = sum((b.committed for b in balances.year_list), ZERO)
    if case.state not in PAYABLE_STATES or granted <= 0:
        raise FundRefusedError(
            _("%(case)s är inte beviljat och kan inte få utbetalningar (status: %(state)s).")
            % {"case": case.number or case.title, "state": case.get_state_display()},
            "case",
        )
    return balances


@transaction.atomic
def record_payout(
    case, user, *, amount, year, entry_date=None, report_id=None, reference="", project_number="", note=""
):
    """Pay out granted money to the case, as the rule set's payout model says: an ordinary payout,
    a budget compensation against reported costs (at most as often as the rule set allows, with a
    report reference), or an internal grant booked on the rule set's account and the project's
    number. Refused before an approved payout plan where one is required. A budget compensation is
    refused beyond the costs an accepted report states for the year, less what the year has been
    compensated already (``report_id`` names the report; without it, the latest accepted one)."""
    fund = Fund.objects.filter(municipality_id=case.municipality_id).first()
    if fund is None:
        raise FundRefusedError(_("Kommunen har ingen fond inrättad."))
    fund = _locked(fund)
    _require_recorder(user, fund)
    amount = _amount(amount)
    _open_year(fund, year)
    money = case.rules.money
    policy = money.fund
    balances = _payable_case(fund, case, policy)
    fields = {}
    kind = K.PAYOUT
    if money.payouts.needs_payout_plan:
        plan = PayoutPlan.objects.filter(case=case).first()
        if plan is None or not plan.is_approved:
            raise FundRefusedError(
                _("Utbetalningsplanen ska vara godkänd av %(body)s före första utbetalningen.")
                % {"body": case.rules.body_name(money.payouts.approved_by)}
            )
    if money.payouts.is_budget_compensation:
        kind = K.BUDGET_COMPENSATION
        if report_id is None and not reference.strip():
            raise FundRefusedError(_("Ange rapporten som budgetkompensationen avser."), "reference")
        times = money.payouts.times_per_year
        done = LedgerEntry.objects.filter(
            case=case, kind=K.BUDGET_COMPENSATION, year=year, reverses__isnull=True, reversed_by__isnull=True
        ).count()
        if times and done >= times:
            raise FundRefusedError(
                _("Budgetkompensation ges %(times)s gånger per år; %(year)s har redan fått %(done)s.")
                % {"times": times, "year": year, "done": done},
                "year",
            )
        reported = reported_costs(case, year, report_id)
        if reported is None:
            raise FundRefusedError(
                _(
                    "Ingen godkänd rapport anger kostnaderna för %(year)s. Budgetkompensation betalas för de "
                    "kostnader en godkänd rapport anger."
                )
                % {"year": year},
                "reference" if report_id is None else "amount",
            )
        compensated = _net(case, K.BUDGET_COMPENSATION, year)
        if compensated + amount > reported:
            raise FundRefusedError(
                _(
                    "Rapporten anger kostnader på %(reported)s för %(year)s och %(compensated)s är redan "
                    "kompenserat; högst %(left)s kan betalas ut."
                )
                % {
                    "reported": format_kronor(reported),
                    "year": year,
                    "compensated": format_kronor(compensated),
                    "left": format_kronor(max(reported - compensated, ZERO)),
                },
                "amount",
            )
        fields.update(report_id=report_id, reference=reference)
    if money.payouts.is_internal_grant:
        if not project_number.strip():
            raise FundRefusedError(_("Ange insatsens projektnummer för bokföringen."), "project_number")
        fields.update(
            account=money.payouts.account,
            project_number=project_number.strip(),
            summary_code=money.payouts.project_summary_code,
        )
    left = balances.year(year).committed - balances.year(year).paid
    if amount > left:
        raise FundRefusedError(
            _("Utbetalningen överskrider det beviljade för %(year)s: %(left)s återstår; det saknas %(short)s.")
            % {"year": year, "left": format_kronor(max(left, ZERO)), "short": format_kronor(amount - max(left, ZERO))},
            "amount",
        )
    return _write(
        fund,
        user,
        policy,
        kind=kind,
        year=year,
        amount=amount,
        entry_date=entry_date,
        case=case,
        unit=case.applicant_unit,
        note=note,
        **fields,
    )


@transaction.atomic
def save_payout_plan(case, user, *, description):
    """The applicants write (or rewrite, until approved) the case's payout plan."""
    money = case.rules.money
    if not money.payouts.needs_payout_plan:
        raise FundRefusedError(_("Regelverket kräver ingen utbetalningsplan."))
    if case.state not in PAYABLE_STATES:
        raise FundRefusedError(_("Utbetalningsplanen upprättas efter beviljandet."))
    if not is_case_applicant(user, case):
        raise FundRefusedError(_("Bara de sökande upprättar utbetalningsplanen."))
    if not description.strip():
        raise FundRefusedError(_("Beskriv utbetalningsplanen."), "description")
    plan = PayoutPlan.objects.select_for_update().filter(case=case).first()
    if plan and plan.is_approved:
        raise FundRefusedError(_("Utbetalningsplanen är redan godkänd och kan inte ändras."))
    if plan is None:
        plan = PayoutPlan.objects.create(case=case, description=description, created_by=user)
    else:
        plan.description = description
        plan.save(update_fields=["description"])
    record(case, "case.payout_plan_saved", actor=user)
    complete_recorded_steps(case)
    return plan


@transaction.atomic
def approve_payout_plan(case, user):
    """The body the rule set names (Ale: the steering group, the preparer role) approves the plan."""
    money = case.rules.money
    plan = PayoutPlan.objects.select_for_update().filter(case=case).first()
    if plan is None:
        raise FundRefusedError(_("Det finns ingen utbetalningsplan att godkänna."))
    if plan.is_approved:
        raise FundRefusedError(_("Utbetalningsplanen är redan godkänd."))
    role = money.payouts.approved_by
    if not (user.has_role(role) and user.municipality_id == case.municipality_id):
        raise FundRefusedError(_("Bara %(body)s godkänner utbetalningsplanen.") % {"body": case.rules.body_name(role)})
    plan.approved_by = user
    plan.approved_at = timezone.now()
    plan.save(update_fields=["approved_by", "approved_at"])
    record(case, "case.payout_plan_approved", actor=user)
    complete_recorded_steps(case)
    return plan


# ---- Year end ------------------------------------------------------------------------------------


@transaction.atomic
def record_carry_over(case, user, *, amount, from_year, basis, entry_date=None, note=""):
    """Move unused granted money of ``from_year`` to the next year, by the decision named in
    ``basis`` (Ystad: KS). Financed from the next year's appropriation, so refused when that
    has no room."""
    fund = Fund.objects.filter(municipality_id=case.municipality_id).first()
    if fund is None:
        raise FundRefusedError(_("Kommunen har ingen fond inrättad."))
    fund = _locked(fund)
    _require_recorder(user, fund)
    amount = _amount(amount)
    money = case.rules.money
    policy = money.fund
    if not money.carry_over.allowed:
        raise FundRefusedError(_("Regelverket medger inte att outnyttjade medel flyttas till nästa år."))
    _open_year(fund, from_year, "from_year")
    to_year = from_year + 1
    _open_year(fund, to_year, "from_year")
    if not basis.strip():
        raise FundRefusedError(_("Ange beslutet om ombudgeteringen."), "basis")
    mine = _payable_case(fund, case, policy)
    unused = mine.year(from_year).committed - mine.year(from_year).paid
    if amount > unused:
        raise FundRefusedError(
            _("Bara %(unused)s av det beviljade för %(year)s är outnyttjat; det saknas %(short)s.")
            % {"unused": format_kronor(max(unused, ZERO)), "year": from_year, "short": format_kronor(amount - unused)},
            "amount",
        )
    if policy.uses_yearly_appropriation:
        left = fund_balances(fund, policy).year(to_year).available or ZERO
        if amount > left:
            raise FundRefusedError(
                _("Ombudgeteringen finansieras ur anslaget för %(year)s, där %(left)s återstår; det saknas %(short)s.")
                % {"year": to_year, "left": format_kronor(max(left, ZERO)), "short": format_kronor(amount - left)},
                "amount",
            )
    return _write(
        fund,
        user,
        policy,
        kind=K.CARRY_OVER,
        year=to_year,
        from_year=from_year,
        amount=amount,
        entry_date=entry_date,
        case=case,
        basis=basis,
        note=note,
    )


@transaction.atomic
def record_freeze(case, user, *, amount, year, entry_date=None, note=""):
    """Unspent money of an internal grant at year end is frozen (Sundsvall) and handled in the
    nämnd's request to carry over its result. The frozen part does not count as consumed. What is
    unspent is what was paid out for the year less the outcome the accepted reports state (and
    what is already frozen); refused beyond it, and when no accepted report states the year."""
    fund = Fund.objects.filter(municipality_id=case.municipality_id).first()
    if fund is None:
        raise FundRefusedError(_("Kommunen har ingen fond inrättad."))
    fund = _locked(fund)
    _require_recorder(user, fund)
    amount = _amount(amount)
    _open_year(fund, year)
    money = case.rules.money
    policy = money.fund
    if not money.carry_over.freezes_unspent:
        raise FundRefusedError(_("Regelverket fryser inte outnyttjade medel vid årets slut."))
    mine = _payable_case(fund, case, policy).year(year)
    spent = reported_costs(case, year, whole_year=True)
    if spent is None:
        raise FundRefusedError(
            _(
                "Ingen godkänd rapport anger utfallet för hela %(year)s, så det är inte känt vad som är "
                "outnyttjat. Frysningen bokas när årets utfall är rapporterat och godkänt."
            )
            % {"year": year},
            "year",
        )
    unspent = mine.paid - spent - mine.frozen
    if amount > unspent:
        raise FundRefusedError(
            _(
                "För %(year)s är %(paid)s utbetalt och rapporterna anger utfallet %(spent)s; %(frozen)s är redan "
                "fryst, så högst %(left)s är outnyttjat och kan frysas."
            )
            % {
                "year": year,
                "paid": format_kronor(mine.paid),
                "spent": format_kronor(spent),
                "frozen": format_kronor(mine.frozen),
                "left": format_kronor(max(unspent, ZERO)),
            },
            "amount",
        )
    return _write(
        fund, user, policy, kind=K.FREEZE, year=year, amount=amount, entry_date=entry_date, case=case, note=note
    )


# ---- Repayment and write-off (called by the repayment plan's services) ---------------------------


def record_repayment_entry(
    case, user, *, kind, amount, year, unit, installment_year, basis="", entry_date=None, note=""
):
    """A repayment to the fund, or the write-off of what is left unpaid, from a repayment plan
    (the installment's year is kept in ``from_year``). Runs inside the caller's transaction,
    which has checked what is owed."""
    fund = Fund.objects.filter(municipality_id=case.municipality_id).first()
    if fund is None:
        raise FundRefusedError(_("Kommunen har ingen fond inrättad."))
    fund = _locked(fund)
    amount = _amount(amount)
    _open_year(fund, year)
    return _write(
        fund,
        user,
        fund_policy(fund),
        kind=kind,
        year=year,
        amount=amount,
        entry_date=entry_date,
        case=case,
        unit=unit,
        from_year=installment_year,
        basis=basis,
        note=note,
    )


# ---- Corrections ---------------------------------------------------------------------------------


@transaction.atomic
def reverse_entry(entry, user, *, reason):
    """Correct an entry by a reversing entry with the negated amount. The original stays. Refused
    when the entry is already reversed or is itself a reversal, its year is closed, or the fund
    (or the case) would no longer be in order without it."""
    fund = _locked(entry.fund)
    _require_recorder(user, fund)
    entry = LedgerEntry.objects.get(pk=entry.pk)
    if not reason.strip():
        raise FundRefusedError(_("Skriv varför posten rättas."), "reason")
    if entry.is_reversal:
        raise FundRefusedError(_("En rättelse rättas genom en ny post, inte genom att rätta rättelsen."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise FundRefusedError(_("Posten är redan rättad."))
    _open_year(fund, entry.year)
    if entry.from_year:
        _open_year(fund, entry.from_year)
    policy = fund_policy(fund)
    return _write(
        fund,
        user,
        policy,
        kind=entry.kind,
        year=entry.year,
        from_year=entry.from_year,
        amount=-entry.amount,
        case=entry.case,
        decision=entry.decision,
        unit=entry.unit,
        basis=entry.basis,
        reverses=entry,
        note=reason,
        reason=reason,
    )
