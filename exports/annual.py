"""The fund's annual report for one year: a PDF rendered by WeasyPrint from the documents' base
template, with the year's balances and the same tables as the XLSX (decisions, payouts,
repayments, reports received and evaluated effects)."""

from django.utils import translation

from core.formatting import format_kronor, format_number
from core.pdf import render_pdf
from funds.models import Fund
from funds.selectors import fund_balances

from .enums import ExportKind
from .tables import AMOUNT, ANNUAL_REPORT_KINDS, DATE, NUMBER, table

# The ledger's bookkeeping columns stay in the XLSX; a landscape page holds the rest.
LEDGER_ONLY_IN_XLSX = {"Post", "Från år", "Beslut eller underlag", "Konto", "Projektnummer", "Rättar post"}
ONLY_IN_XLSX = {ExportKind.PAYOUTS: LEDGER_ONLY_IN_XLSX}


def annual_report_context(user, year):
    fund = Fund.objects.visible_to(user).select_related("municipality").filter(municipality_id=user.municipality_id)
    fund = fund.first()
    tables = []
    for kind in ANNUAL_REPORT_KINDS:
        t = table(kind, user, {"year": year})
        dropped = ONLY_IN_XLSX.get(kind, set())
        keep = [i for i, (header, _kind) in enumerate(t.columns) if str(header) not in dropped]
        rows = [[_shown(row[i], t.columns[i][1]) for i in keep] for row in t.rows]
        columns = [(str(t.columns[i][0]), t.columns[i][1] in (AMOUNT, NUMBER)) for i in keep]
        tables.append({"title": t.title, "columns": columns, "rows": rows})
    return {
        "fund": fund,
        "year": year,
        "balances": fund_balances(fund).year(year) if fund else None,
        "tables": tables,
        "municipality": user.municipality,
    }


def render_annual_report(user, year):
    """PDF bytes of the annual report (raises core.pdf.RenderError). Always Swedish: it is the
    municipality's record, and the tables' headers are made Swedish too."""
    with translation.override("sv"):
        context = annual_report_context(user, year)
        return render_pdf(
            "exports/annual_report.html",
            {**context, "title": f"Årsredovisning {year}", "document_label": "Årsredovisning"},
        )


def _shown(value, kind):
    """(text, right-aligned) for one cell of the PDF's tables."""
    if value is None or value == "":
        return ("", False)
    if kind == AMOUNT:
        return (format_kronor(value), True)
    if kind == DATE:
        return (value.isoformat(), False)
    if kind == NUMBER and not isinstance(value, int):
        # A measured value: Swedish decimals (12,5), whole numbers without ",00". Whole numbers
        # (years, versions, entry numbers) are printed as they are, without a thousands space.
        return (format_number(value), True)
    return (str(value), kind == NUMBER)
