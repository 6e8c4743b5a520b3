"""In Ale every affected sector head signs the application; an edit after a signature voids it,
visibly."""

import pytest

from accounts.models import User
from applications.enums import CaseState
from applications.models import Case
from applications.services import create_case
from applications.walk import fill_application, walk_to
from core.demo import DEMO_DOMAIN, ROLE_LOGINS


@pytest.fixture
def ale_draft(demo):
    users = {role.value: User.objects.get(email=f"{local}.ale@{DEMO_DOMAIN}") for role, local in ROLE_LOGINS.items()}
    case = walk_to(create_case(users["applicant"], title="Fritidsbanken i Ale"), CaseState.DRAFT, users)
    return fill_application(case, users["applicant"])


def test_ale_signature_is_voided_by_an_edit(page, live_server, login, axe, artifacts_dir, ale_draft):
    head = User.objects.get(email=f"sokande.ale@{DEMO_DOMAIN}")
    login(page, head.email)
    page.goto(f"{live_server.url}/arenden/{ale_draft.pk}/")
    signatures = page.get_by_role("region", name="Underskrifter")
    assert "Krävs innan ansökan lämnas in." in signatures.inner_text()
    signatures.get_by_role("button", name=f"Skriv under för {head.unit.name}").click()
    assert page.get_by_text(f"Du har skrivit under för {head.unit.name}.").is_visible()
    assert "✓ underskriven" in page.get_by_role("region", name="Underskrifter").inner_text()
    axe.check(page)

    page.get_by_role("link", name="Redigera ansökan").click()
    first_section = ale_draft.rules.sections[0]["title"]
    page.get_by_label(first_section).fill("En ändrad problembeskrivning efter underskriften.")
    page.get_by_role("button", name="Spara utkast").click()
    page.get_by_role("link", name="Till ärendet").click()

    signatures_text = page.get_by_role("region", name="Underskrifter").inner_text()
    assert "ogiltig: Ansökan ändrades efter underskriften." in signatures_text
    assert page.locator(".signature-voided del").first.inner_text().startswith(head.full_name)
    assert Case.objects.get(pk=ale_draft.pk).signatures.get().voided_at is not None
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ale-signature-voided.png"), full_page=True)
