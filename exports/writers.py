"""Writing tables as XLSX (openpyxl, write-only so memory stays flat) or CSV. Amounts stay
numbers: Decimal in the cell with a kronor number format, which Swedish Excel shows as
1 234,50 kr. ``progress(n)`` is called as rows are written."""

import csv
import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .enums import ExportFormat
from .tables import AMOUNT, DATE, NUMBER

AMOUNT_FORMAT = '#,##0.00 "kr"'
DATE_FORMAT = "yyyy-mm-dd"
WIDTHS = {AMOUNT: 18, DATE: 12, NUMBER: 10}
PROGRESS_EVERY = 500
# Excel's limit on a sheet name, and characters it refuses in one.
SHEET_NAME_MAX = 31


def _noop(done):
    pass


def _sheet_title(title):
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:SHEET_NAME_MAX]


def write_xlsx(tables, progress=_noop):
    """One sheet per table, the header row bold and frozen, column widths set."""
    workbook = Workbook(write_only=True)
    done = 0
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title))
        sheet.freeze_panes = "A2"
        for index, (header, kind) in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(kind, max(14, len(str(header)) + 2))
        header_row = []
        for header, _kind in table.columns:
            cell = WriteOnlyCell(sheet, value=str(header))
            cell.font = Font(bold=True)
            header_row.append(cell)
        sheet.append(header_row)
        kinds = [kind for _header, kind in table.columns]
        for row in table.rows:
            sheet.append([_cell(sheet, value, kind) for value, kind in zip(row, kinds, strict=True)])
            done += 1
            if done % PROGRESS_EVERY == 0:
                progress(done)
    if not workbook.worksheets:
        workbook.create_sheet("Tom")
    buffer = io.BytesIO()
    workbook.save(buffer)
    progress(done)
    return buffer.getvalue()


def _cell(sheet, value, kind):
    if value is None or value == "":
        return None
    if kind == AMOUNT:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = AMOUNT_FORMAT
        return cell
    if kind == DATE:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def _csv_value(value, decimal_comma):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = f"{value:.2f}"
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def write_csv(table, *, swedish_excel=False, progress=_noop):
    """UTF-8 with `,` and a decimal point; or for Swedish Excel `;`, a decimal comma and a BOM so
    Excel reads å, ä and ö right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if swedish_excel else ",", lineterminator="\r\n")
    writer.writerow([str(header) for header, _kind in table.columns])
    done = 0
    for row in table.rows:
        writer.writerow([_csv_value(value, swedish_excel) for value in row])
        done += 1
        if done % PROGRESS_EVERY == 0:
            progress(done)
    progress(done)
    text = buffer.getvalue()
    return ("\ufeff" + text if swedish_excel else text).encode("utf-8")


def write(tables, export_format, progress=_noop):
    """The file's bytes and its extension."""
    if export_format == ExportFormat.XLSX:
        return write_xlsx(tables, progress), "xlsx"
    return write_csv(tables[0], swedish_excel=export_format == ExportFormat.CSV_SV, progress=progress), "csv"
