"""How a walk (the demo data, the lifecycle tests) makes the records the project start's payout-plan
steps stand for: the applicants write the payout plan and the body the rule set names approves it,
through the same services as the case page's money panel. The record makers of
``demo.walk.RECORD_MAKERS`` for the steps ``funds`` registers with
``applications.services.register_recorded_step``."""

from funds.models import PayoutPlan
from funds.services import approve_payout_plan as approve
from funds.services import save_payout_plan


def write_payout_plan(case, users):
    if not PayoutPlan.objects.filter(case=case).exists():
        save_payout_plan(
            case, users[case.rules.applicant_role], description="Halva årsbeloppet i juni, resten i oktober."
        )


def approve_payout_plan(case, users):
    if not PayoutPlan.objects.filter(case=case, approved_at__isnull=False).exists():
        approve(case, users[case.rules.money.payouts.approved_by])
