"""What a rule set's `money` section says about the fund and its payouts, read in one place so
the services never ask which municipality they serve."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FundPolicy:
    money: dict

    @classmethod
    def of(cls, document):
        return cls(document.get("money") or {})

    @property
    def fund(self):
        return self.money.get("fund", {})

    @property
    def payouts(self):
        return self.money.get("payouts", {"model": "none"})

    @property
    def carry_over(self):
        return self.money.get("carry_over", {"model": "none"})

    @property
    def uses_yearly_appropriation(self):
        """Grants must fit the year's appropriation (anslag) as well as the fund."""
        return bool(self.fund.get("yearly_appropriation"))

    @property
    def holds_reservation(self):
        """Money reserved in equity or with KS. Heby's money is set aside yearly in the budget
        instead: there the appropriations are the fund."""
        return self.fund.get("held_in") != "yearly_budget"

    @property
    def appropriation_capped_by_reservation(self):
        """Sundsvall 8.1 says it outright; an appropriation from an equity reservation cannot be
        larger than the reservation anywhere."""
        return self.uses_yearly_appropriation and self.holds_reservation

    @property
    def payout_model(self):
        return self.payouts.get("model", "none")

    @property
    def needs_payout_plan(self):
        return self.payout_model == "payout_plan"

    @property
    def payout_plan_approver(self):
        return self.payouts.get("approved_by", "preparer")

    @property
    def is_budget_compensation(self):
        return self.payout_model == "budget_compensation"

    @property
    def compensations_per_year(self):
        return self.payouts.get("times_per_year")

    @property
    def is_internal_grant(self):
        return self.payout_model == "internal_grant"

    @property
    def account(self):
        return self.payouts.get("account", "")

    @property
    def project_summary_code(self):
        return self.payouts.get("project_summary_code", "")

    @property
    def carry_over_model(self):
        return self.carry_over.get("model", "none")

    @property
    def allows_carry_over(self):
        return self.carry_over_model != "none"

    @property
    def freezes_unspent(self):
        return self.carry_over_model == "freeze_and_request"

    @property
    def initial_amount(self):
        return self.fund.get("initial_amount")
