"""Review results as pure functions of the criteria and the submitted answers: per criterion, the
spread between reviewers, a weighted total and the recommendation. No database, no requests.

The recommendation rule (shown to users in RECOMMENDATION_RULE, so it is not a black box):
- "avstyrks" if for some gate criterion (skall-krav) a majority of the reviewers answered no, or
  gave the lowest score on a scored gate criterion;
- otherwise "tillstyrks" if every gate criterion has a majority yes (scored gates: a majority above
  the lowest score) and, where the rule set weights scores, the weighted total is at least 60;
- otherwise "tveksam".
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from municipalities.rulebook.enums import CriterionKind

LARGE_SPREAD = 2  # max − min at or above this is a "stor spridning" between reviewers
RECOMMEND_AT = 60  # weighted total (0–100) from which the reviews back the application

AVSTYRKS = "avstyrks"
TILLSTYRKS = "tillstyrks"
TVEKSAM = "tveksam"
RECOMMENDATION_LABELS = {AVSTYRKS: _("avstyrks"), TILLSTYRKS: _("tillstyrks"), TVEKSAM: _("tveksam")}
RECOMMENDATION_RULE = _(
    "Rekommendationen räknas fram så här: avstyrks om en majoritet av bedömarna svarat nej på ett "
    "skallkrav (eller gett lägsta poäng på ett poängsatt skallkrav). Annars tillstyrks om alla skallkrav "
    "har en majoritet ja och, där regelverket väger poängen, den viktade summan är minst 60 av 100. "
    "Annars tveksam."
)
WEIGHTED_TOTAL_RULE = _(
    "Viktad summa: varje poängsatt kriteriums medelvärde räknas om till 0–100 (lägsta poäng = 0, "
    "högsta = 100) och vägs med kriteriets vikt."
)


def _decimal(fraction, places="0.01"):
    return (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(
        Decimal(places), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class CriterionResult:
    criterion: object
    count: int  # reviewers who answered
    yes: int = 0
    no: int = 0
    mean: Decimal | None = None
    low: int | None = None
    high: int | None = None
    at_lowest: int = 0  # reviewers who gave the lowest score

    @property
    def yes_share(self):
        """Share of yes answers in per cent, rounded to whole per cent."""
        if self.criterion.kind != CriterionKind.YES_NO or not self.count:
            return None
        return _decimal(Fraction(100 * self.yes, self.count), "1")

    @property
    def spread(self):
        if self.low is None:
            return None
        return self.high - self.low

    @property
    def large_spread(self):
        return self.spread is not None and self.spread >= LARGE_SPREAD

    @property
    def majority_no(self):
        """A gate fails: most reviewers said no (or gave the lowest score)."""
        if self.criterion.kind == CriterionKind.YES_NO:
            return self.no * 2 > self.count
        return self.at_lowest * 2 > self.count

    @property
    def majority_yes(self):
        if self.criterion.kind == CriterionKind.YES_NO:
            return self.yes * 2 > self.count
        return (self.count - self.at_lowest) * 2 > self.count


def criterion_result(criterion, answers):
    """The result of one criterion over each reviewer's answers (a list of answer dicts)."""
    values = [a[criterion.key] for a in answers if a.get(criterion.key) is not None]
    if criterion.kind == CriterionKind.SCORE:
        if not values:
            return CriterionResult(criterion, 0)
        return CriterionResult(
            criterion,
            len(values),
            mean=_decimal(Fraction(sum(values), len(values))),
            low=min(values),
            high=max(values),
            at_lowest=sum(1 for v in values if v == 1),
        )
    yes = sum(1 for v in values if v is True)
    return CriterionResult(criterion, len(values), yes=yes, no=len(values) - yes)


def weighted_total(criteria, answers):
    """0–100, one decimal: each weighted score criterion's mean mapped from 1..scale_max to
    0..100 and weighted. None where the criteria carry no weights or nobody scored."""
    parts = []
    for criterion in criteria:
        if criterion.kind != CriterionKind.SCORE or not criterion.weight:
            continue
        values = [a[criterion.key] for a in answers if a.get(criterion.key) is not None]
        if values:
            mean = Fraction(sum(values), len(values))
            parts.append((criterion.weight, (mean - 1) / (criterion.scale_max - 1)))
    if not parts:
        return None
    total_weight = sum(weight for weight, _ in parts)
    return _decimal(sum(Fraction(weight) * share for weight, share in parts) * 100 / total_weight, "0.1")


def recommendation(results, total):
    """AVSTYRKS, TILLSTYRKS or TVEKSAM per the module's rule; None if nobody has answered."""
    answered = [r for r in results if r.count]
    if not answered:
        return None
    gates = [r for r in answered if r.criterion.gate]
    if any(r.majority_no for r in gates):
        return AVSTYRKS
    if all(r.majority_yes for r in gates) and (total is None or total >= RECOMMEND_AT):
        return TILLSTYRKS
    return TVEKSAM


@dataclass(frozen=True)
class Summary:
    results: list
    total: Decimal | None
    recommendation: str | None
    reviewers: int

    @property
    def recommendation_label(self):
        return RECOMMENDATION_LABELS.get(self.recommendation, "")

    @property
    def large_spreads(self):
        return [r for r in self.results if r.large_spread]


def summarise(criteria, answers):
    """Everything the pages show of a set of submitted reviews' answers."""
    results = [criterion_result(criterion, answers) for criterion in criteria]
    total = weighted_total(criteria, answers)
    return Summary(results, total, recommendation(results, total), len(answers))
