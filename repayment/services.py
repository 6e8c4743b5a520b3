"""Repayment plans from the rule set's policy: drafted, approved by the body the rule set names,
then followed. Repayments refill the fund; what is left when the window closes is written off,
visibly, as a ledger entry. Each operation locks the plan (and, through the ledger, the fund) and
writes the history in the same transaction."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import BooleanField, Value, When
from django.db.models import Case as Choose
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import OPEN_STATES, CaseState
from applications.rules import is_case_participant
from audit.services import record
from core.formatting import format_kronor
from core.money import money_sum
from funds.enums import EntryKind
from funds.selectors import consumed
from funds.services import FundRefusedError, record_repayment_entry
from municipalities.enums import UnitKind
from municipalities.models import OrganisationalUnit
from municipalities.rulebook.enums import RepaymentBasis, RepaymentModel, Role

from .models import Installment, PlanStatus, RepaymentPlan, plan_state

ZERO = Decimal("0.00")
APPLICANT = Role.APPLICANT


class RepaymentRefusedError(FundRefusedError):
    """A repayment-plan operation was refused; the message says why. Nothing was written. For a
    problem with one installment, ``row`` is its place among the installments given and ``field``
    is "installments"; ``row_field`` names the installment's field (year, unit, amount...)."""

    def __init__(self, message, field=None, *, row=None, row_field=None):
        super().__init__(message, field)
        self.row = row
        self.row_field = row_field


@dataclass(frozen=True)
class PlannedInstallment:
    year: int
    unit: object  # an OrganisationalUnit of a kind the rule set names as payer
    amount: Decimal
    outcome_measure: str = ""


def policy_of(case):
    """The rule set's repayment section (``money.repayment``) for the case."""
    return case.rules.money.repayment


def applies_to(case, policy=None):
    """(True, "") when the case repays under its rule set, or (False, why not)."""
    policy = policy or policy_of(case)
    if policy.model == RepaymentModel.NONE:
        return False, _("Regelverket har ingen återbetalning till fonden.")
    limit = policy.applies_to_starts_before
    if limit and (case.period_start is None or case.period_start >= limit):
        return False, _("Återföring gäller bara insatser som startade före %(date)s.") % {"date": limit.isoformat()}
    return True, ""


def _taking_part(case):
    """The ids of the units taking part in the case, and of the units above them (a verksamhet's
    sektor, a förvaltning's nämnd)."""
    ids = {case.applicant_unit_id, *case.units.values_list("pk", flat=True)} - {None}
    seen = set()
    while ids - seen:
        seen |= ids
        ids |= set(OrganisationalUnit.objects.filter(pk__in=ids).values_list("parent_id", flat=True)) - {None}
    return seen


def payers(case, policy=None):
    """The units the plan may name as payers: the units of the case's municipality of the kinds
    the rule set names (Ale: sektorer; Sundsvall: nämnder), those taking part in the case first
    (``takes_part``)."""
    policy = policy or policy_of(case)
    return (
        OrganisationalUnit.objects.filter(municipality_id=case.municipality_id, kind__in=policy.payer_unit_kinds)
        .annotate(
            takes_part=Choose(
                When(pk__in=_taking_part(case), then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .order_by("-takes_part", "name")
    )


def payer_kinds_text(policy):
    return ", ".join(str(UnitKind(kind).label) for kind in policy.payer_unit_kinds) or _("inga")


def drafting_refusal(user, case, policy=None):
    """Why ``user`` may not draw up the case's plan, or None when they may: a role the rule set
    names as drafter, in the case's municipality; an applicant only for a case they take part in."""
    policy = policy or policy_of(case)
    if user.is_superuser:
        return None
    bodies = _(" eller ").join(case.rules.body_name(role) for role in policy.drafted_by)
    refused = _("Bara %(bodies)s upprättar återbetalningsplanen.") % {"bodies": bodies or _("ingen")}
    if user.municipality_id != case.municipality_id:
        return refused
    if any(user.has_role(role) for role in policy.drafted_by if role != APPLICANT):
        return None
    if APPLICANT in policy.drafted_by and user.has_role(APPLICANT):
        if is_case_participant(user, case):
            return None
        return _("Du deltar inte i ärendet och kan inte upprätta dess återbetalningsplan.")
    return refused


def granted_total(case):
    """The case's granted total: the latest granting decision's line."""
    line = case.decision_lines.grants().first()
    return line.total_amount if line and line.total_amount else ZERO


def basis_amount(case, policy):
    return consumed(case) if policy.basis == RepaymentBasis.CONSUMED else granted_total(case)


def _require(user, case, roles, message):
    if user.is_superuser:
        return
    if user.municipality_id != case.municipality_id or not any(user.has_role(role) for role in roles):
        raise RepaymentRefusedError(message)


def _check_installments(case, policy, installments, total_expected):
    low, high = policy.window(case.end_date)
    seen = set()
    years = set()
    for row, item in enumerate(installments):

        def refuse(message, row_field, row=row):
            return RepaymentRefusedError(message, "installments", row=row, row_field=row_field)

        if item.amount is None or item.amount <= 0:
            raise refuse(_("Varje delbetalning ska vara större än noll."), "amount")
        if low is None:
            raise RepaymentRefusedError(_("Ärendet saknar slutdatum; återbetalningsåren kan inte räknas."))
        if item.year < low or (high is not None and item.year > high):
            window = f"{low}–{high}" if high else f"{low}–"
            raise refuse(
                _("%(year)s ligger utanför återbetalningstiden %(window)s.") % {"year": item.year, "window": window},
                "year",
            )
        if item.unit.municipality_id != case.municipality_id:
            raise refuse(_("%(unit)s hör till en annan kommun.") % {"unit": item.unit.name}, "unit")
        if item.unit.kind not in policy.payer_unit_kinds:
            raise refuse(
                _("%(unit)s kan inte betala tillbaka: enligt regelverket betalar %(kinds)s.")
                % {"unit": item.unit.name, "kinds": payer_kinds_text(policy)},
                "unit",
            )
        if policy.tied_to_outcome_measures and not item.outcome_measure.strip():
            raise refuse(
                _("Knyt delbetalningen %(year)s till ett utfallsmått.") % {"year": item.year}, "outcome_measure"
            )
        if (item.year, item.unit.pk) in seen:
            raise refuse(
                _("%(unit)s har två delbetalningar %(year)s.") % {"unit": item.unit.name, "year": item.year}, "year"
            )
        seen.add((item.year, item.unit.pk))
        years.add(item.year)
    if len(years) > policy.max_years:
        raise RepaymentRefusedError(
            _("Återbetalningen får löpa över högst %(max)s år; planen har %(years)s.")
            % {"max": policy.max_years, "years": len(years)},
            "installments",
        )
    total = sum((item.amount for item in installments), ZERO)
    if policy.basis == RepaymentBasis.CONSUMED and total != total_expected:
        raise RepaymentRefusedError(
            _("Planen ska räknas på förbrukat belopp, %(basis)s, men delbetalningarna blir %(total)s.")
            % {"basis": format_kronor(total_expected), "total": format_kronor(total)},
            "installments",
        )
    if policy.basis != RepaymentBasis.CONSUMED and total > total_expected:
        raise RepaymentRefusedError(
            _("Delbetalningarna, %(total)s, är mer än det beviljade, %(basis)s.")
            % {"basis": format_kronor(total_expected), "total": format_kronor(total)},
            "installments",
        )


def _exemption_allowed(policy, savings_after_years, controlled_studies):
    rule = policy.exemption
    if not rule:
        raise RepaymentRefusedError(_("Regelverket medger inget undantag från återbetalning."), "exempt")
    beyond = rule.savings_beyond_years
    if beyond is not None and (savings_after_years is None or savings_after_years <= beyond):
        raise RepaymentRefusedError(
            _("Undantag gäller bara insatser vars besparingar väntas mer än %(years)s år fram i tiden.")
            % {"years": beyond},
            "savings_expected_after_years",
        )
    if rule.requires_controlled_studies and not controlled_studies:
        raise RepaymentRefusedError(
            _("Undantag kräver att metoden bygger på studier med försöks- och kontrollgrupper."),
            "rests_on_controlled_studies",
        )


def _may_draft_now(user, case, policy):
    applies, why_not = applies_to(case, policy)
    if not applies:
        raise RepaymentRefusedError(why_not)
    refusal = drafting_refusal(user, case, policy)
    if refusal:
        raise RepaymentRefusedError(refusal)
    if case.state in OPEN_STATES or case.state in (CaseState.REJECTED, CaseState.WITHDRAWN, CaseState.IDEA_REJECTED):
        raise RepaymentRefusedError(_("En återbetalningsplan upprättas för beviljade insatser."))


@transaction.atomic
def draft_plan(
    case,
    user,
    *,
    installments=(),
    outcome_measures="",
    exempt=False,
    exemption_reason="",
    savings_expected_after_years=None,
    rests_on_controlled_studies=False,
):
    """Draft (or redraft, until approved) the case's repayment plan from its rule set's policy,
    by the roles the rule set names as drafters (Ale: the applicants of the case). The payers are
    units of the kinds the rule set names, in the case's municipality. An exempt effort
    (Sundsvall 6.1) gets a plan that owes nothing, with its reason. Side effects: the plan, its
    installments and the case history entry."""
    from applications.models import Case

    case = Case.objects.select_for_update().get(pk=case.pk)
    policy = policy_of(case)
    _may_draft_now(user, case, policy)
    plan = RepaymentPlan.objects.select_for_update().filter(case=case).first()
    if plan and plan.status != PlanStatus.DRAFT:
        raise RepaymentRefusedError(_("Planen är redan godkänd och kan inte ändras."))
    basis = basis_amount(case, policy)
    installments = list(installments)
    if exempt:
        _exemption_allowed(policy, savings_expected_after_years, rests_on_controlled_studies)
        if not exemption_reason.strip():
            raise RepaymentRefusedError(_("Skriv skälet för undantaget."), "exemption_reason")
        installments = []
    else:
        if basis <= 0:
            raise RepaymentRefusedError(
                _("Inget belopp att räkna återbetalningen på än (underlag: %(basis)s).") % {"basis": policy.basis}
            )
        if not installments:
            raise RepaymentRefusedError(_("Lägg till minst en delbetalning."), "installments")
        _check_installments(case, policy, installments, basis)
        if policy.tied_to_outcome_measures and not outcome_measures.strip():
            raise RepaymentRefusedError(_("Ange de utfallsmått som återbetalningen knyts till."), "outcome_measures")
    fields = {
        "basis": policy.basis,
        "basis_amount": basis,
        "outcome_measures": outcome_measures,
        "exempt": exempt,
        "exemption_reason": exemption_reason if exempt else "",
        "savings_expected_after_years": savings_expected_after_years,
        "rests_on_controlled_studies": rests_on_controlled_studies,
    }
    if plan is None:
        plan = RepaymentPlan.objects.create(case=case, created_by=user, **fields)
    else:
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.save()
        plan.installments.all().delete()  # a draft's schedule is replaced whole
    Installment.objects.bulk_create(
        [
            Installment(plan=plan, year=i.year, unit=i.unit, amount=i.amount, outcome_measure=i.outcome_measure)
            for i in installments
        ]
    )
    record(
        case,
        "case.repayment_plan_drafted",
        actor=user,
        data={"basis": policy.basis, "basis_amount": str(basis), "exempt": exempt},
    )
    return plan


@transaction.atomic
def approve_plan(plan, user):
    """The body the rule set names (Sundsvall: ledningsgruppen; Ale: the steering group) approves,
    once; an approved plan no longer changes."""
    plan = RepaymentPlan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    case = plan.case
    policy = policy_of(case)
    role = policy.approver
    _require(
        user, case, [role], _("Bara %(body)s godkänner återbetalningsplanen.") % {"body": case.rules.body_name(role)}
    )
    if plan.status != PlanStatus.DRAFT:
        raise RepaymentRefusedError(_("Planen är redan godkänd."))
    plan.status = PlanStatus.APPROVED
    plan.approved_by = user
    plan.approved_at = timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    record(
        case,
        "case.repayment_plan_approved",
        actor=user,
        from_state=plan_state(PlanStatus.DRAFT),
        to_state=plan_state(PlanStatus.APPROVED),
    )
    return plan


def settled(plan):
    """Repaid and written off per (year, unit id), from the ledger, in one query."""
    rows = (
        plan.case.ledger_entries.filter(kind__in=[EntryKind.REPAYMENT, EntryKind.WRITE_OFF])
        .values("kind", "unit_id", "from_year")
        .annotate(total=money_sum("amount"))
        .order_by()
    )
    repaid = defaultdict(lambda: ZERO)
    written_off = defaultdict(lambda: ZERO)
    for row in rows:
        # The installment's year travels in from_year: the entry itself is booked on the year
        # the money moves.
        key = (row["from_year"], row["unit_id"])
        (repaid if row["kind"] == EntryKind.REPAYMENT else written_off)[key] += row["total"]
    return repaid, written_off


@dataclass(frozen=True)
class ScheduleRow:
    installment: Installment
    repaid: Decimal
    written_off: Decimal

    @property
    def remaining(self):
        return self.installment.amount - self.repaid - self.written_off


def schedule(plan):
    repaid, written_off = settled(plan)
    return [
        ScheduleRow(i, repaid[(i.year, i.unit_id)], written_off[(i.year, i.unit_id)])
        for i in plan.installments.select_related("unit")
    ]


@dataclass(frozen=True)
class PlanSummary:
    owed: Decimal
    repaid: Decimal
    written_off: Decimal

    @property
    def remaining(self):
        return self.owed - self.repaid - self.written_off


def summary(rows):
    return PlanSummary(
        owed=sum((r.installment.amount for r in rows), ZERO),
        repaid=sum((r.repaid for r in rows), ZERO),
        written_off=sum((r.written_off for r in rows), ZERO),
    )


@transaction.atomic
def record_repayment(plan, user, *, year, unit, amount, realised_savings=None, entry_date=None, booked_year=None):
    """A nämnd repays its installment of ``year`` (through a reduced budget frame). Refused when the
    plan is not approved, the amount is more than is owed, or (repaid from savings) more than the
    savings realised: without savings nothing is owed. Refills the fund."""
    plan = RepaymentPlan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    case = plan.case
    if not user.has_perm("funds.record_money", case):
        raise RepaymentRefusedError(_("Bara controller eller kommunens administratör bokför återbetalningar."))
    if plan.status != PlanStatus.APPROVED:
        raise RepaymentRefusedError(_("Återbetalningar bokförs mot en godkänd, pågående plan."))
    if amount is None or amount <= 0:
        raise RepaymentRefusedError(_("Beloppet måste vara större än noll."), "amount")
    rows = {(r.installment.year, r.installment.unit_id): r for r in schedule(plan)}
    row = rows.get((year, unit.pk))
    if row is None:
        raise RepaymentRefusedError(
            _("Planen har ingen delbetalning för %(unit)s %(year)s.") % {"unit": unit.name, "year": year}, "year"
        )
    if amount > row.remaining:
        raise RepaymentRefusedError(
            _("Återbetalningen är större än det som återstår: %(left)s; det är %(over)s för mycket.")
            % {"left": format_kronor(row.remaining), "over": format_kronor(amount - row.remaining)},
            "amount",
        )
    policy = policy_of(case)
    if policy.from_savings:
        if realised_savings is None:
            raise RepaymentRefusedError(_("Ange de realiserade besparingarna som återbetalningen görs ur."), "savings")
        if amount > realised_savings:
            raise RepaymentRefusedError(
                _("Återbetalningen görs ur realiserade besparingar, %(savings)s; den kan inte vara större.")
                % {"savings": format_kronor(realised_savings)},
                "amount",
            )
    entry = record_repayment_entry(
        case,
        user,
        kind=EntryKind.REPAYMENT,
        amount=amount,
        year=booked_year or year,
        unit=unit,
        installment_year=year,
        basis=_("Återbetalningsplan för %(case)s") % {"case": case.number or case.title},
        entry_date=entry_date,
        note=_("Realiserade besparingar: %(savings)s") % {"savings": format_kronor(realised_savings)}
        if realised_savings is not None
        else "",
    )
    record(case, "case.repaid", actor=user, data={"year": year, "unit": unit.name, "amount": str(amount)})
    return entry


@transaction.atomic
def close_plan(plan, user, *, today=None):
    """Close the plan when its window has passed: whatever is left unpaid is written off, one
    visible ledger entry per installment (Sundsvall: no savings, nothing owed)."""
    today = today or timezone.localdate()
    plan = RepaymentPlan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    case = plan.case
    if not user.has_perm("funds.record_money", case):
        raise RepaymentRefusedError(_("Bara controller eller kommunens administratör avslutar planen."))
    if plan.status != PlanStatus.APPROVED:
        raise RepaymentRefusedError(_("Bara en godkänd, pågående plan kan avslutas."))
    rows = schedule(plan)
    last = max((r.installment.year for r in rows), default=None)
    if last is not None and today.year <= last:
        raise RepaymentRefusedError(
            _("Återbetalningstiden löper till och med %(year)s; planen kan avslutas därefter.") % {"year": last}
        )
    entries = []
    for row in rows:
        if row.remaining > 0:
            entries.append(
                record_repayment_entry(
                    case,
                    user,
                    kind=EntryKind.WRITE_OFF,
                    amount=row.remaining,
                    year=today.year,
                    unit=row.installment.unit,
                    installment_year=row.installment.year,
                    basis=_("Återbetalningstiden har löpt ut"),
                    entry_date=today,
                    note=_("Ej återbetalt av %(unit)s för %(year)s; skrivs av.")
                    % {"unit": row.installment.unit.name, "year": row.installment.year},
                )
            )
    plan.status = PlanStatus.CLOSED
    plan.closed_at = timezone.now()
    plan.save(update_fields=["status", "closed_at"])
    written_off = sum((e.amount for e in entries), ZERO)
    record(
        case,
        "case.repayment_plan_closed",
        actor=user,
        from_state=plan_state(PlanStatus.APPROVED),
        to_state=plan_state(PlanStatus.CLOSED),
        data={"written_off": str(written_off)},
    )
    return entries
