"""In Ale every affected sector's designated sektorschef signs the application, not the applicant;
an edit after a signature voids it, visibly."""

import datetime

import pytest

from accounts.models import User
from applications.enums import CaseState
from applications.models import Case
from applications.services.content import create_case
from applications.services.signing import recorder_capacity
from demo.loader import DEMO_DOMAIN, ROLE_LOGINS
from demo.walk import fill_application, walk_to


@pytest.fixture
def ale_draft(demo):
    users = {role.value: User.objects.get(email=f"{local}.ale@{DEMO_DOMAIN}") for role, local in ROLE_LOGINS.items()}
    case = walk_to(create_case(users["applicant"], title="Fritidsbanken i Ale"), CaseState.DRAFT, users)
    return fill_application(case, users["applicant"])


def test_ale_signature_by_the_designated_head_is_voided_by_an_edit(
    page, live_server, login, axe, artifacts_dir, ale_draft
):
    applicant = User.objects.get(email=f"sokande.ale@{DEMO_DOMAIN}")
    head = User.objects.get(email=f"chef1.ale@{DEMO_DOMAIN}")
    unit = applicant.unit
    assert unit.head == head
    case_url = f"{live_server.url}/arenden/{ale_draft.pk}/"

    # The applicant cannot sign for her own sector: she asks its sektorschef and deputy.
    login(page, applicant.email)
    page.goto(case_url)
    signatures = page.get_by_role("region", name="Underskrifter")
    text = signatures.inner_text()
    assert "Krävs innan ansökan lämnas in." in text
    assert f"Skrivs under av sektorschef {head.full_name}; ersättare: Erik Ersättare." in text
    assert signatures.get_by_role("button", name=f"Skriv under för {unit.name}").count() == 0
    signatures.get_by_role("button", name="Be cheferna om underskrift").click()
    assert page.get_by_text(f"Vi har bett {head.full_name}, Erik Ersättare").is_visible()
    axe.check(page)

    # The designated sektorschef signs, as sektorschef.
    page.context.clear_cookies()
    login(page, head.email)
    page.goto(case_url)
    page.get_by_role("region", name="Underskrifter").get_by_role("button", name=f"Skriv under för {unit.name}").click()
    assert page.get_by_text(f"Du har skrivit under för {unit.name}.").is_visible()
    signed = page.get_by_role("region", name="Underskrifter").inner_text()
    assert "✓ underskriven" in signed
    assert f"{head.full_name}, sektorschef för {unit.name}" in signed
    axe.check(page)

    # The applicant edits the application: the signature is void, and says why.
    page.context.clear_cookies()
    login(page, applicant.email)
    page.goto(case_url)
    page.get_by_role("link", name="Redigera ansökan").click()
    first_section = ale_draft.rules.application.sections[0].title
    page.get_by_label(first_section).fill("En ändrad problembeskrivning efter underskriften.")
    page.get_by_role("button", name="Spara utkast").click()
    page.get_by_role("link", name="Till ärendet").click()

    signatures_text = page.get_by_role("region", name="Underskrifter").inner_text()
    assert "ogiltig: Ansökan ändrades efter underskriften: innehållet." in signatures_text
    assert page.locator(".signature-voided del").first.inner_text().startswith(head.full_name)
    assert Case.objects.get(pk=ale_draft.pk).signatures.get().voided_at is not None
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ale-signature-voided.png"), full_page=True)


@pytest.fixture
def ystad_draft(demo):
    users = {role.value: User.objects.get(email=f"{local}.ystad@{DEMO_DOMAIN}") for role, local in ROLE_LOGINS.items()}
    case = walk_to(create_case(users["applicant"], title="Läxhjälp med föreningen"), CaseState.DRAFT, users)
    return fill_application(case, users["applicant"])


def test_ystad_partner_signature_on_paper_is_recorded_and_marked_so(
    page, live_server, login, axe, artifacts_dir, tmp_path, ystad_draft
):
    applicant = User.objects.get(email=f"sokande.ystad@{DEMO_DOMAIN}")
    actor = ystad_draft.external_actors.get()
    scan = tmp_path / "undertecknad-ansokan.pdf"
    scan.write_bytes(b"%PDF-1.4\n% undertecknad\n%%EOF\n")
    login(page, applicant.email)
    page.goto(f"{live_server.url}/arenden/{ystad_draft.pk}/")
    signatures = page.get_by_role("region", name="Underskrifter")
    assert signatures.get_by_role("button", name=f"Skriv under för {actor.name}").count() == 0

    signatures.get_by_text(f"Registrera underskrift på papper för {actor.name}").click()
    form = page.get_by_role("form", name=f"Underskrift på papper för {actor.name}")
    form.get_by_label("Undertecknad av (namn)").fill("Eva Ek")
    form.get_by_label("Befattning hos aktören").fill("ordförande")
    form.get_by_label("Undertecknad den").fill(datetime.date.today().isoformat())
    form.get_by_label("Den undertecknade ansökan (PDF)").set_input_files(str(scan))
    form.get_by_role("button", name="Registrera underskriften").click()

    assert page.get_by_text(f"Underskriften på papper för {actor.name} är registrerad.").is_visible()
    text = page.get_by_role("region", name="Underskrifter").inner_text()
    assert f"Eva Ek, ordförande för {actor.name}" in text
    capacity = recorder_capacity(applicant, ystad_draft.municipality)  # the recorder's title where the demo gives one
    assert f"undertecknad på papper, registrerad av {applicant.full_name}, {capacity}" in text
    assert f"{applicant.full_name}, chef för {actor.name}" not in text
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ystad-paper-signature.png"), full_page=True)
