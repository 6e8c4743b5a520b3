"""The controller's dashboard: the fund, the commitments, the cases per stage, overdue reports,
the portfolio's spread and the projects' outcomes for one municipality, read in a fixed number of
queries whatever the number of cases or ledger entries. Amounts stay Decimal here; the charts turn
them into coordinates. Reads only; no side effects."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import CaseState as S
from applications.models import Case
from core.money import money_sum
from evaluation.models import CalculationSnapshot, Indicator, IndicatorValue
from evaluation.services import indicator_effect
from funds import selectors as fund_selectors
from funds.models import Fund
from municipalities.rulebook.sections import NO_MONEY_RULES, FundRules
from reporting.models import REPORT_WRITING_STATES, WRITABLE_STATUSES, ReportingObligation

# The lifecycle's stages as the funnel shows them, in order; a case counts where it is now.
FUNNEL = [
    ("idea", _("Idé"), [S.IDEA_DRAFT, S.IDEA_SUBMITTED, S.IDEA_IN_REVIEW, S.IDEA_APPROVED]),
    ("application", _("Ansökan"), [S.DRAFT, S.SUBMITTED, S.RETURNED, S.RESUBMITTED]),
    ("preparation", _("Beredning"), [S.IN_PREPARATION, S.READY_FOR_DECISION]),
    ("granted", _("Beviljad, projektstart"), [S.GRANTED, S.STARTING]),
    ("running", _("Pågår"), [S.RUNNING, S.EXTENDED, S.ABORT_PROPOSED]),
    ("follow_up", _("Slutrapport, utvärdering"), [S.FINAL_REPORT, S.EVALUATED]),
    ("implementation", _("Implementering avgjord"), [S.IMPLEMENTED, S.PARTLY_IMPLEMENTED, S.NOT_IMPLEMENTED]),
    ("ended", _("Avslutat utan projekt eller avbrutet"), [S.IDEA_REJECTED, S.REJECTED, S.WITHDRAWN, S.ABORTED]),
]
# Cases that became projects: the portfolio.
PROJECT_STATES = [state for _key, _label, states in FUNNEL[3:7] for state in states] + [S.ABORTED]

SIZE_BANDS = [
    (Decimal("1000000"), _("under 1 mnkr")),
    (Decimal("3000000"), _("1–3 mnkr")),
    (None, _("över 3 mnkr")),
]
HORIZON_BANDS = [(5, _("högst 5 år")), (10, _("6–10 år")), (None, _("över 10 år"))]
LATE_BANDS = [(30, _("1–30 dagar sent")), (90, _("31–90 dagar sent")), (None, _("mer än 90 dagar sent"))]
OVERDUE_SHOWN = 50


def _band(value, bands):
    for limit, label in bands:
        if limit is None or value <= limit:
            return label
    return bands[-1][1]


def _counted(values, bands):
    counts = {label: 0 for _limit, label in bands}
    for value in values:
        counts[_band(value, bands)] += 1
    return list(counts.items())


@dataclass
class Outcome:
    case: Case
    snapshot: CalculationSnapshot
    npv: Decimal
    benefit_cost_ratio: Decimal | None
    horizon: int


@dataclass
class Effect:
    case: Case
    indicator: Indicator
    estimate: dict | None


@dataclass
class Dashboard:
    municipality: object
    year: int
    today: datetime.date
    policy: FundRules  # the rule set's fund section
    fund: Fund | None = None
    balances: fund_selectors.Balances | None = None
    points: list = field(default_factory=list)
    funnel: list = field(default_factory=list)  # [(key, label, count)]
    overdue: list = field(default_factory=list)
    overdue_count: int = 0
    overdue_bands: list = field(default_factory=list)  # [(label, count)]
    dimensions: list = field(default_factory=list)
    sizes: list = field(default_factory=list)  # [(label, count)]
    horizons: list = field(default_factory=list)
    without_calculation: int = 0
    project_count: int = 0
    outcomes: list = field(default_factory=list)
    effects: list = field(default_factory=list)

    @property
    def year_balance(self):
        return self.balances.year(self.year) if self.balances else None

    @property
    def commitments(self):
        return self.balances.year_list if self.balances else []


def dashboard(user, municipality, year, today=None):
    """Everything the dashboard shows for ``municipality``, seen by ``user`` (cases through
    Case.objects.visible_to, so the page never shows what the user may not see)."""
    today = today or timezone.localdate()
    ruleset = municipality.active_ruleset
    money = ruleset.rules.money if ruleset else NO_MONEY_RULES
    board = Dashboard(municipality=municipality, year=year, today=today, policy=money.fund)
    board.dimensions = list(ruleset.rules.review.portfolio_dimensions) if ruleset else []
    cases = Case.objects.visible_to(user).filter(municipality=municipality)

    board.fund = Fund.objects.filter(municipality=municipality).first()
    if board.fund is not None:
        board.balances = fund_selectors.fund_balances(board.fund, board.policy)
        board.points = fund_selectors.history_points(board.fund, board.policy)

    by_state = dict(cases.values_list("state").annotate(n=Count("id")).order_by())
    board.funnel = [(key, label, sum(by_state.get(s, 0) for s in states)) for key, label, states in FUNNEL]

    overdue = ReportingObligation.objects.filter(
        case__in=cases, case__state__in=REPORT_WRITING_STATES, status__in=WRITABLE_STATUSES, due_date__lt=today
    )
    late_days = list(overdue.values_list("due_date", flat=True))
    board.overdue_count = len(late_days)
    board.overdue_bands = _counted(((today - due).days for due in late_days), LATE_BANDS)
    board.overdue = list(overdue.select_related("case").order_by("due_date", "id")[:OVERDUE_SHOWN])

    latest = CalculationSnapshot.objects.filter(case=OuterRef("pk")).order_by("-saved_at", "-id").values("id")[:1]
    project_cases = cases.filter(state__in=PROJECT_STATES)
    projects = list(project_cases.annotate(total=money_sum("costs__amount")).order_by("number", "id"))
    board.project_count = len(projects)
    board.sizes = _counted((p.total or Decimal(0) for p in projects), SIZE_BANDS)
    # Subqueries rather than lists of ids: the same queries run with no projects as with many.
    snapshots = {
        s.case_id: s
        for s in CalculationSnapshot.objects.filter(
            pk__in=project_cases.annotate(latest=Subquery(latest)).values("latest")
        )
    }
    for project in projects:
        snapshot = snapshots.get(project.pk)
        if snapshot is None:
            continue
        ratio = snapshot.results.get("benefit_cost_ratio")
        board.outcomes.append(
            Outcome(
                case=project,
                snapshot=snapshot,
                npv=snapshot.npv,
                benefit_cost_ratio=Decimal(str(ratio)) if ratio is not None else None,
                horizon=int(snapshot.inputs.get("horizon") or 0),
            )
        )
    board.horizons = _counted((o.horizon for o in board.outcomes), HORIZON_BANDS)
    board.without_calculation = board.project_count - len(board.outcomes)

    by_id = {p.pk: p for p in projects}
    indicators = (
        Indicator.objects.filter(plan__case__in=project_cases)
        .select_related("plan")
        .prefetch_related(Prefetch("values", queryset=IndicatorValue.objects.order_by("period", "id")))
        .order_by("plan__case_id", "id")
    )
    board.effects = [
        Effect(case=by_id[i.plan.case_id], indicator=i, estimate=indicator_effect(i, list(i.values.all())))
        for i in indicators
    ]
    return board
