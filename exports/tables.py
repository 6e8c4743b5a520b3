"""The tables an export can hold. Each starts from the tenant scoping (``Case.objects.visible_to``
and ``Fund.objects.visible_to``) and puts the user's filters on top of it, never in its place.
Each table is read in a fixed number of queries, however many rows it has.

A table is a title, its columns (header, type) and the rows as tuples. Amounts stay Decimal.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from applications.enums import STAGE_OF_STATE
from applications.filters import CaseListFilter
from applications.models import Case
from applications.selectors import with_amounts
from core.money import ExactMoney
from decisions.models import DecisionLine
from evaluation.models import CalculationSnapshot, IndicatorValue
from funds.enums import PAID_KINDS, EntryKind
from funds.models import Fund, LedgerEntry
from municipalities.rulebook import presentation
from repayment.models import Installment
from reporting.models import Report, ReportCostLine

from .enums import ExportKind

TEXT, NUMBER, AMOUNT, DATE = "text", "number", "amount", "date"
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)


@dataclass
class Table:
    title: str
    columns: list  # [(header, type)]
    rows: object  # an iterable of tuples, one value per column
    count: int


def visible_cases(user, filters):
    """The user's cases (the one tenant scope), then the filters: state, year created, text."""
    cases = Case.objects.visible_to(user)
    if filters.get("state"):
        cases = cases.filter(state=filters["state"])
    if filters.get("q"):
        cases = cases.filter(Q(number__icontains=filters["q"]) | Q(title__icontains=filters["q"]))
    return cases


def _case_filtered(queryset, user, filters, prefix="case"):
    """Rows that belong to a case: only cases the user sees, with the case filters on top."""
    return queryset.filter(**{f"{prefix}__in": visible_cases(user, filters).values("pk")})


def _sum(model, field, **conditions):
    subquery = model.objects.filter(**conditions).values(next(iter(conditions))).annotate(total=Sum(field))
    return ExactMoney(
        Coalesce(Subquery(subquery.values("total")[:1], output_field=MONEY), Value(ZERO), output_field=MONEY)
    )


def listed_cases(user, query):
    """The cases the case list shows for its query string ``query``: the list's own filter set over
    the user's cases, so the export holds exactly the cases the list selected."""
    return CaseListFilter(QueryDict(query), queryset=with_amounts(Case.objects.visible_to(user)), user=user).qs


def cases_table(user, filters):
    if "case_list" in filters:
        cases = listed_cases(user, filters["case_list"])
    else:
        cases = visible_cases(user, filters)
        if filters.get("year"):
            cases = cases.filter(created_at__year=filters["year"])
        cases = with_amounts(cases)
    cases = (
        cases.select_related("applicant_unit")
        .annotate(
            paid=_sum(LedgerEntry, "amount", case=OuterRef("pk"), kind__in=PAID_KINDS),
            repaid=_sum(LedgerEntry, "amount", case=OuterRef("pk"), kind=EntryKind.REPAYMENT),
        )
        .order_by("number", "id")
    )
    rows = (
        (
            c.number,
            c.title,
            str(c.get_state_display()),
            str(presentation.label("stage", STAGE_OF_STATE[c.state])) if c.state in STAGE_OF_STATE else "",
            c.applicant_unit.name if c.applicant_unit else "",
            c.submitted_at.date() if c.submitted_at else None,
            c.asked,
            ZERO if c.granted is None else c.granted,
            c.paid,
            c.repaid,
        )
        for c in cases.iterator(chunk_size=2000)
    )
    columns = [
        (_("Diarienummer"), TEXT),
        (_("Namn på insatsen"), TEXT),
        (_("Status"), TEXT),
        (_("Skede"), TEXT),
        (_("Sökande enhet"), TEXT),
        (_("Ansökan inkom"), DATE),
        (_("Sökt belopp (kr)"), AMOUNT),
        (_("Beviljat belopp (kr)"), AMOUNT),
        (_("Utbetalt (kr)"), AMOUNT),
        (_("Återbetalt (kr)"), AMOUNT),
    ]
    return Table(str(_("Ärenden")), columns, rows, cases.count())


def decisions_table(user, filters):
    lines = _case_filtered(DecisionLine.objects.all(), user, filters)
    if filters.get("year"):
        lines = lines.filter(decision__meeting_date__year=filters["year"])
    lines = lines.select_related("decision", "case").order_by("decision__meeting_date", "decision__paragraph", "id")
    rows = (
        (
            line.decision.body,
            line.decision.meeting_date,
            line.decision.paragraph_label,
            str(line.decision.get_kind_display()),
            line.case.number,
            line.case.title,
            line.total_amount,
        )
        for line in lines.iterator(chunk_size=2000)
    )
    columns = [
        (_("Beslutande organ"), TEXT),
        (_("Sammanträdesdag"), DATE),
        (_("Paragraf"), TEXT),
        (_("Beslut"), TEXT),
        (_("Diarienummer"), TEXT),
        (_("Namn på insatsen"), TEXT),
        (_("Beviljat belopp (kr)"), AMOUNT),
    ]
    return Table(str(_("Beslut")), columns, rows, lines.count())


def _entries(user, filters, kinds=None):
    entries = LedgerEntry.objects.filter(fund__in=Fund.objects.visible_to(user))
    if filters.get("state") or filters.get("q"):
        entries = _case_filtered(entries, user, filters)
    if filters.get("year"):
        entries = entries.filter(year=filters["year"])
    if kinds:
        entries = entries.filter(kind__in=kinds)
    return entries.select_related("case", "decision", "unit", "recorded_by").order_by("entry_date", "id")


LEDGER_COLUMNS = [
    (_("Post"), NUMBER),
    (_("Datum"), DATE),
    (_("Slag"), TEXT),
    (_("År"), NUMBER),
    (_("Från år"), NUMBER),
    (_("Belopp (kr)"), AMOUNT),
    (_("Diarienummer"), TEXT),
    (_("Beslut"), TEXT),
    (_("Beslut eller underlag"), TEXT),
    (_("Nämnd eller verksamhet"), TEXT),
    (_("Konto"), TEXT),
    (_("Projektnummer"), TEXT),
    (_("Rättar post"), NUMBER),
    (_("Bokförd av"), TEXT),
]


def _ledger_rows(entries):
    return (
        (
            e.pk,
            e.entry_date,
            str(e.get_kind_display()),
            e.year,
            e.from_year,
            e.amount,
            e.case.number if e.case else "",
            str(e.decision) if e.decision else "",
            e.basis,
            e.unit.name if e.unit else "",
            e.account,
            e.project_number,
            e.reverses_id,
            e.recorded_by.full_name or e.recorded_by.email,
        )
        for e in entries.iterator(chunk_size=2000)
    )


def ledger_table(user, filters):
    entries = _entries(user, filters)
    return Table(str(_("Fondens poster")), LEDGER_COLUMNS, _ledger_rows(entries), entries.count())


def payouts_table(user, filters):
    entries = _entries(user, filters, kinds=PAID_KINDS)
    return Table(str(_("Utbetalningar")), LEDGER_COLUMNS, _ledger_rows(entries), entries.count())


def repayments_table(user, filters):
    installments = _case_filtered(Installment.objects.all(), user, filters, prefix="plan__case")
    if filters.get("year"):
        installments = installments.filter(year=filters["year"])
    installments = installments.select_related("plan__case", "unit").order_by("plan__case__number", "year", "id")
    rows = (
        (
            i.plan.case.number,
            i.plan.case.title,
            str(i.plan.get_status_display()),
            i.year,
            i.unit.name,
            i.amount,
            i.outcome_measure,
        )
        for i in installments.iterator(chunk_size=2000)
    )
    columns = [
        (_("Diarienummer"), TEXT),
        (_("Namn på insatsen"), TEXT),
        (_("Planens status"), TEXT),
        (_("År"), NUMBER),
        (_("Nämnd"), TEXT),
        (_("Belopp (kr)"), AMOUNT),
        (_("Utfallsmått"), TEXT),
    ]
    return Table(str(_("Återbetalningsplaner")), columns, rows, installments.count())


def reports_table(user, filters):
    reports = _case_filtered(Report.objects.all(), user, filters, prefix="obligation__case")
    if filters.get("year"):
        reports = reports.filter(obligation__due_date__year=filters["year"])
    reports = (
        reports.select_related("obligation__case")
        .annotate(
            budget=_sum(ReportCostLine, "budget", report=OuterRef("pk")),
            outcome=_sum(ReportCostLine, "outcome", report=OuterRef("pk")),
        )
        .order_by("obligation__due_date", "id")
    )
    rows = (
        (
            r.obligation.case.number,
            r.obligation.case.title,
            str(r.obligation.display_name),
            str(r.obligation.get_status_display()),
            r.obligation.period_start,
            r.obligation.period_end,
            r.obligation.due_date,
            r.submitted_at.date() if r.submitted_at else None,
            r.budget,
            r.outcome,
        )
        for r in reports.iterator(chunk_size=2000)
    )
    columns = [
        (_("Diarienummer"), TEXT),
        (_("Namn på insatsen"), TEXT),
        (_("Rapport"), TEXT),
        (_("Status"), TEXT),
        (_("Period från"), DATE),
        (_("Period till"), DATE),
        (_("Ska lämnas senast"), DATE),
        (_("Inlämnad"), DATE),
        (_("Budget (kr)"), AMOUNT),
        (_("Utfall (kr)"), AMOUNT),
    ]
    return Table(str(_("Rapporter")), columns, rows, reports.count())


def indicator_values_table(user, filters):
    values = _case_filtered(IndicatorValue.objects.all(), user, filters, prefix="indicator__plan__case")
    if filters.get("year"):
        values = values.filter(period__year=filters["year"])
    values = values.select_related("indicator__plan__case").order_by("indicator__plan__case__number", "period", "id")
    rows = (
        (
            v.indicator.plan.case.number,
            v.indicator.name,
            str(v.indicator.get_kind_display()),
            v.indicator.unit,
            v.period,
            str(v.get_group_display()),
            v.value,
        )
        for v in values.iterator(chunk_size=2000)
    )
    columns = [
        (_("Diarienummer"), TEXT),
        (_("Indikator"), TEXT),
        (_("Typ av mått"), TEXT),
        (_("Enhet"), TEXT),
        (_("Mätdatum"), DATE),
        (_("Grupp"), TEXT),
        (_("Värde"), NUMBER),
    ]
    return Table(str(_("Indikatorvärden")), columns, rows, values.count())


def calculations_table(user, filters):
    snapshots = _case_filtered(CalculationSnapshot.objects.all(), user, filters)
    if filters.get("year"):
        snapshots = snapshots.filter(saved_at__year=filters["year"])
    snapshots = snapshots.select_related("case").order_by("case__number", "kind", "number")
    rows = (
        (s.case.number, s.case.title, str(s.get_kind_display()), s.number, s.saved_at.date(), s.npv)
        for s in snapshots.iterator(chunk_size=2000)
    )
    columns = [
        (_("Diarienummer"), TEXT),
        (_("Namn på insatsen"), TEXT),
        (_("Kalkyl"), TEXT),
        (_("Version"), NUMBER),
        (_("Sparad"), DATE),
        (_("Nettonuvärde (kr)"), AMOUNT),
    ]
    return Table(str(_("Kalkyler")), columns, rows, snapshots.count())


TABLES = {
    ExportKind.CASES: cases_table,
    ExportKind.DECISIONS: decisions_table,
    ExportKind.LEDGER: ledger_table,
    ExportKind.PAYOUTS: payouts_table,
    ExportKind.REPAYMENTS: repayments_table,
    ExportKind.REPORTS: reports_table,
    ExportKind.INDICATOR_VALUES: indicator_values_table,
    ExportKind.CALCULATIONS: calculations_table,
}

# The annual report's tables: the year's decisions, payouts, repayments, reports received and
# evaluated effects.
ANNUAL_REPORT_KINDS = [
    ExportKind.DECISIONS,
    ExportKind.PAYOUTS,
    ExportKind.REPAYMENTS,
    ExportKind.REPORTS,
    ExportKind.INDICATOR_VALUES,
]


def table(kind, user, filters):
    return TABLES[kind](user, filters)
