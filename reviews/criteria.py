"""When a case can be reviewed against its rule set's criteria (``rules.review.criteria_for``).

A criterion may carry a ``stage``: idea-stage criteria are answered while the idea is tried (Ystad's
five questions, Sundsvall's two must-requirements); the others while the application is prepared.
Leaf module: state names and the rule book's vocabulary only.
"""

from applications.enums import CaseState
from municipalities.rulebook.enums import ReviewStage

STAGES = tuple(ReviewStage)

# The review stage a case is in, by its state; in other states nobody is assigned or reviews.
REVIEW_STAGE_OF_STATE = {
    CaseState.IDEA_IN_REVIEW: ReviewStage.IDEA,
    CaseState.SUBMITTED: ReviewStage.PREPARATION,
    CaseState.RESUBMITTED: ReviewStage.PREPARATION,
    CaseState.IN_PREPARATION: ReviewStage.PREPARATION,
    CaseState.READY_FOR_DECISION: ReviewStage.PREPARATION,
}
