import csv
import io
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Role
from applications.enums import CaseState as S
from applications.models import Case
from applications.services.content import create_case
from core.enums import JobStatus
from demo.walk import walk_to
from exports import services
from exports.annual import _shown
from exports.enums import ExportFormat, ExportKind
from exports.models import ExportJob
from exports.tables import AMOUNT, NUMBER, table
from exports.writers import write
from funds import selectors as fund_selectors
from funds import services as funds
from funds.enums import PAID_KINDS, EntryKind
from funds.models import LedgerEntry
from tests.factories import UserFactory
from tests.funds.conftest import decide, kr, ready, set_up_fund

NO_FILTERS = {"state": "", "year": None, "q": ""}


def granted_with_payout(new_case, slug="norrkoping"):
    """A granted case with one payout of 400 000 kr in 2027, and another case still ready for decision."""
    case, users = ready(new_case, slug)
    set_up_fund(users, reserved=5_000_000)
    decide(case, users)
    case = Case.objects.get(pk=case.pk)
    funds.record_payout(case, users["controller"], amount=kr(400_000), year=2027)
    waiting = walk_to(create_case(users["applicant"], title="Väntar på beslut"), S.READY_FOR_DECISION, users)
    return Case.objects.get(pk=case.pk), Case.objects.get(pk=waiting.pk), users


def _sheet_rows(content):
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    return workbook, sheet, header, [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


def _expected_case_figures(case):
    entries = LedgerEntry.objects.filter(case=case)
    return {
        "Sökt belopp (kr)": sum((c.amount for c in case.costs.all()), Decimal(0)),
        "Beviljat belopp (kr)": sum((e.amount for e in entries.filter(kind=EntryKind.COMMITMENT)), Decimal(0)),
        "Utbetalt (kr)": sum((e.amount for e in entries.filter(kind__in=PAID_KINDS)), Decimal(0)),
        "Återbetalt (kr)": sum((e.amount for e in entries.filter(kind=EntryKind.REPAYMENT)), Decimal(0)),
    }


def test_cases_xlsx_every_figure_matches_the_ledger_and_the_cases(new_case, today):
    case, waiting, users = granted_with_payout(new_case)

    content, extension = write([table(ExportKind.CASES, users["controller"], NO_FILTERS)], ExportFormat.XLSX)

    _workbook, sheet, _header, rows = _sheet_rows(content)
    assert extension == "xlsx"
    assert sheet.freeze_panes == "A2"
    assert sheet.title == "Ärenden"
    by_number = {row["Diarienummer"].value: row for row in rows}
    assert set(by_number) == {case.number, waiting.number}
    for exported in (case, waiting):
        row = by_number[exported.number]
        assert row["Namn på insatsen"].value == exported.title
        assert row["Status"].value == exported.get_state_display()
        for column, expected in _expected_case_figures(exported).items():
            assert row[column].data_type == "n"
            assert Decimal(str(row[column].value)) == expected
            assert row[column].number_format == '#,##0.00 "kr"'
    assert Decimal(str(by_number[case.number]["Beviljat belopp (kr)"].value)) == kr(1_500_000)
    assert Decimal(str(by_number[case.number]["Utbetalt (kr)"].value)) == kr(400_000)
    assert Decimal(str(by_number[waiting.number]["Beviljat belopp (kr)"].value)) == Decimal(0)


def test_ledger_xlsx_has_every_entry_with_its_amount_as_a_number(new_case, today):
    _case, _waiting, users = granted_with_payout(new_case)

    content, _ = write([table(ExportKind.LEDGER, users["controller"], NO_FILTERS)], ExportFormat.XLSX)

    _workbook, _sheet, _header, rows = _sheet_rows(content)
    expected = {e.pk: e for e in LedgerEntry.objects.all()}
    assert [row["Post"].value for row in rows] == [
        e.pk for e in fund_selectors.ledger(LedgerEntry.objects.first().fund)
    ]
    assert len(rows) == len(expected) == 5  # reservation, three commitments, payout
    for row in rows:
        entry = expected[row["Post"].value]
        assert row["Belopp (kr)"].data_type == "n"
        assert Decimal(str(row["Belopp (kr)"].value)) == entry.amount
        assert row["År"].value == entry.year
        assert row["Slag"].value == entry.get_kind_display()


def test_payouts_csv_lists_only_payouts(new_case, today):
    case, _waiting, users = granted_with_payout(new_case)

    content, extension = write([table(ExportKind.PAYOUTS, users["controller"], NO_FILTERS)], ExportFormat.CSV)

    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    assert extension == "csv"
    assert [(r["Diarienummer"], r["Belopp (kr)"], r["År"]) for r in rows] == [(case.number, "400000.00", "2027")]


def test_swedish_excel_csv_has_bom_semicolons_and_decimal_commas(new_case, today):
    case, waiting, users = granted_with_payout(new_case)

    content, _ = write([table(ExportKind.CASES, users["controller"], NO_FILTERS)], ExportFormat.CSV_SV)

    assert content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    by_number = {r["Diarienummer"]: r for r in rows}
    assert set(by_number) == {case.number, waiting.number}
    for exported in (case, waiting):
        for column, expected in _expected_case_figures(exported).items():
            assert by_number[exported.number][column] == f"{expected:.2f}".replace(".", ",")


def test_filters_narrow_the_rows_within_the_municipality(new_case, today):
    case, waiting, users = granted_with_payout(new_case)

    by_state = table(ExportKind.CASES, users["controller"], {**NO_FILTERS, "state": case.state})
    by_text = table(ExportKind.CASES, users["controller"], {**NO_FILTERS, "q": "väntar"})

    assert [row[0] for row in by_state.rows] == [case.number]
    assert [row[0] for row in by_text.rows] == [waiting.number]


def test_another_municipalitys_rows_are_never_exported(new_case, today):
    case, _waiting, _users = granted_with_payout(new_case)
    other_case, other_users = ready(new_case, "ale")

    exported = {
        kind: list(table(kind, other_users["controller"], NO_FILTERS).rows)
        for kind in ExportKind
        if kind != ExportKind.ANNUAL_REPORT
    }

    assert [(row[0], row[2]) for row in exported.pop(ExportKind.CASES)] == [
        (other_case.number, other_case.get_state_display())
    ]
    assert Case.objects.get(pk=other_case.pk).municipality_id != case.municipality_id
    assert exported == {kind: [] for kind in exported}
    assert LedgerEntry.objects.count() == 5  # Norrköping's entries exist, but not for Ale


def test_export_page_starts_a_job_that_offers_the_file(client, new_case, today, django_capture_on_commit_callbacks):
    case, waiting, users = granted_with_payout(new_case)
    client.force_login(users["preparer"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:index"), {"kind": "cases", "format": "xlsx", "state": "", "q": ""})

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("exports:job", args=[job.pk])
    assert (job.status, job.total, job.done, job.municipality_id) == (JobStatus.DONE, 2, 2, case.municipality_id)
    page = client.get(response.url)
    assert reverse("exports:download", args=[job.pk]) in page.content.decode()
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download["Content-Disposition"] == 'attachment; filename="arenden-norrkoping-2026-09-15.xlsx"'
    _workbook, _sheet, _header, rows = _sheet_rows(download.content)
    assert {row["Diarienummer"].value for row in rows} == {case.number, waiting.number}


@pytest.mark.parametrize(
    "role", [Role.CONTROLLER, Role.PREPARER, Role.MANAGEMENT, Role.DECISION_BODY, Role.MUNICIPAL_ADMIN]
)
def test_staff_roles_may_open_the_export_page(client, member, role):
    client.force_login(member("ystad", role))

    assert client.get(reverse("exports:index")).status_code == 200


def test_applicant_may_not_export(client, member):
    applicant = member("ystad", Role.APPLICANT)
    client.force_login(applicant)

    assert client.get(reverse("exports:index")).status_code == 403
    assert client.post(reverse("exports:index"), {"kind": "cases", "format": "xlsx"}).status_code == 403
    assert (
        client.post(reverse("exports:annual_report"), {"annual-year": 2026, "annual-format": "pdf"}).status_code == 403
    )
    assert ExportJob.objects.count() == 0


def test_another_municipalitys_job_and_file_are_not_found(client, member):
    controller = member("ystad", Role.CONTROLLER)
    job = services.start_export(controller, kind=ExportKind.CASES, export_format=ExportFormat.CSV, filters=NO_FILTERS)
    client.force_login(member("ale", Role.CONTROLLER))

    assert client.get(reverse("exports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("year", "tjugo", "Fyll i ett heltal."),
        ("year", "1066", "Kontrollera att detta värde är större än eller lika med 2000."),
        ("state", "drömläge", "Välj ett giltigt alternativ. drömläge finns inte bland tillgängliga alternativ."),
        ("kind", "lonelista", "Välj ett giltigt alternativ. lonelista finns inte bland tillgängliga alternativ."),
    ],
)
def test_nonsense_filter_is_refused_with_the_reason_by_the_field(client, member, field, value, reason):
    client.force_login(member("ystad", Role.CONTROLLER))
    data = {"kind": "cases", "format": "xlsx", "state": "", "year": "", "q": "", field: value}

    response = client.post(reverse("exports:index"), data)

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [reason]
    assert reason in response.content.decode()
    assert ExportJob.objects.count() == 0


def _bulk_cases(municipality, user, count, start):
    ruleset = municipality.active_ruleset
    Case.objects.bulk_create(
        Case(
            municipality=municipality,
            ruleset_version=ruleset,
            number=f"BULK-{start + i}",
            title=f"Insats {start + i}",
            created_by=user,
        )
        for i in range(count)
    )


def _queries_to_export(user):
    with CaptureQueriesContext(connection) as queries:
        write([table(ExportKind.CASES, user, NO_FILTERS)], ExportFormat.XLSX)
    return len(queries)


def test_case_export_query_count_does_not_grow_with_the_rows(member):
    controller = member("ystad", Role.CONTROLLER)
    controller.role_set()
    _bulk_cases(controller.municipality, controller, 5, 0)
    five = _queries_to_export(controller)
    _bulk_cases(controller.municipality, controller, 45, 5)

    fifty = _queries_to_export(controller)

    assert Case.objects.count() == 50
    assert five == fifty == 2


def test_annual_report_pdf_is_rendered(client, new_case, today, artifacts_dir):
    _case, _waiting, users = granted_with_payout(new_case)
    client.force_login(users["controller"])

    response = client.post(reverse("exports:annual_report"), {"annual-year": 2027, "annual-format": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="arsredovisning-norrkoping-2027.pdf"'
    assert response.content.startswith(b"%PDF")
    path = artifacts_dir / "annual-report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    # The payout's booker by name, never by e-mail address; the pages landscape A4.
    assert users["controller"].full_name in text
    assert "@" not in text
    assert "841.89 x 595.276 pts (A4)" in info


def test_annual_report_prints_swedish_decimals_and_whole_years():
    assert (_shown(Decimal("11.50"), NUMBER), _shown(Decimal("12.00"), NUMBER)) == (("11,5", True), ("12", True))
    assert (_shown(2027, NUMBER), _shown(Decimal("1234567.5"), AMOUNT)) == (
        ("2027", True),
        ("1\xa0234\xa0567,50\xa0kr", True),
    )


def test_annual_report_xlsx_has_one_sheet_per_table_with_the_years_payouts(
    client, new_case, today, django_capture_on_commit_callbacks
):
    case, _waiting, users = granted_with_payout(new_case)
    client.force_login(users["controller"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:annual_report"), {"annual-year": 2027, "annual-format": "xlsx"})

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert job.filename == "arsredovisning-norrkoping-2027.xlsx"
    workbook = load_workbook(io.BytesIO(bytes(job.content)))
    assert workbook.sheetnames == ["Beslut", "Utbetalningar", "Återbetalningsplaner", "Rapporter", "Indikatorvärden"]
    payouts = list(workbook["Utbetalningar"].iter_rows(min_row=2, values_only=True))
    assert [(row[6], Decimal(str(row[5]))) for row in payouts] == [(case.number, kr(400_000))]


def test_annual_report_with_a_nonsense_year_is_refused(client, member):
    client.force_login(member("ystad", Role.CONTROLLER))

    response = client.post(reverse("exports:annual_report"), {"annual-year": "i fjol", "annual-format": "pdf"})

    assert response.status_code == 400
    assert response.context["annual_form"].errors["year"] == ["Fyll i ett heltal."]


def test_user_without_municipality_may_not_export(client, db):
    client.force_login(UserFactory(municipality=None, roles=[Role.CONTROLLER]))

    assert client.get(reverse("exports:index")).status_code == 403


def test_job_reports_progress_while_it_writes_and_the_page_polls_until_done(client, member):
    controller = member("ystad", Role.CONTROLLER)
    _bulk_cases(controller.municipality, controller, 1200, 0)
    job = services.start_export(controller, kind=ExportKind.CASES, export_format=ExportFormat.CSV, filters=NO_FILTERS)
    client.force_login(controller)
    running = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    # Followed in place by the page's script, never reloaded (WCAG 2.2.1); without it, a link.
    assert '<div id="job" data-poll="2000">' in running
    assert '<meta http-equiv="refresh"' not in running
    assert f'href="{reverse("exports:job", args=[job.pk])}">Uppdatera</a>' in running

    with CaptureQueriesContext(connection) as queries:
        job = services.run_export(job.pk)

    progress_updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and '"done"' in q["sql"]]
    assert (job.status, job.total, job.done) == (JobStatus.DONE, 1200, 1200)
    assert len(progress_updates) == 5  # the start, after 500 and 1000 rows, at the end, and done
    assert len(list(csv.reader(io.StringIO(bytes(job.content).decode("utf-8"))))) == 1201
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert "data-poll=" not in page
    assert ">Uppdatera</a>" not in page
    assert reverse("exports:download", args=[job.pk]) in page


def test_progress_updates_do_not_grow_with_the_rows(member, monkeypatch):
    from exports import writers

    controller = member("ystad", Role.CONTROLLER)
    _bulk_cases(controller.municipality, controller, 1200, 0)
    monkeypatch.setattr(writers, "PROGRESS_EVERY", 10)  # 120 calls from the writer
    job = services.start_export(controller, kind=ExportKind.CASES, export_format=ExportFormat.CSV, filters=NO_FILTERS)

    with CaptureQueriesContext(connection) as queries:
        job = services.run_export(job.pk)

    progress_updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and '"done"' in q["sql"]]
    assert job.done == 1200
    assert len(progress_updates) == services.PROGRESS_STEPS + 2  # the start, 20 steps of 5 %, and done
