"""What the evaluation pages and the PDF show, prepared from saved calculations and values.
Templates only display these; the numbers come from evaluation.calculation."""

from decimal import Decimal

from django.utils.translation import gettext as _

from core.formatting import format_kronor

from . import charts, services
from .enums import Confidence, Payer


def evaluation_items(evaluation, form):
    """(label, text) of each part of a saved evaluation, as a reader sees it: the proposal by its
    Swedish name, an amount in kronor, "–" for what is left empty."""
    items = []
    for field in form:
        if field.name == "recommendation":
            text = evaluation.get_recommendation_display()
        elif field.name == "frame_adjustment":
            text = format_kronor(evaluation.frame_adjustment)
        else:
            text = getattr(evaluation, field.name)
        items.append((field.label, text or "–"))
    return items


def payer_labels(payers):
    labels = dict(payers)
    labels.update({key: label for key, label in Payer.choices if key not in labels})
    return labels


def calculation_context(snapshot, payers):
    """Results, tables and charts of a saved calculation; empty when none is saved yet."""
    if snapshot is None:
        return {"result": None}
    result = services.results_of(snapshot)
    labels = payer_labels(payers)
    payer_rows = [
        {
            "label": labels.get(key, key),
            "nominal": result.payer_nominal[key],
            "discounted": result.payer_discounted[key],
            "total": result.payer_totals[key],
            "municipal": key in dict(payers) and (key.startswith("unit:") or key == Payer.MUNICIPALITY),
        }
        for key in result.payers
        if any(result.payer_nominal[key])
    ]
    payer_year_rows = [
        (year, [(row["nominal"][index], row["discounted"][index]) for row in payer_rows])
        for index, year in enumerate(result.years)
    ]
    confidence = dict(Confidence.choices)
    return {
        "result": result,
        "inputs": services.inputs_from_json(snapshot.inputs),
        "year_rows": list(
            zip(
                result.years,
                result.costs_by_year,
                result.benefits_by_year,
                result.net_by_year,
                result.discount_factors,
                result.cumulative_discounted,
                strict=True,
            )
        ),
        "payer_rows": payer_rows,
        "payer_year_rows": payer_year_rows,
        "line_rows": [(line, confidence.get(line.confidence, line.confidence)) for line in result.lines],
        "cumulative_svg": charts.cumulative_chart(result.years, result.cumulative_discounted),
        "tornado_svg": charts.tornado_chart(result.tornado, result.npv),
        "probability_percent": (result.monte_carlo.probability_positive * 100).quantize(Decimal("0.1"))
        if result.monte_carlo
        else None,
    }


def costs_from_application(case, payers):
    """A first förkalkyl starts from the costs the application asks for, paid by the fund."""
    funder = payers[0][0] if payers else Payer.MUNICIPALITY
    return [
        {"year": cost.year, "payer": funder, "description": _("Sökta medel"), "granted": cost.amount}
        for cost in case.costs.all()
    ]


def indicator_rows(plan):
    if plan is None:
        return []
    rows = []
    for indicator in plan.indicators.all():
        values = list(indicator.values.all())
        effect = services.indicator_effect(indicator, values)
        rows.append({"indicator": indicator, "count": len(values), "effect": effect})
    return rows


def forecast_beside_final(forecast, final):
    """The förkalkyl's key figures beside the efterkalkyl's, for the evaluation."""
    rows = []
    results = [services.results_of(s) if s else None for s in (forecast, final)]
    if not any(results):
        return None
    for label, attribute in (
        (_("Nuvärde av kostnader"), "pv_costs"),
        (_("Nuvärde av nyttor"), "pv_benefits"),
        (_("Nettonuvärde, samhället"), "npv"),
        (_("Nettonuvärde, kommunen"), "municipal_npv"),
        (_("Nytta per kostnadskrona"), "benefit_cost_ratio"),
        (_("Återbetalningstid (år)"), "payback_years"),
    ):
        rows.append((label, attribute, *[getattr(r, attribute) if r else None for r in results]))
    return rows
