"""The fund's annual report for one year: a PDF rendered by WeasyPrint from the documents' base
template, with the year's balances and the same tables as the XLSX (decisions, payouts,
repayments, reports received and evaluated effects)."""

from django.utils import translation

from core.formatting import format_kronor
from core.pdf import render_pdf
from funds.models import Fund
from funds.selectors import fund_balances

from .tables import AMOUNT, ANNUAL_REPORT_KINDS, DATE, NUMBER, TEXT, table

LEDGER_ONLY_IN_XLSX = {"Post", "Från år", "Beslut", "Beslut eller underlag", "Konto", "Projektnummer", "Rättar post"}


def annual_report_context(user, year):
    fund = Fund.objects.visible_to(user).select_related("municipality").filter(municipality_id=user.municipality_id)
    fund = fund.first()
    tables = []
    for kind in ANNUAL_REPORT_KINDS:
        t = table(kind, user, {"year": year})
        # An A4 page holds about seven columns: the ledger's bookkeeping columns stay in the XLSX.
        keep = [i for i, (header, _kind) in enumerate(t.columns) if str(header) not in LEDGER_ONLY_IN_XLSX]
        rows = [[_shown(row[i], t.columns[i][1]) for i in keep] for row in t.rows]
        columns = [(str(t.columns[i][0]), t.columns[i][1] != TEXT) for i in keep]
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
    return (str(value), kind == NUMBER)
