"""The case lifecycle's states, grouped, and what each transition is called in the history."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseState(models.TextChoices):
    IDEA_DRAFT = "idea_draft", pgettext_lazy("case state", "idé: utkast")
    IDEA_SUBMITTED = "idea_submitted", pgettext_lazy("case state", "idé: inlämnad")
    IDEA_IN_REVIEW = "idea_in_review", pgettext_lazy("case state", "idé: prövas")
    IDEA_APPROVED = "idea_approved", pgettext_lazy("case state", "idé: godkänd")
    IDEA_REJECTED = "idea_rejected", pgettext_lazy("case state", "idé: avslagen")
    DRAFT = "draft", pgettext_lazy("case state", "ansökan: utkast")
    SUBMITTED = "submitted", pgettext_lazy("case state", "ansökan: inlämnad")
    RETURNED = "returned", pgettext_lazy("case state", "ansökan: åter för komplettering")
    RESUBMITTED = "resubmitted", pgettext_lazy("case state", "ansökan: kompletterad")
    IN_PREPARATION = "in_preparation", pgettext_lazy("case state", "under beredning")
    READY_FOR_DECISION = "ready_for_decision", pgettext_lazy("case state", "klar för beslut")
    GRANTED = "granted", pgettext_lazy("case state", "beviljad")
    REJECTED = "rejected", pgettext_lazy("case state", "avslagen")
    STARTING = "starting", pgettext_lazy("case state", "projektstart")
    RUNNING = "running", pgettext_lazy("case state", "pågår")
    EXTENDED = "extended", pgettext_lazy("case state", "pågår, förlängt")
    ABORT_PROPOSED = "abort_proposed", pgettext_lazy("case state", "avbrott föreslaget")
    ABORTED = "aborted", pgettext_lazy("case state", "avbrutet")
    FINAL_REPORT = "final_report", pgettext_lazy("case state", "slutrapport inlämnad")
    EVALUATED = "evaluated", pgettext_lazy("case state", "utvärderat")
    IMPLEMENTED = "implemented", pgettext_lazy("case state", "implementerat")
    PARTLY_IMPLEMENTED = "partly_implemented", pgettext_lazy("case state", "delvis implementerat")
    NOT_IMPLEMENTED = "not_implemented", pgettext_lazy("case state", "inte implementerat")
    WITHDRAWN = "withdrawn", pgettext_lazy("case state", "återtagen")


S = CaseState
IDEA_STATES = [S.IDEA_DRAFT, S.IDEA_SUBMITTED, S.IDEA_IN_REVIEW, S.IDEA_APPROVED]
# The applicant may still withdraw the case in these states.
OPEN_STATES = [*IDEA_STATES, S.DRAFT, S.SUBMITTED, S.RETURNED, S.RESUBMITTED, S.IN_PREPARATION, S.READY_FOR_DECISION]
RUNNING_STATES = [S.RUNNING, S.EXTENDED]
DECIDED_STATES = [S.GRANTED, S.REJECTED]
CLOSED_STATES = [
    S.IDEA_REJECTED,
    S.REJECTED,
    S.ABORTED,
    S.IMPLEMENTED,
    S.PARTLY_IMPLEMENTED,
    S.NOT_IMPLEMENTED,
    S.WITHDRAWN,
]
# The applicant edits the case's content in these states; everywhere else it is frozen.
EDITABLE_STATES = [S.IDEA_DRAFT, S.DRAFT, S.RETURNED]

# The rule-set stage each state belongs to (a rule set that does not use the stage never
# reaches its states).
STAGE_OF_STATE = {
    S.IDEA_DRAFT: "idea",
    S.IDEA_SUBMITTED: "idea",
    S.IDEA_IN_REVIEW: "idea",
    S.IDEA_APPROVED: "idea",
    S.IDEA_REJECTED: "idea",
    S.DRAFT: "application",
    S.SUBMITTED: "application",
    S.RETURNED: "application",
    S.RESUBMITTED: "application",
    S.IN_PREPARATION: "preparation",
    S.READY_FOR_DECISION: "preparation",
    S.GRANTED: "decision",
    S.REJECTED: "decision",
    S.STARTING: "start",
    S.RUNNING: "follow_up",
    S.EXTENDED: "extension",
    S.ABORT_PROPOSED: "abort",
    S.ABORTED: "abort",
    S.FINAL_REPORT: "follow_up",
    S.EVALUATED: "follow_up",
    S.IMPLEMENTED: "implementation",
    S.PARTLY_IMPLEMENTED: "implementation",
    S.NOT_IMPLEMENTED: "implementation",
    S.WITHDRAWN: "application",
}


# A state's label ("beviljad", "pågår") names it in a list, a badge or the history. Put into a
# sentence it would not agree with what it is said of ("ärendet är beviljad", "ärendet är pågår"),
# so each state also has the words a sentence uses: what is now true after a transition, and the
# clause that follows "när" in a refusal ("… när projektet pågår").
STATE_NOW = {
    S.IDEA_DRAFT: pgettext_lazy("case state now", "Idén är nu ett utkast."),
    S.IDEA_SUBMITTED: pgettext_lazy("case state now", "Idén är nu inlämnad."),
    S.IDEA_IN_REVIEW: pgettext_lazy("case state now", "Idén prövas nu."),
    S.IDEA_APPROVED: pgettext_lazy("case state now", "Idén är nu godkänd."),
    S.IDEA_REJECTED: pgettext_lazy("case state now", "Idén är nu avslagen."),
    S.DRAFT: pgettext_lazy("case state now", "Ansökan är nu ett utkast."),
    S.SUBMITTED: pgettext_lazy("case state now", "Ansökan är nu inlämnad."),
    S.RETURNED: pgettext_lazy("case state now", "Ansökan är nu åter hos den sökande för komplettering."),
    S.RESUBMITTED: pgettext_lazy("case state now", "Den kompletterade ansökan är nu inlämnad."),
    S.IN_PREPARATION: pgettext_lazy("case state now", "Ärendet bereds nu."),
    S.READY_FOR_DECISION: pgettext_lazy("case state now", "Ärendet är nu klart för beslut."),
    S.GRANTED: pgettext_lazy("case state now", "Ärendet är nu beviljat."),
    S.REJECTED: pgettext_lazy("case state now", "Ärendet är nu avslaget."),
    S.STARTING: pgettext_lazy("case state now", "Projektstarten har nu börjat."),
    S.RUNNING: pgettext_lazy("case state now", "Projektet pågår nu."),
    S.EXTENDED: pgettext_lazy("case state now", "Projektet är nu förlängt och pågår."),
    S.ABORT_PROPOSED: pgettext_lazy("case state now", "Ett avbrott är nu föreslaget."),
    S.ABORTED: pgettext_lazy("case state now", "Projektet är nu avbrutet."),
    S.FINAL_REPORT: pgettext_lazy("case state now", "Slutrapporten är nu inlämnad."),
    S.EVALUATED: pgettext_lazy("case state now", "Projektet är nu utvärderat."),
    S.IMPLEMENTED: pgettext_lazy("case state now", "Insatsen är nu implementerad."),
    S.PARTLY_IMPLEMENTED: pgettext_lazy("case state now", "Insatsen är nu delvis implementerad."),
    S.NOT_IMPLEMENTED: pgettext_lazy("case state now", "Insatsen ska nu inte implementeras."),
    S.WITHDRAWN: pgettext_lazy("case state now", "Ärendet är nu återtaget."),
}

STATE_CLAUSE = {
    S.IDEA_DRAFT: pgettext_lazy("case state after när", "idén är ett utkast"),
    S.IDEA_SUBMITTED: pgettext_lazy("case state after när", "idén är inlämnad"),
    S.IDEA_IN_REVIEW: pgettext_lazy("case state after när", "idén prövas"),
    S.IDEA_APPROVED: pgettext_lazy("case state after när", "idén är godkänd"),
    S.IDEA_REJECTED: pgettext_lazy("case state after när", "idén är avslagen"),
    S.DRAFT: pgettext_lazy("case state after när", "ansökan är ett utkast"),
    S.SUBMITTED: pgettext_lazy("case state after när", "ansökan är inlämnad"),
    S.RETURNED: pgettext_lazy("case state after när", "ansökan är åter för komplettering"),
    S.RESUBMITTED: pgettext_lazy("case state after när", "ansökan är kompletterad"),
    S.IN_PREPARATION: pgettext_lazy("case state after när", "ärendet bereds"),
    S.READY_FOR_DECISION: pgettext_lazy("case state after när", "ärendet är klart för beslut"),
    S.GRANTED: pgettext_lazy("case state after när", "ärendet är beviljat"),
    S.REJECTED: pgettext_lazy("case state after när", "ärendet är avslaget"),
    S.STARTING: pgettext_lazy("case state after när", "projektet startas"),
    S.RUNNING: pgettext_lazy("case state after när", "projektet pågår"),
    S.EXTENDED: pgettext_lazy("case state after när", "projektet pågår förlängt"),
    S.ABORT_PROPOSED: pgettext_lazy("case state after när", "ett avbrott är föreslaget"),
    S.ABORTED: pgettext_lazy("case state after när", "projektet är avbrutet"),
    S.FINAL_REPORT: pgettext_lazy("case state after när", "slutrapporten är inlämnad"),
    S.EVALUATED: pgettext_lazy("case state after när", "projektet är utvärderat"),
    S.IMPLEMENTED: pgettext_lazy("case state after när", "insatsen är implementerad"),
    S.PARTLY_IMPLEMENTED: pgettext_lazy("case state after när", "insatsen är delvis implementerad"),
    S.NOT_IMPLEMENTED: pgettext_lazy("case state after när", "insatsen inte ska implementeras"),
    S.WITHDRAWN: pgettext_lazy("case state after när", "ärendet är återtaget"),
}


def state_now(state):
    """What a sentence says after a transition into ``state``: "Ärendet är nu beviljat."."""
    return STATE_NOW[state]


def state_clause(state):
    """The clause after "när" saying the case is in ``state``: "… när projektet pågår"."""
    return STATE_CLAUSE[state]


class StepStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("step status", "väntar")
    DONE = "done", pgettext_lazy("step status", "klart")
    DECLINED = "declined", pgettext_lazy("step status", "nej")


class StepOutcome(models.TextChoices):
    POSITIVE = "positive", _("ja / tillstyrkt / klart")
    NEGATIVE = "negative", _("nej / avstyrkt")


# Entering these states begins a stage whose steps come from the rule set.
STAGE_BEGUN_BY_STATE = {
    S.IDEA_IN_REVIEW: "idea",
    S.IN_PREPARATION: "preparation",
    S.STARTING: "start",
    S.ABORT_PROPOSED: "abort",
    S.EVALUATED: "implementation",
}
# Steps of a stage can be completed only while the case is in that stage's working state.
STATE_OF_STEP_STAGE = {stage: state for state, stage in STAGE_BEGUN_BY_STATE.items()}
