"""The decision body records a decision on the case page and gets the documents; the meeting's
documents render in the background with progress."""

import pytest

from accounts.models import User
from applications.enums import CaseState
from applications.services import create_case
from applications.walk import walk_to
from core.demo import DEMO_DOMAIN, ROLE_LOGINS


@pytest.fixture
def ready_case(demo):
    users = {role.value: User.objects.get(email=f"{local}.heby@{DEMO_DOMAIN}") for role, local in ROLE_LOGINS.items()}
    return walk_to(create_case(users["applicant"], title="Familjecentral i Heby"), CaseState.READY_FOR_DECISION, users)


def test_heby_decision_body_records_a_grant_and_opens_the_documents(page, live_server, login, axe, ready_case):
    login(page, f"beslut.heby@{DEMO_DOMAIN}")
    page.goto(f"{live_server.url}/arenden/{ready_case.pk}/")
    panel = page.get_by_role("region", name="Beslut och handlingar")
    panel.get_by_label("Sammanträdesdag").fill("2026-12-03")
    panel.get_by_label("Paragraf (§)").fill("187")
    panel.get_by_label("Motivering (krävs)").fill("Insatsen uppfyller riktlinjens krav.")
    axe.check(page)
    panel.get_by_role("button", name="Protokollför beslutet och upprätta handlingar").click()

    assert page.get_by_text("§ 187 är protokollfört; protokollsutdrag och beslutsbrev är upprättade.").is_visible()
    links = page.get_by_role("region", name="Beslut och handlingar").get_by_role("link")
    assert links.count() == 2
    axe.check(page)
    response = page.request.get(f"{live_server.url}{links.first.get_attribute('href')}")
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
