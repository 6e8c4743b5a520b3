"""A controller exports the municipality's cases: a nonsense year is refused next to the field,
then the export runs as a job whose page offers the file. Both pages pass axe-core."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from accounts.models import User
from applications.services.content import create_case
from demo.loader import DEMO_DOMAIN


@pytest.fixture
def sundsvall_case(demo):
    return create_case(User.objects.get(email=f"sokande.sundsvall@{DEMO_DOMAIN}"), title="Närvaroteam")


def test_controller_exports_cases_and_downloads_the_file(page, live_server, login, axe, artifacts_dir, sundsvall_case):
    login(page, f"controller.sundsvall@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Export", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Export"
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "exports-page.png"), full_page=True)

    page.locator("#id_year").fill("1066")
    page.get_by_role("button", name="Exportera").click()
    assert "större än eller lika med 2000" in page.locator("#id_year").locator("xpath=..").inner_text()
    axe.check(page)

    page.locator("#id_year").fill("")
    page.get_by_role("button", name="Exportera").click()
    page.wait_for_url("**/export/jobb/**")
    assert page.get_by_role("status").inner_text().startswith("Klar")
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "exports-job.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner").click()
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert workbook.sheetnames == ["Ärenden"]
    rows = list(workbook["Ärenden"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == ["Närvaroteam"]
