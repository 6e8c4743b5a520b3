"""The decision body records a decision on the case page and gets the documents; Heby's
kommunstyrelse decides two ready cases as one whole at the meeting. axe-core runs on each page."""

import pytest
from django.utils import timezone

from accounts.models import User
from applications.enums import CaseState
from applications.services.content import create_case
from decisions.models import Decision
from demo.loader import DEMO_DOMAIN, ROLE_LOGINS
from demo.walk import walk_to


def heby_users():
    return {role.value: User.objects.get(email=f"{local}.heby@{DEMO_DOMAIN}") for role, local in ROLE_LOGINS.items()}


@pytest.fixture
def ready_case(demo):
    users = heby_users()
    return walk_to(create_case(users["applicant"], title="Familjecentral i Heby"), CaseState.READY_FOR_DECISION, users)


@pytest.fixture
def ready_cases(demo):
    users = heby_users()
    titles = ["Familjecentral i Heby", "Läxhjälp i Tärnsjö"]
    return [walk_to(create_case(users["applicant"], title=t), CaseState.READY_FOR_DECISION, users) for t in titles]


def test_heby_decision_body_records_a_grant_and_opens_the_documents(page, live_server, login, axe, ready_case):
    login(page, f"beslut.heby@{DEMO_DOMAIN}")
    page.goto(f"{live_server.url}/arenden/{ready_case.pk}/")
    panel = page.get_by_role("region", name="Beslut och handlingar")
    assert page.get_by_role("button", name="Bevilja").count() == 0
    panel.get_by_label("Sammanträdesdag").fill(timezone.localdate().isoformat())
    panel.get_by_label("Paragraf (§)").fill("187")
    panel.get_by_label("Motivering").fill("Insatsen uppfyller riktlinjens krav.")
    # The minutes' signatories, printed on the extract: the one recording keeps the minutes.
    assert panel.get_by_label("Sekreterare (vid protokollet)").input_value() == "Britt Beslut"
    panel.get_by_label("Justerare", exact=True).fill("Gunnel Granskare, Jonas Justerare")
    panel.get_by_label("Justeringsdag").fill(timezone.localdate().isoformat())
    axe.check(page)
    panel.get_by_role("button", name="Protokollför beslutet och upprätta handlingar").click()

    assert page.get_by_text("§ 187 är protokollfört; protokollsutdrag och beslutsbrev är upprättade.").is_visible()
    decision = Decision.objects.get(paragraph=187)
    assert (decision.secretary, decision.adjusters, decision.adjusted_on) == (
        "Britt Beslut",
        "Gunnel Granskare, Jonas Justerare",
        timezone.localdate(),
    )
    links = page.get_by_role("region", name="Beslut och handlingar").get_by_role("link")
    assert links.count() == 2
    axe.check(page)
    response = page.request.get(f"{live_server.url}{links.first.get_attribute('href')}")
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def test_heby_decides_two_cases_as_one_whole_at_the_meeting(page, live_server, login, axe, artifacts_dir, ready_cases):
    login(page, f"beslut.heby@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Sammanträde").click()
    axe.check(page)
    page.get_by_role("link", name="Besluta flera ärenden som en helhet").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Beslut om flera ärenden som en helhet"
    for case in ready_cases:
        page.get_by_label(f"{case.number} {case.title}").check()
    page.get_by_label("Sammanträdesdag").fill(timezone.localdate().isoformat())
    page.get_by_label("Paragraf (§)").fill("§ 0")
    page.get_by_label("Motivering").fill("Insatserna beslutas som en helhet enligt riktlinjen.")
    page.get_by_role("button", name="Protokollför beslutet och upprätta handlingar").click()

    # Refused by the field, with what was typed kept.
    refusal = "Paragrafen anges som ett positivt heltal, till exempel 212 (inte § 0)."
    # exact: the error summary at the top repeats the message in its link to the field
    assert page.get_by_text(refusal, exact=True).is_visible()
    assert page.get_by_label("Motivering").input_value() == "Insatserna beslutas som en helhet enligt riktlinjen."
    assert all(page.get_by_label(f"{case.number} {case.title}").is_checked() for case in ready_cases)
    axe.check(page)
    page.get_by_label("Paragraf (§)").fill("87")
    page.screenshot(path=artifacts_dir / "heby-group-decision.png", full_page=True)
    page.get_by_role("button", name="Protokollför beslutet och upprätta handlingar").click()

    assert page.get_by_text("§ 87 är protokollfört; protokollsutdrag och beslutsbrev är upprättade.").is_visible()
    decision = Decision.objects.get(paragraph=87)
    assert [line.case_id for line in decision.lines.all()] == [case.pk for case in ready_cases]
    for case in ready_cases:
        page.goto(f"{live_server.url}/arenden/{case.pk}/")
        assert "beviljad" in page.locator("main").inner_text()
        panel = page.get_by_role("region", name="Beslut och handlingar")
        extract = panel.get_by_role("link", name="Protokollsutdrag")
        assert extract.count() == 1
        assert all(other.number in extract.inner_text() for other in ready_cases)
    axe.check(page)
