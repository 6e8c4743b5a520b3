import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applications.selectors import cases_for_list
from core.filenames import file_name, set_disposition
from core.permissions import permission_required
from core.refusals import DomainRefusedError, refuse, show_refusal
from municipalities.views import visible_municipality

from . import forms, selectors, services
from .chart import fund_chart, series_values
from .models import Fund


def _form_classes(money):
    """The forms the fund page offers, as the rule set allows: (key, title, form class)."""
    offered = [
        ("reservation", _("Avsättning"), forms.ReservationForm),
    ]
    if money.fund.uses_yearly_appropriation:
        offered.append(("appropriation", _("Anslag"), forms.AppropriationForm))
    payout_title = _("Budgetkompensation") if money.payouts.is_budget_compensation else _("Utbetalning")
    offered.append(("payout", payout_title, forms.PayoutForm))
    if money.carry_over.allowed:
        offered.append(("carry_over", _("Ombudgetering till nästa år"), forms.CarryOverForm))
    if money.carry_over.freezes_unspent:
        offered.append(("freeze", _("Frys outnyttjade medel"), forms.FreezeForm))
    offered += [("correction", _("Rättelse"), forms.CorrectionForm), ("close_year", _("Stäng år"), forms.CloseYearForm)]
    return offered


def _build(form_class, data, fund, money):
    kwargs = {}
    if form_class is forms.PayoutForm:
        kwargs = {"municipality": fund.municipality, "payouts": money.payouts}
    elif form_class in (forms.CarryOverForm, forms.FreezeForm):
        kwargs = {"municipality": fund.municipality}
    elif form_class is forms.CorrectionForm:
        kwargs = {"fund": fund}
    return form_class(data, prefix=form_class.__name__.lower(), **kwargs)


def _perform(key, form, fund, user):
    """Call the one service the form stands for."""
    data = dict(form.cleaned_data)
    by_case = {
        "payout": services.record_payout,
        "carry_over": services.record_carry_over,
        "freeze": services.record_freeze,
    }
    if key in by_case:
        return by_case[key](data.pop("case"), user, **data)
    if key == "correction":
        return services.reverse_entry(data["entry"], user, reason=data["reason"])
    if key == "close_year":
        return services.close_year(fund, user, data["year"])
    record = services.record_reservation if key == "reservation" else services.record_appropriation
    return record(fund, user, **data)


# The fund's pages: for the municipality's staff in the fund's work (funds.view_fund); the
# municipality is fetched once, by the permission.
views_fund = permission_required(
    "funds.view_fund",
    fn=visible_municipality,
    message=gettext_lazy("Fondens sida är till för kommunens medarbetare i fondens arbete."),
    given_as="municipality",
)


@login_required
@views_fund
def fund_detail(request, slug, municipality):
    """The fund's balances, its years, its history as a chart and a table, and (for controllers
    and the municipal admin) the forms that record money."""
    user = request.user
    may_record = user.has_perm("funds.record_money", municipality)
    fund = Fund.objects.filter(municipality=municipality).select_related("municipality").first()
    if fund is None:
        return render(
            request,
            "funds/fund_missing.html",
            {"municipality": municipality, "may_record": may_record, "form": forms.FundCreateForm()},
        )
    money = selectors.money_rules(municipality)
    policy = money.fund
    offered = _form_classes(money) if may_record else []
    bound_key = request.POST.get("form") if request.method == "POST" else None
    if bound_key and not may_record:
        raise PermissionDenied(_("Bara controller eller kommunens administratör bokför i fonden."))
    built = {}
    for key, title, form_class in offered:
        form = _build(form_class, request.POST if key == bound_key else None, fund, money)
        built[key] = (title, form)
    if bound_key in built:
        title, form = built[bound_key]
        if form.is_valid():
            try:
                _perform(bound_key, form, fund, user)
            except DomainRefusedError as refusal:
                show_refusal(form, refusal)
            else:
                messages.success(request, _("%(what)s är bokförd.") % {"what": title})
                return redirect("funds:detail", municipality.slug)
    balances = selectors.fund_balances(fund, policy)
    entries = list(selectors.ledger(fund))
    reversed_ids = {entry.reverses_id for entry in entries if entry.reverses_id}
    points = selectors.history_points(fund, policy)
    check = forms.ReconciliationForm(request.GET or None)
    reconciled = (
        selectors.reconciliation(fund, check.cleaned_data["ar"], check.cleaned_data["resultat"], policy)
        if policy.holds_reservation and check.is_valid()
        else None
    )
    status = 400 if bound_key in built else 200
    return render(
        request,
        "funds/fund_detail.html",
        {
            "municipality": municipality,
            "fund": fund,
            "money": money,
            "balances": balances,
            "entries": entries,
            "reversed_ids": reversed_ids,
            "chart": fund_chart(points),
            "points": [(day, series_values(b)) for day, b in points],
            "forms": [(key, title, form, key == bound_key) for key, (title, form) in built.items()],
            "may_record": may_record,
            "reconciliation_form": check if policy.holds_reservation else None,
            "reconciliation": reconciled,
        },
        status=status,
    )


@login_required
@require_POST
@permission_required(
    "funds.record_money",
    fn=visible_municipality,
    message=gettext_lazy("Bara controller eller kommunens administratör bokför i fonden."),
    given_as="municipality",
)
def fund_create(request, slug, municipality):
    form = forms.FundCreateForm(request.POST)
    if form.is_valid():
        try:
            services.create_fund(request.user, municipality, name=form.cleaned_data["name"])
        except DomainRefusedError as refusal:
            refuse(request, refusal)
        else:
            messages.success(request, _("Fonden är inrättad."))
    return redirect("funds:detail", municipality.slug)


@login_required
@require_POST
def payout_plan_save(request, pk):
    case = get_object_or_404(cases_for_list(request.user), pk=pk)
    form = forms.PayoutPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Beskriv utbetalningsplanen."))
        return redirect("applications:detail", case.pk)
    try:
        services.save_payout_plan(case, request.user, description=form.cleaned_data["description"])
    except DomainRefusedError as refusal:
        refuse(request, refusal)
    else:
        messages.success(request, _("Utbetalningsplanen är sparad."))
    return redirect("applications:detail", case.pk)


@login_required
@require_POST
def payout_plan_approve(request, pk):
    case = get_object_or_404(cases_for_list(request.user), pk=pk)
    try:
        services.approve_payout_plan(case, request.user)
    except DomainRefusedError as refusal:
        refuse(request, refusal)
    else:
        messages.success(request, _("Utbetalningsplanen är godkänd."))
    return redirect("applications:detail", case.pk)


EXPORT_COLUMNS = [
    "post",
    "datum",
    "slag",
    "år",
    "från år",
    "belopp",
    "ärende",
    "beslut",
    "underlag",
    "nämnd/verksamhet",
    "konto",
    "projektnummer",
    "summeringskod",
    "rapport",
    "referens",
    "rättar post",
    "bokförd av",
]


@login_required
@views_fund
def fund_export(request, slug, municipality):
    """The ledger as CSV for the accounting (Sundsvall: account 935900, the project number and
    summary code 11 on each internal grant), for those who may read the fund."""
    fund = get_object_or_404(Fund, municipality=municipality)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    set_disposition(
        response, file_name("fondens-poster", municipality.slug, timezone.localdate().isoformat(), extension="csv")
    )
    writer = csv.writer(response, delimiter=";")
    writer.writerow(EXPORT_COLUMNS)
    for e in selectors.ledger(fund):
        writer.writerow(
            [
                e.pk,
                e.entry_date.isoformat(),
                e.kind,
                e.year,
                e.from_year or "",
                f"{e.amount:.2f}".replace(".", ","),
                e.case.number if e.case else "",
                str(e.decision) if e.decision else "",
                e.basis,
                e.unit.name if e.unit else "",
                e.account,
                e.project_number,
                e.summary_code,
                e.report_id or "",
                e.reference,
                e.reverses_id or "",
                e.recorded_by.email,
            ]
        )
    return response
