"""Which of the rule set's review criteria apply, and when a case can be reviewed.

A rule set's ``review.criteria`` may carry a ``stage``: idea-stage criteria are answered while the
idea is tried (Ystad's five questions, Sundsvall's two must-requirements); the others while the
application is prepared. Leaf module: reads rule-set documents and state names only.
"""

from dataclasses import dataclass

from applications.enums import CaseState

IDEA = "idea"
PREPARATION = "preparation"
STAGES = (IDEA, PREPARATION)

# The review stage a case is in, by its state; in other states nobody is assigned or reviews.
REVIEW_STAGE_OF_STATE = {
    CaseState.IDEA_IN_REVIEW: IDEA,
    CaseState.SUBMITTED: PREPARATION,
    CaseState.RESUBMITTED: PREPARATION,
    CaseState.IN_PREPARATION: PREPARATION,
    CaseState.READY_FOR_DECISION: PREPARATION,
}

YES_NO = "yes_no"
SCORE = "score"


@dataclass(frozen=True)
class Criterion:
    key: str
    title: str
    help: str
    kind: str  # YES_NO or SCORE
    scale_max: int | None
    weight: int | None
    gate: bool
    stage: str
    cite: str

    @property
    def is_score(self):
        return self.kind == SCORE

    @property
    def scale(self):
        return list(range(1, self.scale_max + 1)) if self.is_score else []


def criterion_from_rule(rule):
    kind = rule["kind"]
    return Criterion(
        key=rule["key"],
        title=rule["title"],
        help=rule.get("help", ""),
        kind=kind,
        scale_max=int(rule.get("scale_max") or 5) if kind == SCORE else None,
        weight=rule.get("weight"),
        gate=bool(rule.get("gate", False)),
        stage=rule.get("stage") or PREPARATION,
        cite=rule.get("cite", ""),
    )


def criteria_for(document, stage):
    """The criteria of ``stage`` in the rule-set document, in the rule set's order. Criteria
    without a stage belong to the preparation."""
    rules = (document.get("review") or {}).get("criteria") or []
    return [c for c in (criterion_from_rule(rule) for rule in rules) if c.stage == stage]


def portfolio_dimensions(document):
    return list((document.get("review") or {}).get("portfolio_dimensions") or [])
