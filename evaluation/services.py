"""Operations on a case's evaluation. Each checks who acts, validates, changes and writes the
case's history in one transaction: it happens whole, with its record, or not at all."""

from dataclasses import asdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.conditions import closing_report_in
from applications.enums import RUNNING_STATES, CaseState, state_clause
from applications.models import Case
from applications.services import TransitionRefusedError
from applications.services.signing import signed_content_if_signed, void_signatures_after_change
from applications.services.steps import complete_start_step
from audit.services import record
from municipalities.enums import UnitKind
from municipalities.rulebook.enums import EvaluationKind

from . import calculation as calc
from . import rules
from .enums import (
    KINDS_USING_CONSUMED,
    MUNICIPAL_PAYER_PREFIX,
    Comparison,
    Group,
    Payer,
    Recommendation,
)
from .models import (
    Calculation,
    CalculationSnapshot,
    CostLine,
    Evaluation,
    Indicator,
    IndicatorValue,
    MeasurementPlan,
    OutcomeLine,
    UnitCost,
)


class EvaluationRefusedError(TransitionRefusedError):
    """Refused; nothing was stored. ``problems`` lists calculation problems by field; ``field``
    names the form field the refusal concerns, if one."""

    def __init__(self, message, problems=(), field=None):
        super().__init__(message, field)
        self.problems = list(problems)


def _require(allowed_reason):
    allowed, reason = allowed_reason
    if not allowed:
        raise PermissionDenied(reason)


def _lock(case):
    return Case.objects.select_for_update().get(pk=case.pk)


# ---- Payers --------------------------------------------------------------------------------------
PAYING_UNIT_KINDS = [UnitKind.NAMND, UnitKind.STYRELSE, UnitKind.SEKTOR, UnitKind.KONTOR]


def payer_choices(municipality):
    """(key, label): the municipality's nämnder (or sectors, offices) first, then the others."""
    units = municipality.units.filter(kind__in=PAYING_UNIT_KINDS, parent__isnull=True).order_by("name")
    return [(f"{MUNICIPAL_PAYER_PREFIX}{unit.pk}", unit.name) for unit in units] + list(Payer.choices)


# ---- Calculation ---------------------------------------------------------------------------------
def calculation_for(case, kind):
    """The case's calculation of this kind, or an unsaved one with the defaults."""
    found = Calculation.objects.filter(case=case, kind=kind).prefetch_related("cost_lines", "outcome_lines").first()
    if found:
        return found
    first_year = case.period_start.year if case.period_start else timezone.localdate().year
    return Calculation(case=case, kind=kind, first_year=first_year)


def inputs_of(calculation, cost_lines, outcome_lines):
    """The pure calculation's inputs from (possibly unsaved) model rows."""
    first = calculation.first_year or 0
    return calc.Inputs(
        discount_rate=calculation.discount_rate,
        horizon=calculation.horizon,
        first_year=first,
        use_consumed=calculation.kind in KINDS_USING_CONSUMED,
        costs=tuple(
            calc.CostLine(year=line.year - first, payer=line.payer, granted=line.granted, consumed=line.consumed)
            for line in cost_lines
        ),
        outcomes=tuple(
            calc.OutcomeLine(
                name=line.name,
                unit_cost=line.unit_amount if line.unit_cost_id else None,
                quantity=line.quantity,
                baseline=line.baseline,
                start_year=line.start_year - first,
                duration=line.duration,
                drop_off=line.drop_off,
                deadweight=line.deadweight,
                attribution=line.attribution,
                displacement=line.displacement,
                confidence=line.confidence,
                cashable=line.cashable,
                transfer=line.transfer,
                transfer_from=line.transfer_from,
                split={payer: Decimal(str(share)) for payer, share in line.split.items()},
                effect_source=line.effect_source,
            )
            for line in outcome_lines
        ),
    )


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def inputs_to_json(inputs):
    return _jsonable(asdict(inputs))


def inputs_from_json(data):
    def dec(value):
        return Decimal(value) if value is not None else None

    return calc.Inputs(
        discount_rate=Decimal(data["discount_rate"]),
        horizon=data["horizon"],
        first_year=data["first_year"],
        use_consumed=data["use_consumed"],
        costs=tuple(
            calc.CostLine(year=c["year"], payer=c["payer"], granted=dec(c["granted"]), consumed=dec(c["consumed"]))
            for c in data["costs"]
        ),
        outcomes=tuple(
            calc.OutcomeLine(
                **{
                    **o,
                    **{name: dec(o[name]) for name in ("unit_cost", "quantity", "baseline", *calc.PERCENT_FIELDS)},
                    "split": {payer: Decimal(share) for payer, share in o["split"].items()},
                }
            )
            for o in data["outcomes"]
        ),
    )


def results_of(snapshot):
    """The results of a saved calculation, computed from its snapshot's inputs (deterministic:
    the Monte Carlo run is seeded, so they equal the results stored with it)."""
    inputs = inputs_from_json(snapshot.inputs)
    payers = list(snapshot.results.get("payers", []))
    return calc.calculate(inputs, payer_order=payers)


@transaction.atomic
def save_calculation(case, kind, user, *, discount_rate, horizon, first_year, costs, outcomes):
    """Replace the calculation's inputs, compute it and add an immutable snapshot of inputs and
    results. ``costs`` and ``outcomes`` are lists of field dicts (years as calendar years).

    Refused (EvaluationRefusedError with the problems by field; nothing stored) when an input is
    invalid; PermissionDenied when the user may not edit this calculation. Side effect: a history
    entry on the case naming the version and its NPV."""
    case = _lock(case)
    _require(rules.calculation_requirements(kind).check(user, case))
    calculation = Calculation.objects.filter(case=case, kind=kind).first() or Calculation(case=case, kind=kind)
    calculation.discount_rate = discount_rate
    calculation.horizon = horizon
    calculation.first_year = first_year
    calculation.updated_by = user
    cost_rows = [CostLine(**fields) for fields in costs]
    outcome_rows = [OutcomeLine(**fields) for fields in outcomes]
    for row in outcome_rows:
        if row.unit_cost_id and row.unit_cost.municipality_id != case.municipality_id:
            raise EvaluationRefusedError(_("Enhetskostnaden hör till en annan kommun."))
        if row.unit_cost_id and row.unit_amount is None:
            row.unit_amount = row.unit_cost.amount
        if row.unit_amount is None:
            row.unit_amount = Decimal(0)
    inputs = inputs_of(calculation, cost_rows, outcome_rows)
    problems = calc.validate(inputs)
    if problems:
        raise EvaluationRefusedError(_("Kalkylen är inte sparad: rätta det som är markerat."), problems)
    payers = [key for key, _label in payer_choices(case.municipality)]
    result = calc.calculate(inputs, payer_order=payers)
    calculation.save()
    calculation.cost_lines.all().delete()
    calculation.outcome_lines.all().delete()
    for row in cost_rows:
        row.calculation = calculation
    for row in outcome_rows:
        row.calculation = calculation
    CostLine.objects.bulk_create(cost_rows)
    OutcomeLine.objects.bulk_create(outcome_rows)
    number = (calculation.snapshots.aggregate(n=Max("number"))["n"] or 0) + 1
    snapshot = CalculationSnapshot.objects.create(
        calculation=calculation,
        case=case,
        kind=kind,
        number=number,
        inputs=inputs_to_json(inputs),
        results=_jsonable(asdict(result)),
        npv=result.npv,
        saved_by=user,
    )
    record(
        case,
        "calculation.saved",
        actor=user,
        data={"kind": kind, "version": number, "npv": str(result.npv), "discount_rate": str(discount_rate)},
    )
    return snapshot


def latest_snapshot(case, kind):
    return (
        CalculationSnapshot.objects.filter(case=case, kind=kind).select_related("saved_by").order_by("-number").first()
    )


# ---- Measurement plan and values -----------------------------------------------------------------
@transaction.atomic
def save_measurement_plan(case, user, *, fields, indicators):
    """Create or replace the case's structured mätplan. ``indicators`` is a list of (indicator
    or None, fields, delete). Side effects: a history entry on the case; a change voids every
    signature on the application (the application may rely on this plan)."""
    case = _lock(case)
    _require(rules.EDIT_PLAN.check(user, case))
    before = signed_content_if_signed(case)
    plan = MeasurementPlan.objects.filter(case=case).first() or MeasurementPlan(case=case)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.updated_by = user
    plan.save()
    for existing, values, delete in indicators:
        if existing is not None and existing.plan_id != plan.pk:
            raise EvaluationRefusedError(_("Indikatorn hör till en annan mätplan."))
        if delete:
            if existing is not None:
                existing.delete()
            continue
        indicator = existing or Indicator(plan=plan)
        for name, value in values.items():
            setattr(indicator, name, value)
        indicator.save()
    record(case, "measurement_plan.saved", actor=user, data={"indicators": plan.indicators.count()})
    void_signatures_after_change(case, user, before)
    if plan.indicators.exists():
        complete_start_step(case, "evaluation_plan", user, comment=_("Mätplanen med indikatorer är sparad."))
    return plan


@transaction.atomic
def enter_indicator_value(indicator, user, *, period, group, value, report_id=None):
    """Store (or correct) the value of one group for one period. Side effect: a history entry."""
    case = _lock(indicator.plan.case)
    _require(rules.ENTER_VALUES.check(user, case))
    if group not in Group.values:
        raise EvaluationRefusedError(_("Välj målgrupp eller jämförelsegrupp."))
    entry, created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        period=period,
        group=group,
        defaults={"value": value, "entered_by": user, "report_id": report_id},
    )
    record(
        case,
        "indicator_value.entered" if created else "indicator_value.corrected",
        actor=user,
        data={"indicator": indicator.name, "period": period.isoformat(), "group": group, "value": str(value)},
    )
    return entry


def indicator_effect(indicator, values=None):
    """The effect estimate for one indicator from its values (prefetched ones if given):
    difference-in-differences when both groups have a baseline, beside the naive estimates."""
    values = list(indicator.values.all()) if values is None else values
    target = sorted((v for v in values if v.group == Group.TARGET), key=lambda v: v.period)
    comparison = sorted((v for v in values if v.group == Group.COMPARISON), key=lambda v: v.period)
    target_before = indicator.baseline_value if indicator.baseline_value is not None else None
    if target_before is None and len(target) > 1:
        target_before = target[0].value
    if target_before is None or not target:
        return None
    comparison_before = comparison[0].value if len(comparison) > 1 else None
    comparison_after = comparison[-1].value if comparison else None
    return calc.difference_in_differences(target_before, target[-1].value, comparison_before, comparison_after)


# ---- Evaluation ----------------------------------------------------------------------------------
# The case's evaluations are frozen once it is evaluated: the decision on implementation rests on them.
EVALUATION_FROZEN_STATES = [
    CaseState.EVALUATED,
    CaseState.IMPLEMENTED,
    CaseState.PARTLY_IMPLEMENTED,
    CaseState.NOT_IMPLEMENTED,
]
# Where an evaluation can be handed in: while the project runs, or once its final report is in.
EVALUATION_SUBMIT_STATES = [*RUNNING_STATES, CaseState.ABORT_PROPOSED, CaseState.FINAL_REPORT]


@transaction.atomic
def save_evaluation(case, kind, user, *, fields):
    """Create or update the half-time or final evaluation. A change to a submitted evaluation
    takes the submission back: it must be handed in again. Refused (EvaluationRefusedError) once
    the case is evaluated, and a proposal to implement in part where the rule set does not allow
    it. Side effect: a history entry."""
    case = _lock(case)
    _require(rules.EDIT_EVALUATION.check(user, case))
    if case.state in EVALUATION_FROZEN_STATES:
        raise EvaluationRefusedError(
            _("Utvärderingen kan inte ändras när %(state)s.") % {"state": state_clause(case.state)}
        )
    if (
        fields.get("recommendation") == Recommendation.IMPLEMENT_PARTLY
        and not case.rules.partial_implementation_allowed
    ):
        # The evaluation proposes what the deciding body may decide (Ale, Heby, Norrköping: all or nothing).
        raise EvaluationRefusedError(
            _("Regelverket medger inte delvis implementering: föreslå att implementera eller att inte implementera."),
            field="recommendation",
        )
    evaluation = Evaluation.objects.filter(case=case, kind=kind).first() or Evaluation(case=case, kind=kind)
    for name, value in fields.items():
        setattr(evaluation, name, value)
    evaluation.updated_by = user
    withdrawn = evaluation.submitted_at is not None
    evaluation.submitted_at, evaluation.submitted_by = None, None
    evaluation.save()
    record(
        case,
        "evaluation.saved",
        actor=user,
        data={"kind": kind, "recommendation": evaluation.recommendation, "submission_withdrawn": withdrawn},
    )
    return evaluation


def may_submit_evaluation(case, kind, user, evaluation=None):
    """(allowed, reason) for ``user`` handing in the evaluation of ``kind`` now. The final
    evaluation comes after the report that closes the follow-up (the final report, or Heby's last
    annual report)."""
    allowed, reason = rules.EDIT_EVALUATION.check(user, case)
    if not allowed:
        return False, reason
    if evaluation is None:
        return False, _("Skriv och spara utvärderingen innan den lämnas in.")
    if evaluation.submitted_at is not None:
        return False, _("Utvärderingen är redan inlämnad.")
    if case.state not in EVALUATION_SUBMIT_STATES:
        return False, _("Utvärderingen kan inte lämnas in när %(state)s.") % {"state": state_clause(case.state)}
    if kind == EvaluationKind.FINAL and not closing_report_in(case):
        return False, _("Slututvärderingen lämnas in när projektets sista rapport är inlämnad: %(missing)s") % {
            "missing": closing_report_in.explain(case)
        }
    return True, ""


@transaction.atomic
def submit_evaluation(case, kind, user):
    """Hand in the half-time or final evaluation as done. The preparing group then marks the case
    "utvärderat" (the transition is refused until the evaluations the rule set requires are in).

    Refused (EvaluationRefusedError, nothing changed): someone who may not write the evaluation,
    an evaluation not written or already submitted, a case not running, and a final evaluation
    before the project's last report. Side effects: the submission, a history entry."""
    case = _lock(case)
    evaluation = Evaluation.objects.select_for_update().filter(case=case, kind=kind).first()
    allowed, reason = may_submit_evaluation(case, kind, user, evaluation)
    if not allowed:
        raise EvaluationRefusedError(reason)
    evaluation.submitted_at, evaluation.submitted_by = timezone.now(), user
    evaluation.save(update_fields=["submitted_at", "submitted_by"])
    record(case, "evaluation.submitted", actor=user, data={"kind": kind})
    return evaluation


# ---- Unit costs ----------------------------------------------------------------------------------
@transaction.atomic
def save_unit_cost(municipality, user, *, fields, unit_cost=None):
    """Add or change a row of the catalogue. Calculations already saved keep the amount they used.
    Side effect: a history entry on the municipality."""
    _require(rules.EDIT_UNIT_COSTS.check(user, municipality))
    if unit_cost is not None and unit_cost.municipality_id != municipality.pk:
        raise PermissionDenied(_("Enhetskostnaden hör till en annan kommun."))
    unit_cost = unit_cost or UnitCost(municipality=municipality)
    before = str(unit_cost.amount) if unit_cost.pk else ""
    for name, value in fields.items():
        setattr(unit_cost, name, value)
    unit_cost.save()
    record(
        municipality,
        "unit_cost.saved",
        actor=user,
        municipality=municipality,
        data={"name": unit_cost.name, "from": before, "to": str(unit_cost.amount), "price_year": unit_cost.price_year},
    )
    return unit_cost


# Demo and starting rows: typical Swedish municipal unit costs (rounded; the sources are the
# kinds of publication municipalities use, to be replaced by each municipality's own figures).
SEED_UNIT_COSTS = [
    ("Dygn i HVB (hem för vård eller boende)", "dygn", "4500", "Kolada, kostnad institutionsvård barn och unga"),
    ("Dygn i familjehem", "dygn", "1400", "Kolada, kostnad familjehemsvård barn och unga"),
    ("Barnavårdsutredning", "utredning", "45000", "Egen tidsstudie, individ- och familjeomsorgen"),
    ("Elevår med särskilt stöd", "elevår", "120000", "Skolverket, kostnad per elev, tilläggsbelopp"),
    ("År med försörjningsstöd, hushåll", "hushållsår", "110000", "Socialstyrelsen, ekonomiskt bistånd"),
    ("Skatteintäkt av ett års arbete", "år", "140000", "SKR, skatteunderlag per förvärvsarbetande"),
]


def seed_unit_costs(municipality, year=None):
    """Starting rows of the catalogue for a municipality that has none; idempotent."""
    year = year or timezone.localdate().year
    if municipality.unit_costs.exists():
        return []
    return UnitCost.objects.bulk_create(
        UnitCost(municipality=municipality, name=name, unit=unit, amount=Decimal(amount), price_year=year, source=src)
        for name, unit, amount, src in SEED_UNIT_COSTS
    )


def latest_snapshots(case):
    """The newest snapshot of each of the case's calculations, in one query."""
    newest = {}
    for snapshot in CalculationSnapshot.objects.filter(case=case).order_by("kind", "-number"):
        newest.setdefault(snapshot.kind, snapshot)
    return list(newest.values())


def preferred_comparison(case):
    """The rule set's first preferred comparison this app knows, else a control group."""
    preference = case.rules.evaluation.comparison_preference
    return next((choice for choice in preference if choice in Comparison.values), Comparison.CONTROL_GROUP)
