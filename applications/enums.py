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


class StepStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("step status", "väntar")
    DONE = "done", pgettext_lazy("step status", "klart")
    DECLINED = "declined", pgettext_lazy("step status", "nej")


class StepOutcome(models.TextChoices):
    POSITIVE = "positive", _("ja / tillstyrkt / klart")
    NEGATIVE = "negative", _("nej / avstyrkt")
