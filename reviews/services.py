"""Operations on reviews and on the prioritisation of cases ready for decision. Each change locks
the case (or checks the user's role), validates, changes and writes the history in one
transaction; a refusal raises ReviewRefusedError with the reason and stores nothing.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.models import User
from applications.enums import CaseState
from applications.models import Case
from applications.rules import acting_role
from applications.services import TransitionRefusedError
from audit.services import record
from funds.services import available_money
from municipalities.rulebook import rulebook_in_force
from municipalities.rulebook.enums import CriterionKind, ReviewStage
from notifications.models import NotificationKind
from notifications.services import notify

from .criteria import REVIEW_STAGE_OF_STATE, STAGES
from .models import PriorityProposal, Review, ReviewAssignment
from .results import summarise
from .rules import is_staff_of, may_prioritise


class ReviewRefusedError(TransitionRefusedError):
    """A review or prioritisation action was refused; the message says why. Nothing was changed.
    ``errors`` names, by criterion key, the answers the refusal concerns, for the form to show
    beside them."""

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.errors = dict(errors or {})


STAFF_ROLES = [role.value for role in Role if role != Role.APPLICANT]


def review_stage(case):
    """The review stage the case is in now, or None when it cannot be reviewed."""
    return REVIEW_STAGE_OF_STATE.get(case.state)


def stage_criteria(case, stage):
    return case.rules.review.criteria_for(stage)


def assigning_role(case, stage):
    return acting_role(case, "idea_review" if stage == ReviewStage.IDEA else "preparation")


def _holds_role(user, case, role):
    return bool(role) and user.municipality_id == case.municipality_id and user.has_role(role)


def may_assign(case, user):
    """(allowed, reason) for the user assigning reviewers to the case now."""
    stage = review_stage(case)
    role = assigning_role(case, stage or ReviewStage.PREPARATION)
    if not _holds_role(user, case, role):
        return False, _("Bara %(body)s i ärendets kommun kan tilldela bedömare.") % {"body": case.rules.body_name(role)}
    if stage is None:
        return False, _("Bedömare kan inte tilldelas när ärendet är %(state)s.") % {"state": case.get_state_display()}
    if not stage_criteria(case, stage):
        return False, _("Regelverket har inga bedömningskriterier för %(stage)s.") % {"stage": ReviewStage(stage).label}
    return True, ""


def reviewer_candidates(case):
    """Staff of the case's municipality who may be asked to review it."""
    return (
        User.objects.filter(
            municipality_id=case.municipality_id, is_active=True, role_assignments__role__in=STAFF_ROLES
        )
        .distinct()
        .order_by("full_name", "email")
    )


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


def may_review(assignment, user):
    """(allowed, reason) for the user writing or submitting this review now."""
    case = assignment.case
    if assignment.reviewer_id != user.pk:
        return False, _("Bara den tilldelade bedömaren kan skriva bedömningen.")
    if assignment.review.is_submitted:
        return False, _("Bedömningen är redan inlämnad och kan inte ändras.")
    if review_stage(case) != assignment.stage:
        return False, _("Bedömningen kan inte göras när ärendet är %(state)s.") % {"state": case.get_state_display()}
    return True, ""


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


# ---- What a user sees of a case's reviews ------------------------------------------------------


@dataclass
class StageReviews:
    stage: str
    criteria: list
    assignments: list
    own: ReviewAssignment | None
    may_see: bool  # the user may see the submitted reviews and their results
    blind_reason: str
    submitted: list = field(default_factory=list)
    summary: object = None
    may_review: bool = False
    review_refusal: str = ""

    @property
    def label(self):
        return ReviewStage(self.stage).label


def case_review_stages(case, user, assignments):
    """Per review stage of the case, what ``user`` may see and do. ``assignments`` are the
    case's assignments with reviewer and review loaded (one query, whatever their number).

    Blindness: a reviewer whose own review in the stage is not submitted sees no other review,
    no result; after submitting they see all. The preparing body sees all submitted reviews."""
    current = review_stage(case)
    stages = []
    for stage in STAGES:
        criteria = stage_criteria(case, stage)
        in_stage = [a for a in assignments if a.stage == stage]
        if not criteria or (not in_stage and stage != current):
            continue
        own = next((a for a in in_stage if a.reviewer_id == user.pk), None)
        if own is not None and not own.review.is_submitted:
            may_see, why = False, _("Du ser de andra bedömningarna när du har lämnat in din egen.")
        elif own is not None or _holds_role(user, case, assigning_role(case, stage)):
            may_see, why = True, ""
        else:
            may_see, why = False, _("Bedömningarna visas för den beredande gruppen och för bedömarna.")
        entry = StageReviews(stage, criteria, in_stage, own, may_see, why)
        if may_see:
            entry.submitted = [a for a in in_stage if a.review.is_submitted]
            entry.summary = summarise(criteria, [a.review.answers for a in entry.submitted])
        if own is not None:
            entry.may_review, entry.review_refusal = may_review(own, user)
        stages.append(entry)
    return stages


def case_assignments(case):
    return list(
        ReviewAssignment.objects.filter(case=case).select_related("reviewer", "review").order_by("assigned_at", "id")
    )


def case_summary(case):
    """The results the prioritisation shows: the preparation's submitted reviews, or the idea
    review's where the preparation has none. Reads prefetched assignments."""
    assignments = list(case.review_assignments.all())
    for stage in (ReviewStage.PREPARATION, ReviewStage.IDEA):
        submitted = [a for a in assignments if a.stage == stage and a.review.is_submitted]
        if submitted:
            return stage, summarise(stage_criteria(case, stage), [a.review.answers for a in submitted])
    return None, None


# ---- Prioritisation ----------------------------------------------------------------------------


def municipality_rules(user):
    return rulebook_in_force(user)


def ready_cases(user, decision_round):
    """The cases ready for decision in the round (None: those without a round), with what the
    prioritisation page needs, in a fixed number of queries."""
    return (
        Case.objects.visible_to(user)
        .filter(state=CaseState.READY_FOR_DECISION, decision_round=decision_round)
        .select_related("ruleset_version", "applicant_unit")
        .prefetch_related(
            "costs",
            Prefetch("review_assignments", queryset=ReviewAssignment.objects.select_related("review")),
        )
        .order_by("submitted_at", "id")
    )


def months_between(start, end):
    """Whole months from ``start`` to ``end`` inclusive (1 Aug 2026 – 31 Jul 2028: 24)."""
    if not (start and end):
        return None
    after = end + datetime.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    return months - 1 if after.day < start.day else months


@dataclass
class PriorityRow:
    case: Case
    stage: str | None
    summary: object
    costs: dict  # year → amount
    total: Decimal
    months: int | None
    fits: bool | None = None  # within the money left, taken in this order; None without amounts


@dataclass
class YearBalance:
    year: int
    asked: Decimal
    available: Decimal | None

    @property
    def balance(self):
        return None if self.available is None else self.available - self.asked


@dataclass
class PriorityBoard:
    rows: list
    years: list
    proposals: list
    latest: PriorityProposal | None
    case_titles: dict = field(default_factory=dict)
    money: object = None  # funds.services.AvailableMoney: the fund's ledger today; None without a fund
    total: YearBalance | None = None  # all years asked, against all the fund has available


def _latest_order(rows, latest):
    """The rows in the latest proposal's order; cases it does not list follow, by weighted total."""
    order = {case_id: index for index, case_id in enumerate(latest.case_ids)} if latest else {}

    def key(row):
        total = row.summary.total if row.summary and row.summary.total is not None else Decimal(-1)
        return (order.get(row.case.pk, len(order)), -total, row.case.pk)

    return sorted(rows, key=key)


def priority_board(user, municipality, decision_round):
    """Everything the prioritisation page shows, in a fixed number of queries."""
    rows = []
    for case in ready_cases(user, decision_round):
        stage, summary = case_summary(case)
        costs = {cost.year: cost.amount for cost in case.costs.all()}
        rows.append(
            PriorityRow(
                case,
                stage,
                summary,
                costs,
                sum(costs.values(), Decimal(0)),
                months_between(case.period_start, case.end_date),
            )
        )
    proposals = list(
        PriorityProposal.objects.filter(municipality=municipality, decision_round=decision_round).select_related(
            "created_by"
        )
    )
    latest = proposals[0] if proposals else None
    rows = _latest_order(rows, latest)
    money = available_money(municipality)
    asked = {}
    for row in rows:
        for year, amount in row.costs.items():
            asked[year] = asked.get(year, Decimal(0)) + amount
    # Per year only where the rule set appropriates per year; otherwise the fund is one sum.
    per_year = money is not None and money.yearly
    years = [YearBalance(year, asked[year], money.in_year(year) if per_year else None) for year in sorted(asked)]
    total = YearBalance(None, sum(asked.values(), Decimal(0)), money.total if money else None)
    _mark_what_fits(rows, money)
    mentioned = {case_id for proposal in proposals for case_id in proposal.case_ids}
    titles = {case.pk: str(case) for case in Case.objects.filter(pk__in=mentioned).only("number", "title")}
    return PriorityBoard(rows, years, proposals, latest, titles, money, total)


def _mark_what_fits(rows, money):
    """Take the cases in order; a case fits if the fund's available money, and (with yearly
    appropriations) each year it asks for, covers it after the cases before it. Unmarked without
    a fund."""
    if money is None:
        return
    left_total = money.total
    left = {}
    for row in rows:
        if money.yearly:
            for year in row.costs:
                left.setdefault(year, money.in_year(year))
        row.fits = row.total <= left_total and all(
            left[year] >= amount for year, amount in row.costs.items() if money.yearly
        )
        if row.fits:
            left_total -= row.total
            for year, amount in row.costs.items():
                if money.yearly:
                    left[year] -= amount


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
