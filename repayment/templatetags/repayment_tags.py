from django import template

from funds.enums import PAYABLE_STATES
from funds.models import Fund, PayoutPlan
from funds.selectors import case_balances
from repayment.models import RepaymentPlan
from repayment.services import applies_to, policy_of, schedule, summary

register = template.Library()


@register.inclusion_tag("repayment/_case_repayment.html", takes_context=True)
def case_money(context, case):
    """The case's money (committed and paid per year), its payout plan where the rule set asks for
    one, and its repayment plan, for everyone who may see the case."""
    user = context["request"].user
    fund = Fund.objects.filter(municipality_id=case.municipality_id).first()
    years = case_balances(fund, case).year_list if fund else []
    payouts = case.rules.money.payouts
    policy = policy_of(case)
    applies, why_not = applies_to(case, policy)
    plan = RepaymentPlan.objects.filter(case=case).first()
    rows = schedule(plan) if plan else []
    payout_plan = PayoutPlan.objects.filter(case=case).first() if payouts.needs_payout_plan else None
    payable = case.state in PAYABLE_STATES
    return {
        "case": case,
        "years": years,
        "show": bool(years or plan or payable),
        "policy": policy,
        "applies": applies,
        "why_not": why_not,
        "plan": plan,
        "summary": summary(rows),
        "needs_payout_plan": payouts.needs_payout_plan and payable,
        "payout_plan": payout_plan,
        "may_write_payout_plan": user.has_role(case.rules.applicant_role)
        and not (payout_plan and payout_plan.is_approved),
        "may_approve_payout_plan": payout_plan is not None
        and not payout_plan.is_approved
        and user.has_role(payouts.approved_by),
        "approver": case.rules.body_name(payouts.approved_by),
        "csrf_token": context.get("csrf_token"),
    }
