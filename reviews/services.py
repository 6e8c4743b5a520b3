"""Operations on reviews and on the prioritisation of cases ready for decision. Each change locks
the case (or checks the user's role), validates, changes and writes the history in one
transaction; a refusal raises ReviewRefusedError with the reason and stores nothing.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Case
from applications.services import TransitionRefusedError
from audit.services import record
from municipalities.rulebook.enums import CriterionKind
from notifications.models import NotificationKind
from notifications.services import notify

from .models import PriorityProposal, Review, ReviewAssignment
from .rules import is_staff_of, may_prioritise
from .selectors import may_assign, may_review, municipality_rules, ready_cases, review_stage, stage_criteria


class ReviewRefusedError(TransitionRefusedError):
    """A review or prioritisation action was refused; the message says why. Nothing was changed.
    ``errors`` names, by criterion key, the answers the refusal concerns, for the form to show
    beside them."""

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.errors = dict(errors or {})


@transaction.atomic
def assign_reviewer(case, user, reviewer):
    """Ask ``reviewer`` to review ``case`` in its current stage.

    Refused if the user is not the case's preparing body, the case is in a stage without review,
    the reviewer is not staff of the case's municipality or is already assigned. Side effects: an
    empty draft review, the history entry, a notification (with e-mail on commit) to the reviewer.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    allowed, reason = may_assign(case, user)
    if not allowed:
        raise ReviewRefusedError(reason)
    stage = review_stage(case)
    if not is_staff_of(reviewer, case):
        raise ReviewRefusedError(
            _("%(name)s kan inte bedöma ärendet: bara personal i ärendets kommun kan vara bedömare.")
            % {"name": reviewer}
        )
    if ReviewAssignment.objects.filter(case=case, reviewer=reviewer, stage=stage).exists():
        raise ReviewRefusedError(_("%(name)s är redan bedömare av ärendet.") % {"name": reviewer})
    assignment = ReviewAssignment.objects.create(case=case, reviewer=reviewer, assigned_by=user, stage=stage)
    Review.objects.create(assignment=assignment)
    record(case, "review.assigned", actor=user, data={"reviewer": str(reviewer), "stage": stage})
    notify(
        reviewer,
        NotificationKind.REVIEWER_ASSIGNED,
        _("Du har tilldelats att bedöma ärendet %(case)s.") % {"case": case},
        case=case,
        url=reverse("applications:detail", args=[case.pk]) + "#bedomningar",
    )
    return assignment


def _parse_answer(criterion, raw):
    """The stored value of one answer, or raise naming the criterion."""
    if criterion.kind == CriterionKind.YES_NO:
        value = {"ja": True, "nej": False}.get(raw, raw) if isinstance(raw, str) else raw
        if isinstance(value, bool):
            return value
        message = _("Svaret på ”%(title)s” ska vara ja eller nej.") % {"title": criterion.title}
        raise ReviewRefusedError(message, {criterion.key: message})
    value = raw
    if isinstance(raw, str) and raw.strip().isdigit():
        value = int(raw.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= criterion.scale_max:
        return value
    message = _("Poängen för ”%(title)s” ska vara ett heltal från 1 till %(max)s.") % {
        "title": criterion.title,
        "max": criterion.scale_max,
    }
    raise ReviewRefusedError(message, {criterion.key: message})


def parse_answers(criteria, raw_answers, *, complete):
    """{key: value} from what the reviewer gave; every value in range, every criterion answered
    when ``complete``. Raises ReviewRefusedError naming the criterion."""
    keys = {criterion.key for criterion in criteria}
    unknown = sorted(set(raw_answers) - keys)
    if unknown:
        raise ReviewRefusedError(_("Okänt kriterium: %(keys)s.") % {"keys": ", ".join(unknown)})
    answers, missing = {}, []
    for criterion in criteria:
        raw = raw_answers.get(criterion.key)
        if raw is None or raw == "":
            missing.append(criterion)
            continue
        answers[criterion.key] = _parse_answer(criterion, raw)
    if complete and missing:
        raise ReviewRefusedError(
            _("Svar saknas på: %(titles)s.") % {"titles": "; ".join(c.title for c in missing)},
            {c.key: _("Svara på kriteriet innan bedömningen lämnas in.") for c in missing},
        )
    return answers


@transaction.atomic
def save_review(assignment, user, *, answers, comment="", submit=False):
    """Save the reviewer's answers as a draft, or submit them (then they are frozen).

    Refused if the user is not the assigned reviewer, the review is already submitted, the case
    has left the review's stage, an answer is out of range or (on submission) missing. Side
    effects on submission: the history entry (without the answers; the history is shown to the
    applicant, the review is not)."""
    Case.objects.select_for_update().filter(pk=assignment.case_id).first()
    assignment = ReviewAssignment.objects.select_related("case", "review").get(pk=assignment.pk)
    allowed, reason = may_review(assignment, user)
    if not allowed:
        raise ReviewRefusedError(reason)
    criteria = stage_criteria(assignment.case, assignment.stage)
    parsed = parse_answers(criteria, answers, complete=submit)
    review = assignment.review
    review.answers = parsed
    review.comment = comment.strip()
    if submit:
        review.submitted_at = timezone.now()
    review.save()
    if submit:
        record(assignment.case, "review.submitted", actor=user, data={"stage": assignment.stage})
    return review


# ---- Prioritisation ----------------------------------------------------------------------------


@transaction.atomic
def record_proposal(user, municipality, decision_round, *, ranks, note=""):
    """Record the prioritising body's order of the round's ready cases as a new proposal (earlier
    ones stay).

    ``ranks`` maps case id to rank 1..n. Refused if the user does not hold the role the rule set
    gives the priority order (rules.prioritisation_role) in the municipality, the cases are not
    exactly the round's ready cases, or the ranks are not 1..n each once. Side effects: the
    proposal and its history entry."""
    rules = municipality_rules(user)
    if user.municipality_id != municipality.pk or not may_prioritise(user):
        body = rules.body_name(rules.prioritisation_role) if rules else _("den beredande gruppen")
        raise ReviewRefusedError(_("Bara %(body)s kan spara ett prioriteringsförslag.") % {"body": body})
    if decision_round is not None and decision_round.municipality_id != municipality.pk:
        raise ReviewRefusedError(_("Beslutstillfället hör till en annan kommun."))
    expected = set(ready_cases(user, decision_round).values_list("pk", flat=True))
    if set(ranks) != expected:
        raise ReviewRefusedError(
            _("Ärendena som är klara för beslut har ändrats sedan sidan visades. Ladda om sidan och försök igen.")
        )
    values = sorted(ranks.values())
    if values != list(range(1, len(values) + 1)):
        raise ReviewRefusedError(
            _("Ge varje ärende en egen plats från 1 till %(count)s, utan luckor eller dubbletter.")
            % {"count": len(values)}
        )
    ordered = [case_id for case_id, _rank in sorted(ranks.items(), key=lambda item: item[1])]
    proposal = PriorityProposal.objects.create(
        municipality=municipality, decision_round=decision_round, case_ids=ordered, note=note.strip(), created_by=user
    )
    record(
        proposal,
        "priority.proposal",
        actor=user,
        reason=proposal.note,
        data={"case_ids": ordered, "round": decision_round.pk if decision_round else None},
        municipality=municipality,
    )
    return proposal
