"""The decision reaches the applicant: recorded on the case page, its letter is e-mailed with the
PDF and shown as expedierat; the applicant finds the news among the notifications and chooses how
such news reaches them. axe-core runs on each page."""

from django.core import mail
from django.utils import timezone

from accounts.models import User
from applications.enums import CaseState
from applications.services.content import create_case
from demo.loader import DEMO_DOMAIN, ROLE_LOGINS
from demo.walk import walk_to

APPLICANT = f"sokande.heby@{DEMO_DOMAIN}"


def test_the_decision_letter_reaches_the_applicant_with_its_pdf(
    page, live_server, login, act_as, axe, artifacts_dir, demo, mailoutbox
):
    users = {role.value: User.objects.get(email=f"{local}.heby@{DEMO_DOMAIN}") for role, local in ROLE_LOGINS.items()}
    case = walk_to(create_case(users["applicant"], title="Familjecentral i Heby"), CaseState.READY_FOR_DECISION, users)
    mail.outbox.clear()

    login(page, f"beslut.heby@{DEMO_DOMAIN}")
    page.goto(f"{live_server.url}/arenden/{case.pk}/")
    panel = page.get_by_role("region", name="Beslut och handlingar")
    panel.get_by_label("Sammanträdesdag").fill(timezone.localdate().isoformat())
    panel.get_by_label("Paragraf (§)").fill("188")
    panel.get_by_label("Motivering").fill("Insatsen uppfyller riktlinjens krav.")
    panel.get_by_role("button", name="Protokollför beslutet och upprätta handlingar").click()

    assert page.get_by_text("§ 188 är protokollfört; protokollsutdrag och beslutsbrev är upprättade.").is_visible()
    (letter,) = [m for m in mailoutbox if m.attachments]
    assert letter.to == [APPLICANT]
    assert letter.subject == f"Beslut i ärende {case.number}"
    ((filename, content, mimetype),) = letter.attachments
    assert (filename.endswith(".pdf"), mimetype, content[:5]) == (True, "application/pdf", b"%PDF-")
    dispatch = page.get_by_role("table", name="Beslutsbrevet expedieras")
    assert "Sara Sökande" in dispatch.inner_text()
    assert "Expedierat" in dispatch.inner_text()
    assert f"av {users['decision_body']}, med e-post" in dispatch.inner_text()
    page.screenshot(path=artifacts_dir / "decision-letter-expedierat.png", full_page=True)
    axe.check(page)

    # The applicant has the news in Fonden (the letter being the e-mail) and chooses a digest.
    act_as(APPLICANT)
    page.get_by_role("link", name="Aviseringar").click()
    assert page.get_by_role("link", name=f"{case} har fått status ”beviljad”.").is_visible()
    axe.check(page)
    page.get_by_role("link", name="Inställningar för aviseringar").click()
    page.get_by_role("group", name="Beslut i ärende").get_by_label("En sammanfattning per dag").check()
    page.get_by_role("button", name="Spara valen").click()
    assert page.get_by_text("Dina val för aviseringar är sparade.").is_visible()
    assert page.get_by_role("group", name="Beslut i ärende").get_by_label("En sammanfattning per dag").is_checked()
    page.screenshot(path=artifacts_dir / "notification-settings.png", full_page=True)
    axe.check(page)
