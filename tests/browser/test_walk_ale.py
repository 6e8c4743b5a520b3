"""Ale's walk: a new case from the idea to the submitted application, through the browser only.

The applicant drafts and submits the idea; the styrgrupp for TSI reviews and approves it; the
idea's text carries into the application; both affected sektorschefer sign; the applicant submits.
the styrgrupp prepares with förvaltningsledningen's assessment; kommunstyrelsen grants at a meeting
with a §; the applicant drafts the payout plan and the repayment plan (payers: the sectors) and the
styrgrupp approves both. axe-core runs on each page. At project start the applicants record the plan for
follow-up and the payout plan, the styrgrupp approves it, and the project starts. (At this commit
the walk ends at the running project; the yearly reports, the final report, the evaluation and the
implementation are not yet walked.)
"""

import datetime

from applications.enums import CaseState
from applications.models import Case
from core.demo import DEMO_DOMAIN

APPLICANT = f"sokande.ale@{DEMO_DOMAIN}"
STYRGRUPP = f"beredare.ale@{DEMO_DOMAIN}"
LEDNING = f"ledning.ale@{DEMO_DOMAIN}"
KS = f"beslut.ale@{DEMO_DOMAIN}"
CHEF1 = f"chef1.ale@{DEMO_DOMAIN}"
CHEF2 = f"chef2.ale@{DEMO_DOMAIN}"
TITLE = "Tidiga insatser för unga i Ale"
IDEA = [
    "Familjeteam i skolan som möter barn med hög frånvaro.",
    "Hög skolfrånvaro i årskurs 4–6 förutsäger utanförskap (aktuell forskning).",
    "Barn i årskurs 4–6 med hög frånvaro och deras familjer.",
    "Sektor utbildning, kultur och fritid och sektor arbete, trygghet och omsorg.",
]


def main_text(page):
    return page.locator("main").inner_text()


def state_shown(page):
    return page.locator("main p").first.inner_text()


def next_step(page):
    return page.get_by_role("region", name="Nästa steg")


def act(page, label, reason=None):
    """Take the action labelled ``label`` in the Nästa steg panel (with its reason, where asked)."""
    panel = next_step(page)
    if reason is not None:
        details = panel.locator("details").filter(has=page.locator("summary", has_text=label))
        details.locator("summary").click()
        details.get_by_label("Motivering").fill(reason)
        details.get_by_role("button", name=label, exact=True).click()
    else:
        panel.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()


def register_step(page, name, comment="Klart."):
    """Register a positive outcome of the step ``name`` on the case page."""
    item = page.locator("li").filter(has=page.locator("strong", has_text=name)).filter(has=page.locator("form"))
    if item.get_by_label("Ja / tillstyrkt / klart").count():
        item.get_by_label("Ja / tillstyrkt / klart").check()
    item.get_by_label("Kommentar").fill(comment)
    item.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_ale_walk_from_idea_to_implementation(page, live_server, act_as, axe, artifacts_dir, demo, time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 11, 9, tzinfo=datetime.UTC))
    base = live_server.url
    page.set_default_timeout(10_000)

    # --- The applicant drafts the idea.
    act_as(APPLICANT)
    page.goto(f"{base}/arenden/nytt/")
    axe.check(page)
    page.get_by_label("Namn på insatsen").fill(TITLE)
    page.get_by_role("button", name="Skapa").click()
    assert page.get_by_text("Ärendet är skapat.").is_visible()
    case = Case.objects.get(title=TITLE)
    assert case.state == CaseState.IDEA_DRAFT
    case_url = f"{base}/arenden/{case.pk}/"
    axe.check(page)
    contents = case.rules.stages["idea"]["contents"]
    for label, text in zip(contents, IDEA, strict=True):
        page.get_by_label(label[:1].upper() + label[1:], exact=True).fill(text)
    page.get_by_role("button", name="Lämna in idén").click()
    assert page.get_by_text("Inlämnat. Ärendet har diarienummer KS 2027/0001.").is_visible()
    assert "Idé: inlämnad" in state_shown(page)
    axe.check(page)

    # --- The styrgrupp for TSI reviews the idea.
    act_as(STYRGRUPP)
    page.goto(case_url)
    assert "Väntar på dig: Ny idé att pröva." in next_step(page).inner_text()
    axe.check(page)
    act(page, "Börja pröva idén")
    assert "Idé: prövas" in state_shown(page)
    register_step(page, "Styrgruppen för TSI granskar idéprövningen", "Idén passar kraven på en ansökan.")
    axe.check(page)
    act(page, "Godkänn idén")
    assert "Idé: godkänd" in state_shown(page)
    assert "Idén är godkänd: ansökan kan skrivas." in next_step(page).inner_text()

    # --- The applicant writes the application: the idea's text is already in it.
    act_as(APPLICANT)
    page.goto(case_url)
    assert "Väntar på dig: Idén är godkänd: ansökan kan skrivas." in next_step(page).inner_text()
    act(page, "Skriv ansökan")
    next_step(page).get_by_role("link", name="Redigera ansökan").click()
    axe.check(page)
    sections = {section["key"]: section["title"] for section in case.rules.sections}
    for index, key in ((0, "insatsen"), (1, "problemformulering"), (2, "malgrupp"), (3, "berorda_sektorer")):
        assert page.get_by_label(sections[key], exact=True).input_value() == IDEA[index]
    assert "Sektor utbildning, kultur och fritid" in page.get_by_label("Sökande enhet").inner_text()
    page.get_by_label("Sektor arbete, trygghet och omsorg").check()
    page.get_by_label("Startdatum").fill("2027-03-01")
    page.get_by_label("Slutdatum").fill("2029-02-28")
    for title in sections.values():
        field = page.get_by_label(title, exact=True)
        if not field.input_value():
            field.fill(f"{title}: så gör vi i Ale.")
    for declaration in case.rules.declarations:
        page.get_by_label(declaration["text"]).check()
    page.get_by_role("button", name="Spara utkast").click()
    for year in (2027, 2028, 2029):
        page.get_by_label(f"Kostnad {year} (kr)").fill("400 000")
    page.get_by_role("button", name="Spara utkast").click()
    axe.check(page)
    page.get_by_role("link", name="Till ärendet").click()
    signatures = page.get_by_role("region", name="Underskrifter")
    signatures.get_by_role("button", name="Be cheferna om underskrift").click()
    assert page.get_by_text("Vi har bett Helena Huvudman, Erik Ersättare, Christer Chefsson").is_visible()
    assert "Underskrift saknas från: Sektor utbildning, kultur och fritid, Sektor arbete" in main_text(page)

    # --- Each affected sector's sektorschef signs.
    heads = ((CHEF1, "Sektor utbildning, kultur och fritid"), (CHEF2, "Sektor arbete, trygghet och omsorg"))
    for head, sector in heads:
        act_as(head)
        page.goto(case_url)
        page.get_by_role("region", name="Underskrifter").get_by_role("button", name=f"Skriv under för {sector}").click()
        assert page.get_by_text(f"Du har skrivit under för {sector}.").is_visible()
        axe.check(page)

    # --- The applicant submits the application.
    act_as(APPLICANT)
    page.goto(case_url)
    next_step(page).get_by_role("link", name="Redigera ansökan").click()
    page.get_by_role("button", name="Lämna in ansökan").click()
    assert "Ansökan: inlämnad" in state_shown(page)
    assert "Ny ansökan att bereda." in next_step(page).inner_text()
    signed = page.get_by_role("region", name="Underskrifter").inner_text()
    assert "Helena Huvudman, sektorschef för Sektor utbildning, kultur och fritid" in signed
    assert "Christer Chefsson, sektorschef för Sektor arbete, trygghet och omsorg" in signed
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ale-walk-submitted.png"), full_page=True)

    # --- The styrgrupp prepares: feedback, a first meeting, the plan for the process.
    act_as(STYRGRUPP)
    page.goto(case_url)
    assert "Väntar på dig: Ny ansökan att bereda." in next_step(page).inner_text()
    act(page, "Börja bereda")
    assert "Under beredning" in state_shown(page)
    register_step(page, "Styrgruppen återkopplar till de sökande", "Ansökan uppfyller kriterierna.")
    register_step(page, "Första möte med styrgruppen", "Gemensam bild: goda förutsättningar att lyckas.")
    register_step(page, "Plan för processen upprättad med ledningsgruppen för TSI", "Planen är upprättad.")
    axe.check(page)

    # --- Förvaltningsledningen assesses the project.
    act_as(LEDNING)
    page.goto(case_url)
    register_step(page, "Förvaltningsledningen bedömer insatsen", "Insatsen tillstyrks.")
    axe.check(page)

    act_as(STYRGRUPP)
    page.goto(case_url)
    assert "Beredningens steg är klara: markera klar för beslut." in next_step(page).inner_text()
    act(page, "Klar för beslut")
    assert "Klar för beslut" in state_shown(page)
    assert "Kommunstyrelsen – Ansökan väntar på beslut." in next_step(page).inner_text()

    # --- Kommunstyrelsen decides at its meeting, with a §.
    act_as(KS)
    page.goto(case_url)
    assert "Väntar på dig: Ansökan väntar på beslut." in next_step(page).inner_text()
    panel = page.get_by_role("region", name="Beslut och handlingar")
    panel.get_by_label("Bevilja", exact=True).check()
    panel.get_by_label("Sammanträdesdag").fill("2027-01-11")
    panel.get_by_label("Paragraf (§)").fill("12")
    total = panel.get_by_label("Beviljat totalbelopp för KS 2027/0001 (kr)")
    if not total.input_value():
        total.fill("1 200 000")
    for year in (2027, 2028, 2029):
        field = panel.get_by_label(f"KS 2027/0001: belopp {year} (kr)")
        if not field.input_value():
            field.fill("400 000")
    panel.get_by_label("Motivering").fill("Insatsen uppfyller anvisningens kriterier.")
    axe.check(page)
    panel.get_by_role("button", name="Protokollför beslutet och upprätta handlingar").click()
    assert page.get_by_text("§ 12 är protokollfört; protokollsutdrag och beslutsbrev är upprättade.").is_visible()
    assert "Beviljad" in state_shown(page)
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ale-walk-granted.png"), full_page=True)

    # --- Project start: the applicant drafts the payout plan (and the plan for follow-up).
    act_as(APPLICANT)
    page.goto(case_url)
    assert "Väntar på dig: Beviljad: projektstarten kan påbörjas." in next_step(page).inner_text()
    history = page.get_by_role("region", name="Historik").inner_text()
    assert "Godkänn idén (idé: prövas → idé: godkänd) – Bengt Beredare" in history
    assert "Ansökan underskriven – Christer Chefsson" in history
    money = page.get_by_role("region", name="Fondmedel och återbetalning")
    money.get_by_label("Utbetalningsplan").fill("400 000 kr vid start av varje projektår, första i mars 2027.")
    money.get_by_role("button", name="Spara utbetalningsplanen").click()
    assert "Väntar på godkännande av Styrgruppen för TSI" in main_text(page)

    # The applicants draft the repayment plan: the sectors pay back.
    page.get_by_role("region", name="Fondmedel och återbetalning").get_by_role(
        "link", name="Återbetalningsplan"
    ).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Återbetalningsplan: {TITLE}"
    axe.check(page)
    assert "Betalare: sektor i kommunen." in main_text(page)
    page.get_by_label("Utfallsmått som återbetalningen knyts till").fill("Minskade placeringskostnader.")
    page.get_by_label("År").nth(0).fill("2030")
    page.get_by_label("Betalare").nth(0).select_option(label="Sektor utbildning, kultur och fritid (deltar i ärendet)")
    page.get_by_label("Belopp (kr)").nth(0).fill("600 000")
    page.get_by_label("År").nth(1).fill("2031")
    page.get_by_label("Betalare").nth(1).select_option(label="Sektor arbete, trygghet och omsorg (deltar i ärendet)")
    page.get_by_label("Belopp (kr)").nth(1).fill("600 000")
    page.get_by_role("button", name="Spara planen").click()
    assert page.get_by_text("Återbetalningsplanen är sparad.").is_visible()
    schedule = page.locator("#schedule").inner_text().replace("\xa0", " ")
    assert "2030\tSektor utbildning, kultur och fritid\t\t600 000 kr" in schedule
    assert "2031\tSektor arbete, trygghet och omsorg\t\t600 000 kr" in schedule
    assert page.get_by_role("heading", name="Planen – utkast").is_visible()
    axe.check(page)

    # --- The styrgrupp approves the payout plan and the repayment plan.
    act_as(STYRGRUPP)
    page.goto(f"{case_url}aterbetalning/")
    page.get_by_role("button", name="Godkänn planen").click()
    assert page.get_by_text("Återbetalningsplanen är godkänd.").is_visible()
    assert page.get_by_role("heading", name="Planen – godkänd").is_visible()
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ale-walk-repayment-plan.png"), full_page=True)
    page.goto(case_url)
    page.get_by_role("button", name="Godkänn utbetalningsplanen").click()
    money_text = page.get_by_role("region", name="Fondmedel och återbetalning").inner_text().replace("\xa0", " ")
    assert "✓ Godkänd av Bengt Beredare 2027-01-11." in money_text
    assert "Status: godkänd · att återbetala 1 200 000 kr" in money_text
    axe.check(page)

    # --- Project start.
    act_as(APPLICANT)
    page.goto(case_url)
    act(page, "Påbörja projektstart")
    assert "Projektstart" in state_shown(page)
    register_step(page, "Plan för uppföljning och utvärdering upprättad", "Planen för uppföljning är klar.")
    register_step(page, "Utbetalningsplan upprättad", "Se utbetalningsplanen.")
    axe.check(page)
    act_as(STYRGRUPP)
    page.goto(case_url)
    register_step(page, "Utbetalningsplanen godkänd", "Godkänd.")
    axe.check(page)
    assert "Startkraven är uppfyllda: projektet kan startas." in next_step(page).inner_text()

    # --- The applicant starts the project.
    act_as(APPLICANT)
    page.goto(case_url)
    act(page, "Starta projektet")
    assert page.get_by_text("Klart: ärendet är nu").is_visible()
    assert Case.objects.get(pk=case.pk).state == CaseState.RUNNING
    history = page.get_by_role("region", name="Historik").inner_text()
    assert "Starta projektet (projektstart →" in history
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ale-walk-running.png"), full_page=True)
