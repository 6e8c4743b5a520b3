"""What a rule set's `money.repayment` says, read in one place: whether a case repays at all, on
which basis, over which years, and the exemption (Sundsvall 6.1)."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

# A plan runs over at most ten years where the rule set sets no window.
MAX_YEARS = 10


@dataclass(frozen=True)
class RepaymentPolicy:
    rules: dict

    @classmethod
    def of(cls, document):
        return cls((document.get("money") or {}).get("repayment") or {"model": "none"})

    @property
    def model(self):
        return self.rules.get("model", "none")

    @property
    def description(self):
        return self.rules.get("description", "")

    @property
    def cite(self):
        return self.rules.get("cite", "")

    @property
    def from_savings(self):
        """Repaid from realised savings (Sundsvall's återföringsmodell): nothing is owed where no
        savings arise."""
        return self.model == "savings_return"

    @property
    def basis(self):
        """'consumed' (Sundsvall: the amount used, not the amount granted) or 'granted'."""
        return self.rules.get("basis", "granted")

    @property
    def years_after_end(self):
        span = self.rules.get("years_after_end") or {}
        return span.get("min"), span.get("max")

    @property
    def decided_by(self):
        return self.rules.get("decided_by", "decision_body")

    @property
    def drafted_by(self):
        """The roles that draw up the plan (Ale: the applicants; Sundsvall: the preparers and the
        coordinators). An applicant drafts only for a case they take part in."""
        return list(self.rules.get("drafted_by", []))

    @property
    def payer_unit_kinds(self):
        """The kinds of unit that repay (Ale: sektor; Sundsvall: nämnd)."""
        return list(self.rules.get("payer_unit_kinds", []))

    @property
    def max_years(self):
        """How many years the repayments may run over: the window the rule set gives (Sundsvall:
        one to ten years after the end), at most ten where it gives none."""
        low, high = self.years_after_end
        if high is None:
            return MAX_YEARS
        return max(1, min(MAX_YEARS, high - (low if low is not None else 1) + 1))

    @property
    def tied_to_outcome_measures(self):
        return bool(self.rules.get("tied_to_outcome_measures"))

    @property
    def exemption(self):
        return self.rules.get("exemption")

    def applies_to(self, case):
        """(True, "") when the case repays under this rule set, or (False, why not)."""
        if self.model == "none":
            return False, _("Regelverket har ingen återbetalning till fonden.")
        starts_before = self.rules.get("applies_to_starts_before")
        if starts_before:
            limit = datetime.date.fromisoformat(starts_before)
            if case.period_start is None or case.period_start >= limit:
                return False, _("Återföring gäller bara insatser som startade före %(date)s.") % {
                    "date": limit.isoformat()
                }
        return True, ""

    def window(self, case):
        """The years repayments may fall in: one to ten years after the project ends (Sundsvall),
        or from the year after the end, unbounded, where the rule set does not say."""
        end = case.end_date
        if end is None:
            return None, None
        low, high = self.years_after_end
        return end.year + (low if low is not None else 1), (end.year + high if high is not None else None)
