"""What the pages show of reviews: the stage a case is reviewed in and its criteria, who may
assign and who may review (with the reason where not), a case's reviews panel as far as the
blindness rule lets the user see it, and the prioritisation board. Nothing here writes; the
operations are in ``reviews.services``."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.models import User
from applications.enums import CaseState, state_clause
from applications.models import Case
from applications.rules import acting_role
from applications.selectors import Waiting, WaitKind, case_url
from funds.selectors import available_money
from municipalities.rulebook import rulebook_in_force
from municipalities.rulebook.enums import CriterionKind, ReviewStage

from .criteria import REVIEW_STAGE_OF_STATE, STAGES
from .forms import AssignReviewerForm
from .models import PriorityProposal, ReviewAssignment
from .results import summarise
from .rules import is_staff_of

# ---- The stage, its criteria, and who may act ----------------------------------------------------


STAFF_ROLES = [role.value for role in Role if role != Role.APPLICANT]


def review_stage(case):
    """The review stage the case is in now, or None when it cannot be reviewed."""
    return REVIEW_STAGE_OF_STATE.get(case.state)


def stage_criteria(case, stage):
    return case.rules.review.criteria_for(stage)


def assigning_role(case, stage):
    return acting_role(case, "idea_review" if stage == ReviewStage.IDEA else "preparation")


def holds_role(user, case, role):
    return bool(role) and user.municipality_id == case.municipality_id and user.has_role(role)


def may_assign(case, user):
    """(allowed, reason) for the user assigning reviewers to the case now."""
    stage = review_stage(case)
    role = assigning_role(case, stage or ReviewStage.PREPARATION)
    if not holds_role(user, case, role):
        return False, _("Bara %(body)s i ärendets kommun kan tilldela bedömare.") % {"body": case.rules.body_name(role)}
    if stage is None:
        return False, _("Bedömare kan inte tilldelas när %(state)s.") % {"state": state_clause(case.state)}
    if not stage_criteria(case, stage):
        return False, _("Regelverket har inga bedömningskriterier för %(stage)s.") % {"stage": ReviewStage(stage).label}
    return True, ""


def may_review(assignment, user):
    """(allowed, reason) for the user writing or submitting this review now."""
    case = assignment.case
    if assignment.reviewer_id != user.pk:
        return False, _("Bara den tilldelade bedömaren kan skriva bedömningen.")
    if assignment.review.is_submitted:
        return False, _("Bedömningen är redan inlämnad och kan inte ändras.")
    if review_stage(case) != assignment.stage:
        return False, _("Bedömningen kan inte göras när %(state)s.") % {"state": state_clause(case.state)}
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


def review_waits(case):
    """Each reviewer assigned in the stage the case is in whose review is not handed in. Reads
    the case's prefetched assignments (applications.selectors.CASE_WAITS)."""
    stage = review_stage(case)
    if stage is None:
        return []
    return [
        Waiting(
            "",
            _("Bedömning att göra: %(stage)s.") % {"stage": ReviewStage(stage).label},
            people=frozenset({assignment.reviewer_id}),
            who=str(assignment.reviewer),
            url=case_url(case, "bedomningar"),
            kind=WaitKind.REVIEW,
        )
        for assignment in case.review_assignments.all()
        if assignment.stage == stage and not _is_submitted(assignment)
    ]


def _is_submitted(assignment):
    review = getattr(assignment, "review", None)
    return review is not None and review.is_submitted


# ---- What a user sees of a case's reviews --------------------------------------------------------


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
        elif own is not None or holds_role(user, case, assigning_role(case, stage)):
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


def answer_text(criterion, value):
    if value is None:
        return "–"
    if criterion.kind == CriterionKind.YES_NO:
        return _("ja") if value else _("nej")
    return str(value)


def _form_value(criterion, value):
    if value is None:
        return ""
    if criterion.kind == CriterionKind.YES_NO:
        return "ja" if value else "nej"
    return str(value)


def case_reviews_panel(case, user):
    """The case's reviews panel: the assign form for the preparing body, the user's own review
    form, and the results as far as the blindness rule lets the user see them; None where the
    user sees nothing of it (applicant-only users, and staff with nothing to see or do). A fixed
    number of queries whatever the number of reviews."""
    if user is None or not is_staff_of(user, case):
        return None
    assignments = case_assignments(case)
    stages = case_review_stages(case, user, assignments)
    for entry in stages:
        entry.table = [
            (
                result,
                [answer_text(result.criterion, a.review.answers.get(result.criterion.key)) for a in entry.submitted],
            )
            for result in (entry.summary.results if entry.summary else [])
        ]
        if entry.own is not None:
            answers = entry.own.review.answers
            entry.own_fields = [(c, _form_value(c, answers.get(c.key)), "") for c in entry.criteria]
            entry.own_answers = [(c, answer_text(c, answers.get(c.key))) for c in entry.criteria]
    may_assign_now, assign_refusal = may_assign(case, user)
    assign_form = None
    if may_assign_now:
        stage = review_stage(case)
        taken = [a.reviewer_id for a in assignments if a.stage == stage]
        assign_form = AssignReviewerForm(candidates=reviewer_candidates(case).exclude(pk__in=taken))
    current = review_stage(case)
    shows_refusal = user.has_role(assigning_role(case, current or ReviewStage.PREPARATION))
    if not stages and not assign_form and not shows_refusal:
        return None
    return {
        "case": case,
        "stages": stages,
        "assign_form": assign_form,
        "assign_refusal": "" if may_assign_now or not shows_refusal else assign_refusal,
    }


# ---- Prioritisation ------------------------------------------------------------------------------


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
    money: object = None  # funds.selectors.AvailableMoney: the fund's ledger today; None without a fund
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
