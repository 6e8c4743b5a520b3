"""Keyboard only: an applicant in Heby submits an application with parts missing; focus lands on
the error summary, each of its links (followed with Enter) moves focus to its field, and what was
typed is kept. A job page follows its job in place, without reloading. axe-core on both."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from applications.checks import application_problems, declaration_field, section_field
from applications.models import Case
from applications.services.content import create_case, save_case
from core.enums import JobStatus
from demo.loader import DEMO_DOMAIN
from demo.walk import fill_application
from exports.enums import ExportFormat, ExportKind
from exports.models import ExportJob

ACTIVE = "document.activeElement"


@pytest.fixture
def incomplete(demo):
    """A Heby application complete but for its end date, one section and one declaration."""
    applicant = User.objects.get(email=f"sokande.heby@{DEMO_DOMAIN}")
    case = fill_application(create_case(applicant, title="Läxhjälp i Östervåla"), applicant)
    rules = case.rules
    section, declaration = rules.application.sections[-1], rules.application.declarations[0]
    sections = {**case.sections, section.key: ""}
    declarations = {**case.declarations, declaration.key: False}
    fields = {"period_end": None, "sections": sections, "declarations": declarations}
    return save_case(case, applicant, fields=fields), section, declaration


def press_until(page, key, condition, limit=250):
    """Press ``key`` until ``condition`` (JavaScript about the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"(() => {{ const el = {ACTIVE}; return {condition}; }})()"):
            return
    raise AssertionError(f"{condition} never focused with {key}")


def focused_id(page):
    return page.evaluate(f"{ACTIVE}.id")


def test_failed_submission_by_keyboard_focuses_the_summary_and_its_links_reach_the_fields(
    page, live_server, login, axe, artifacts_dir, incomplete
):
    case, section, declaration = incomplete
    first_section = case.rules.application.sections[0]
    login(page, f"sokande.heby@{DEMO_DOMAIN}")
    page.goto(f"{live_server.url}/arenden/{case.pk}/redigera/")
    # Rewrite the first section by keyboard, then tab on to the submit button and press Enter.
    press_until(page, "Tab", f"el.name === '{section_field(first_section.key)}'")
    page.keyboard.press("Control+A")
    page.keyboard.type("Läxhjälp tre dagar i veckan.")
    press_until(page, "Tab", "el.name === 'submit'")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    summary = page.locator("#error-summary")
    assert focused_id(page) == "error-summary"
    problems = application_problems(Case.objects.get(pk=case.pk))
    assert summary.get_by_role("heading").inner_text() == f"Formuläret har {len(problems)} fel"
    assert page.get_by_label(first_section.title).input_value() == "Läxhjälp tre dagar i veckan."
    assert Case.objects.get(pk=case.pk).state == "draft"
    links = summary.get_by_role("link")
    expected = {"#id_period_end", f"#id_{section_field(section.key)}", f"#id_{declaration_field(declaration.key)}"}
    assert {links.nth(i).get_attribute("href") for i in range(links.count())} == expected
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "form-errors-summary.png"), full_page=True)

    for index in range(links.count()):
        target = links.nth(index).get_attribute("href")[1:]
        # From the summary (or, after the first, back up from the last field reached).
        key = "Tab" if index == 0 else "Shift+Tab"
        press_until(
            page, key, f"el.closest('#error-summary') && el === document.querySelectorAll('#error-summary a')[{index}]"
        )
        page.keyboard.press("Enter")
        assert focused_id(page) == target
        # Focus is visible on the field itself, not only on links.
        outline = page.evaluate(
            f"getComputedStyle({ACTIVE}).outlineStyle + ' ' + getComputedStyle({ACTIVE}).outlineWidth"
        )
        assert outline == "solid 3px", (target, outline)
        if index == 0:
            page.screenshot(path=str(artifacts_dir / "form-errors-field-focused.png"))


def test_job_page_follows_the_job_without_reloading(page, live_server, login, axe, artifacts_dir, demo):
    controller = User.objects.get(email=f"controller.sundsvall@{DEMO_DOMAIN}")
    job = ExportJob.objects.create(
        municipality=controller.municipality,
        kind=ExportKind.CASES,
        format=ExportFormat.CSV,
        created_by=controller,
        status=JobStatus.RUNNING,
        total=40,
        done=10,
    )
    login(page, controller.email)
    # A button that starts slow work says it is working and cannot be pressed twice (the submission
    # itself is held back here, to see the button while it waits).
    page.goto(f"{live_server.url}/export/")
    page.evaluate("document.addEventListener('submit', (event) => event.preventDefault())")
    start = page.get_by_role("button", name="Exportera").element_handle()
    start.click()
    page.wait_for_function("(button) => button.disabled", arg=start)
    assert (start.inner_text(), start.get_attribute("aria-busy")) == ("Arbetar…", "true")
    assert page.evaluate("(button) => button.form.hasAttribute('data-submitting')", start)

    page.goto(f"{live_server.url}/export/jobb/{job.pk}/")
    status = page.get_by_role("status")
    assert status.inner_text() == "Pågår"
    assert page.get_by_role("link", name="Uppdatera").is_visible()
    axe.check(page)
    page.evaluate("window.notReloaded = true")
    page.get_by_role("link", name="Tillbaka till export").focus()

    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, done=40, filename="arenden.csv")

    expect(status).to_have_text("Klar: arenden.csv kan laddas ner.", timeout=10_000)
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate(f"{ACTIVE}.textContent") == "Tillbaka till export"
    assert page.get_by_role("link", name="Ladda ner arenden.csv").is_visible()
    assert page.get_by_role("link", name="Uppdatera").count() == 0
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "job-page-done.png"), full_page=True)
