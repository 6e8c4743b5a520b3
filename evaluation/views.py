from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.selectors import cases_for_list
from core.filenames import file_name, set_disposition
from core.pdf import RenderError
from core.refusals import DomainRefusedError, show_refusal
from municipalities.rulebook.enums import EvaluationKind

from . import presentation, rules, services
from .documents import render_calculation_pdf
from .enums import CalculationKind
from .forms import (
    CalculationForm,
    CostLineFormSet,
    EvaluationForm,
    IndicatorFormSet,
    IndicatorValueForm,
    MeasurementPlanForm,
    OutcomeLineForm,
    OutcomeLineFormSet,
    UnitCostForm,
)
from .models import Evaluation, Indicator, MeasurementPlan, UnitCost


def _case_for(request, pk):
    """The case if the user may see it; another municipality's case is 'not found'."""
    return get_object_or_404(cases_for_list(request.user), pk=pk)


def _kind(kind, choices):
    if kind not in choices.values:
        raise Http404
    return kind


@login_required
def overview(request, pk):
    case = _case_for(request, pk)
    plan = MeasurementPlan.objects.filter(case=case).prefetch_related("indicators__values").first()
    snapshots = {s.kind: s for s in services.latest_snapshots(case)}
    evaluations = {e.kind: e for e in Evaluation.objects.filter(case=case)}
    return render(
        request,
        "evaluation/overview.html",
        {
            "case": case,
            "rules_evaluation": case.rules.evaluation,
            "plan": plan,
            "indicator_rows": presentation.indicator_rows(plan),
            "calculations": [(kind, label, snapshots.get(kind)) for kind, label in CalculationKind.choices],
            "evaluations": [(kind, label, evaluations.get(kind)) for kind, label in EvaluationKind.choices],
        },
    )


# ---- Calculation ---------------------------------------------------------------------------------
def _calculation_forms(request, case, calculation, payers, unit_costs):
    form_kwargs_cost = {"payers": payers}
    form_kwargs_outcome = {"payers": payers, "unit_costs": unit_costs}
    if request.method == "POST":
        return (
            CalculationForm(request.POST),
            CostLineFormSet(request.POST, prefix="costs", form_kwargs=form_kwargs_cost),
            OutcomeLineFormSet(request.POST, prefix="outcomes", form_kwargs=form_kwargs_outcome),
        )
    saved = calculation.pk is not None
    costs = (
        [
            {f: getattr(line, f) for f in ("year", "payer", "description", "granted", "consumed")}
            for line in calculation.cost_lines.all()
        ]
        if saved
        else presentation.costs_from_application(case, payers)
    )
    outcomes = [OutcomeLineForm.initial_of(line) for line in calculation.outcome_lines.all()] if saved else []
    return (
        CalculationForm(
            initial={
                "discount_rate": calculation.discount_rate,
                "horizon": calculation.horizon,
                "first_year": calculation.first_year,
            }
        ),
        CostLineFormSet(initial=costs, prefix="costs", form_kwargs=form_kwargs_cost),
        OutcomeLineFormSet(initial=outcomes, prefix="outcomes", form_kwargs=form_kwargs_outcome),
    )


def _put_problems_on_forms(problems, form, cost_set, outcome_set):
    lists = {"costs": cost_set.live_forms(), "outcomes": outcome_set.live_forms()}
    for problem in problems:
        parts = problem.field.split(".")
        if len(parts) == 1:
            form.add_error(parts[0] if parts[0] in form.fields else None, problem.message)
        else:
            target = lists[parts[0]][int(parts[1])]
            target.add_error(parts[2] if parts[2] in target.fields else None, problem.message)


@login_required
def calculation_view(request, pk, kind):
    case = _case_for(request, pk)
    kind = _kind(kind, CalculationKind)
    user = request.user
    may_edit, reason = rules.calculation_requirements(kind).check(user, case)
    calculation = services.calculation_for(case, kind)
    payers = services.payer_choices(case.municipality)
    unit_costs = list(UnitCost.objects.filter(municipality_id=case.municipality_id))
    form, cost_set, outcome_set = _calculation_forms(request, case, calculation, payers, unit_costs)
    status = 200
    if request.method == "POST":
        if not may_edit:
            messages.error(request, reason)
            return redirect("evaluation:calculation", case.pk, kind)
        if form.is_valid() and cost_set.is_valid() and outcome_set.is_valid():
            try:
                snapshot = services.save_calculation(
                    case,
                    kind,
                    user,
                    **form.cleaned_data,
                    costs=cost_set.lines(),
                    outcomes=outcome_set.lines(),
                )
            except services.EvaluationRefusedError as error:
                _put_problems_on_forms(error.problems, form, cost_set, outcome_set)
                messages.error(request, str(error))
            except PermissionDenied as error:
                messages.error(request, str(error))
                return redirect("evaluation:calculation", case.pk, kind)
            else:
                messages.success(request, _("Kalkylen är sparad som version %(number)s.") % {"number": snapshot.number})
                return redirect("evaluation:calculation", case.pk, kind)
        else:
            messages.error(request, _("Kalkylen är inte sparad: rätta det som är markerat."))
        status = 422
    snapshot = services.latest_snapshot(case, kind)
    context = {
        "case": case,
        "kind": kind,
        "kind_label": CalculationKind(kind).label,
        "kinds": CalculationKind.choices,
        "may_edit": may_edit,
        "reason": reason,
        "form": form,
        "cost_set": cost_set,
        "outcome_set": outcome_set,
        "snapshot": snapshot,
        "uses_consumed": kind in services.KINDS_USING_CONSUMED,
        **presentation.calculation_context(snapshot, payers),
    }
    return render(request, "evaluation/calculation.html", context, status=status)


@login_required
def calculation_pdf(request, pk, kind):
    case = _case_for(request, pk)
    kind = _kind(kind, CalculationKind)
    snapshot = services.latest_snapshot(case, kind)
    if snapshot is None:
        raise Http404
    payers = services.payer_choices(case.municipality)
    try:
        content = render_calculation_pdf(case, snapshot, payers)
    except RenderError as error:
        messages.error(request, _("PDF:en kunde inte skapas: %(error)s") % {"error": error})
        return redirect("evaluation:calculation", case.pk, kind)
    response = HttpResponse(content, content_type="application/pdf")
    with translation.override("sv"):  # file names are Swedish, whatever the page's language
        label = str(CalculationKind(kind).label)
    number = case.number or f"arende {case.pk}"
    return set_disposition(response, file_name(label, number, f"v{snapshot.number}", extension="pdf"), inline=True)


# ---- Measurement plan and values -----------------------------------------------------------------
@login_required
def plan_edit(request, pk):
    case = _case_for(request, pk)
    allowed, reason = rules.EDIT_PLAN.check(request.user, case)
    if not allowed:
        messages.error(request, reason)
        return redirect("evaluation:overview", case.pk)
    plan = MeasurementPlan.objects.filter(case=case).prefetch_related("indicators").first()
    indicators = list(plan.indicators.all()) if plan else []
    fields = ("name", "kind", "unit", "baseline_value", "baseline_date", "target_value", "measurement_times")
    if request.method == "POST":
        form = MeasurementPlanForm(request.POST)
        indicator_set = IndicatorFormSet(request.POST, prefix="indicators")
        if form.is_valid() and indicator_set.is_valid():
            rows = []
            for index, indicator_form in enumerate(indicator_set.forms):
                existing = indicators[index] if index < len(indicators) else None
                if existing is None and not indicator_form.has_changed():
                    continue
                delete = indicator_form.cleaned_data.get("DELETE", False)
                values = {name: indicator_form.cleaned_data.get(name) for name in fields}
                rows.append((existing, values, delete))
            try:
                services.save_measurement_plan(case, request.user, fields=form.cleaned_data, indicators=rows)
            except (DomainRefusedError, PermissionDenied) as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, _("Mätplanen är sparad."))
                return redirect("evaluation:overview", case.pk)
    else:
        initial = {}
        if plan:
            initial = {n: getattr(plan, n) for n in ("goals", "activities", "comparison", "comparison_description")}
        else:
            initial = {"comparison": services.preferred_comparison(case)}
        form = MeasurementPlanForm(initial=initial)
        indicator_set = IndicatorFormSet(
            initial=[{name: getattr(i, name) for name in fields} for i in indicators], prefix="indicators"
        )
    return render(
        request,
        "evaluation/plan_form.html",
        {
            "case": case,
            "form": form,
            "indicator_set": indicator_set,
            "rules_evaluation": case.rules.evaluation,
        },
    )


@login_required
def indicator_values(request, pk, indicator_id):
    case = _case_for(request, pk)
    indicator = get_object_or_404(Indicator, pk=indicator_id, plan__case=case)
    allowed, reason = rules.ENTER_VALUES.check(request.user, case)
    form = IndicatorValueForm(request.POST or None)
    if request.method == "POST":
        if not allowed:
            messages.error(request, reason)
            return redirect("evaluation:values", case.pk, indicator.pk)
        if form.is_valid():
            try:
                services.enter_indicator_value(indicator, request.user, **form.cleaned_data)
            except (DomainRefusedError, PermissionDenied) as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, _("Mätvärdet är sparat."))
                return redirect("evaluation:values", case.pk, indicator.pk)
    values = list(indicator.values.select_related("entered_by"))
    return render(
        request,
        "evaluation/indicator_values.html",
        {
            "case": case,
            "indicator": indicator,
            "values": values,
            "effect": services.indicator_effect(indicator, values),
            "form": form,
            "may_enter": allowed,
            "reason": reason,
        },
    )


# ---- Evaluation ----------------------------------------------------------------------------------
@login_required
def evaluation_edit(request, pk, kind):
    case = _case_for(request, pk)
    kind = _kind(kind, EvaluationKind)
    allowed, reason = rules.EDIT_EVALUATION.check(request.user, case)
    evaluation = Evaluation.objects.filter(case=case, kind=kind).first()
    show_frame = case.rules.evaluation.within_annual_report or bool(
        evaluation and evaluation.frame_adjustment is not None
    )
    names = ("effects", "process", "costs", "conclusion", "recommendation", "frame_adjustment")
    initial = {n: getattr(evaluation, n) for n in names} if evaluation else {}
    partial_allowed = case.rules.partial_implementation_allowed
    form = EvaluationForm(
        request.POST or None, initial=initial, show_frame_adjustment=show_frame, partial_allowed=partial_allowed
    )
    status = 200
    if request.method == "POST":
        if not allowed:
            messages.error(request, reason)
            return redirect("evaluation:evaluation", case.pk, kind)
        if form.is_valid():
            try:
                services.save_evaluation(case, kind, request.user, fields=form.cleaned_data)
            except DomainRefusedError as refusal:
                show_refusal(form, refusal)
            except PermissionDenied as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("Utvärderingen är sparad. Lämna in den när den är klar.")
                    if case.state in services.EVALUATION_SUBMIT_STATES
                    else _("Utvärderingen är sparad."),
                )
                return redirect("evaluation:evaluation", case.pk, kind)
        status = 400
    may_submit, submit_reason = services.may_submit_evaluation(case, kind, request.user, evaluation)
    forecast = services.latest_snapshot(case, CalculationKind.FORECAST)
    final = services.latest_snapshot(case, CalculationKind.FINAL)
    return render(
        request,
        "evaluation/evaluation_form.html",
        {
            "case": case,
            "kind": kind,
            "kind_label": EvaluationKind(kind).label,
            "evaluation": evaluation,
            "form": form,
            "may_edit": allowed,
            "reason": reason,
            "comparison": presentation.forecast_beside_final(forecast, final),
            "may_submit": may_submit,
            "submit_reason": submit_reason,
            "partial_allowed": partial_allowed,
            "rules_evaluation": case.rules.evaluation,
            "items": presentation.evaluation_items(evaluation, form) if evaluation and not allowed else [],
        },
        status=status,
    )


@login_required
@require_POST
def evaluation_submit(request, pk, kind):
    """Hand in the evaluation as done."""
    case = _case_for(request, pk)
    kind = _kind(kind, EvaluationKind)
    try:
        services.submit_evaluation(case, kind, request.user)
    except (DomainRefusedError, PermissionDenied) as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Utvärderingen är inlämnad."))
    return redirect("evaluation:evaluation", case.pk, kind)


# ---- Unit costs ----------------------------------------------------------------------------------
@login_required
def unit_costs(request):
    municipality = request.user.municipality
    if municipality is None:
        raise Http404
    allowed, reason = rules.EDIT_UNIT_COSTS.check(request.user, municipality)
    edited = None
    if request.GET.get("andra"):
        if not request.GET["andra"].isdigit():
            raise Http404
        edited = get_object_or_404(UnitCost, pk=request.GET["andra"], municipality=municipality)
    form = UnitCostForm(request.POST or None, instance=edited)
    if request.method == "POST":
        if not allowed:
            messages.error(request, reason)
            return redirect("evaluation:unit_costs")
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.save_unit_cost(municipality, request.user, fields=fields, unit_cost=edited)
            except PermissionDenied as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Enhetskostnaden är sparad."))
                return redirect("evaluation:unit_costs")
    return render(
        request,
        "evaluation/unit_costs.html",
        {
            "unit_costs": UnitCost.objects.filter(municipality=municipality),
            "form": form,
            "edited": edited,
            "may_edit": allowed,
            "reason": reason,
        },
    )
