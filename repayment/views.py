from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.selectors import cases_for_list
from core.refusals import DomainRefusedError, show_refusal
from municipalities.models import OrganisationalUnit

from . import services
from .forms import PlanForm, RepaymentForm, installment_formset
from .models import PlanStatus, RepaymentPlan


def _draft(request, case, policy, data):
    form = PlanForm(data, policy=policy)
    formset = installment_formset(policy, data=data, payers=services.payers(case, policy))
    if not (form.is_valid() and formset.is_valid()):
        return form, formset, False
    filled = [row_form for row_form in formset.forms if row_form.cleaned_data]
    installments = [
        services.PlannedInstallment(
            row.cleaned_data["year"],
            row.cleaned_data["unit"],
            row.cleaned_data["amount"],
            row.cleaned_data.get("outcome_measure", ""),
        )
        for row in filled
    ]
    try:
        services.draft_plan(case, request.user, installments=installments, **form.cleaned_data)
    except services.RepaymentRefusedError as refusal:
        if refusal.field == "installments" and refusal.row is not None:
            filled[refusal.row].add_error(refusal.row_field, str(refusal))  # by the installment's field
        elif refusal.field == "installments":
            formset._non_form_errors = formset.error_class([str(refusal)])  # shown above the rows
        else:
            form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal))
        return form, formset, False
    return form, formset, True


def _initial_rows(plan):
    if plan is None:
        return []
    return [
        {"year": i.year, "unit": i.unit_id, "amount": i.amount, "outcome_measure": i.outcome_measure}
        for i in plan.installments.all()
    ]


def _repay(request, plan, rows, from_savings, data):
    form = RepaymentForm(data, rows=rows, from_savings=from_savings)
    if not form.is_valid():
        return form, False
    year, unit_id = (int(part) for part in form.cleaned_data["installment"].split(":"))
    try:
        services.record_repayment(
            plan,
            request.user,
            year=year,
            unit=OrganisationalUnit.objects.get(pk=unit_id),
            amount=form.cleaned_data["amount"],
            realised_savings=form.cleaned_data.get("realised_savings"),
            entry_date=form.cleaned_data.get("entry_date"),
        )
    except DomainRefusedError as refusal:
        show_refusal(form, refusal)
        return form, False
    return form, True


@login_required
def plan_page(request, pk):
    """The case's repayment plan: its policy, schedule and what has been repaid and written off;
    drafting for the preparer or controller, approval for the body the rule set names, and
    repayments and closing for the controller. Applicants see their own case's plan."""
    case = get_object_or_404(cases_for_list(request.user), pk=pk)
    user = request.user
    policy = services.policy_of(case)
    applies, why_not = services.applies_to(case, policy)
    plan = RepaymentPlan.objects.filter(case=case).first()
    rows = services.schedule(plan) if plan else []
    action = request.POST.get("form") if request.method == "POST" else None
    draft_refusal = services.drafting_refusal(user, case, policy) if applies else why_not
    can_draft = applies and draft_refusal is None and (plan is None or plan.status == PlanStatus.DRAFT)
    can_record = plan is not None and plan.status == PlanStatus.APPROVED and user.has_perm("funds.record_money", case)
    can_approve = plan is not None and plan.status == PlanStatus.DRAFT and user.has_perm("repayment.approve_plan", case)
    last_year = max((row.installment.year for row in rows), default=None)
    window_passed = last_year is None or timezone.localdate().year > last_year
    plan_form = None
    formset = None
    if can_draft:
        plan_form = PlanForm(
            policy=policy,
            initial={"outcome_measures": plan.outcome_measures} if plan else None,
        )
        formset = installment_formset(policy, payers=services.payers(case, policy), initial=_initial_rows(plan))
    repay_form = RepaymentForm(rows=rows, from_savings=policy.from_savings) if can_record else None
    if action == "draft" and can_draft:
        plan_form, formset, done = _draft(request, case, policy, request.POST)
        if done:
            messages.success(request, _("Återbetalningsplanen är sparad."))
            return redirect("repayment:plan", case.pk)
    elif action == "draft":
        # Not (or no longer) the user's to draft: say why, and keep nothing.
        messages.error(request, draft_refusal or _("Planen är redan godkänd och kan inte ändras."))
        return redirect("repayment:plan", case.pk)
    elif action == "repay" and can_record:
        repay_form, done = _repay(request, plan, rows, policy.from_savings, request.POST)
        if done:
            messages.success(request, _("Återbetalningen är bokförd."))
            return redirect("repayment:plan", case.pk)
    elif action in ("approve", "close"):
        try:
            if action == "approve":
                services.approve_plan(plan, user)
                messages.success(request, _("Återbetalningsplanen är godkänd."))
            else:
                services.close_plan(plan, user)
                messages.success(request, _("Återbetalningsplanen är avslutad; det som återstod är avskrivet."))
        except (DomainRefusedError, AttributeError) as refusal:
            messages.error(request, str(refusal) if plan else _("Det finns ingen plan."))
        return redirect("repayment:plan", case.pk)
    return render(
        request,
        "repayment/plan.html",
        {
            "case": case,
            "policy": policy,
            "applies": applies,
            "why_not": why_not,
            "plan": plan,
            "rows": rows,
            "summary": services.summary(rows),
            "plan_form": plan_form,
            "formset": formset,
            "repay_form": repay_form,
            "can_approve": can_approve,
            "can_close": can_record and window_passed,
            "approver": case.rules.body_name(policy.approver),
            "drafters": [case.rules.body_name(role) for role in policy.drafted_by],
            "payer_kinds": services.payer_kinds_text(policy),
        },
        status=400 if action in ("draft", "repay") else 200,
    )
