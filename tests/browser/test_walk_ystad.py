"""Ystad's walk, through the browser only: a NEW case from the idea to the aborted project.

The controller sets up the fund (reservation and yearly appropriations). The applicant describes
the idea; the process group checks it, kommunledningsgruppen takes a position and the nämnder are
informed. The applicant writes and submits the application; the process group checks it, KLG
handles it, the nämnder comment, the förvaltningschefer of the affected förvaltningar sign (the
partner's signature is registered from paper) and KLG approves it.

The walk currently ends at the started project: after kommunstyrelsen's grant (§ 41, total and split
per year) the projektägare set the project organisation, save the project plan, record the
evaluation plan step and start the project.
"""

import datetime
import re

from playwright.sync_api import expect

from accounts.models import User
from applications.models import Case
from core.demo import DEMO_DOMAIN

TITLE = "Fritidscoacher i Ystad"
IDEA = {
    "Behovet som är utgångspunkt för idén": "Unga 13–18 år som saknar fritidssysselsättning ökar i Ystad.",
    "Satsningens innehåll": "Fritidscoacher från fritidsgårdarna, elevhälsan och IFO möter unga.",
    "Vilka effekter som förväntas av genomförandet": "Fler unga i meningsfull fritid, färre orosanmälningar.",
}
SECTIONS = {
    "Problemanalys och nulägesbeskrivning": "Orosanmälningarna för unga 13–18 år har ökat i tre år.",
    "Evidens och forskning": "Fritidscoachning minskar utanförskap (Folkhälsomyndigheten 2020).",
    "Målgrupp och avgränsning": "Unga 13–18 år bosatta i Ystad utan organiserad fritid.",
    "Metod och bemanning": "Två fritidscoacher med stöd av elevhälsan och IFO.",
    "Tid för genomförande": "Två år, april 2027 till mars 2029.",
    "Målsättning, effekter och utvärdering": "Hälften av de unga i organiserad fritid; jämförs med ordinarie insats.",
    "Kostnader för genomförande": "Totalt 1 200 000 kr, främst personal.",
    "Plan för implementering och uppskalning": "Coacherna kan bli en del av fritidsgårdarnas ordinarie arbete.",
}
COSTS = {2027: "500 000", 2028: "500 000", 2029: "200 000"}


def email(local):
    return f"{local}.ystad@{DEMO_DOMAIN}"


def main_text(page):
    return page.locator("main").inner_text()


def history_text(page):
    return page.get_by_role("region", name="Historik").inner_text()


def do_step(page, axe, name, comment, *, info=False):
    """Complete the named step on the case page (as whoever is signed in)."""
    if info:
        button = page.get_by_role("button", name=re.compile(rf"Kvittera att informationen är lämnad\s*:\s*{name}"))
        assert button.count() >= 1, main_text(page)
        button.first.click()
        return
    button = page.get_by_role("button", name=re.compile(rf"Registrera\s*:\s*{name}")).first
    assert button.count() == 1, main_text(page)
    form = button.locator("xpath=ancestor::form")
    form.get_by_label("Ja / tillstyrkt / klart").check()
    form.get_by_label("Kommentar").fill(comment)
    axe.check(page)
    button.click()


def test_ystad_walk_from_idea_to_aborted_project(
    page, live_server, act_as, axe, artifacts_dir, tmp_path, demo, time_machine
):
    time_machine.move_to(datetime.datetime(2027, 1, 11, 9, tzinfo=datetime.UTC))

    # The controller sets up the fund: the reservation in equity and the yearly appropriations.
    act_as(email("controller"))
    page.get_by_role("link", name="Fondmedel").click()
    axe.check(page)
    page.get_by_label("Fondens namn").fill("Sociala investeringar i Ystad")
    page.get_by_role("button", name="Inrätta fonden").click()
    assert page.get_by_text("Fonden är inrättad.").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Sociala investeringar i Ystad"
    for key, amount, year, basis in [
        ("reservation", "10 000 000", 2027, "KF 2022-02-17 § 25"),
        ("appropriation", "3 000 000", 2027, "KF mål och budget 2027"),
        ("appropriation", "3 000 000", 2028, "KF mål och budget 2028"),
        ("appropriation", "3 000 000", 2029, "KF mål och budget 2029"),
    ]:
        page.locator(f"#record-{key} summary").click()
        form = page.locator(f"#record-{key} form")
        form.get_by_label("Belopp (kr)").fill(amount)
        form.get_by_label("År").fill(str(year))
        form.get_by_label("Beslut").fill(basis)
        form.get_by_role("button", name="Bokför").click()
        expect(page.locator(".alert-success, [role=status]").first).to_contain_text("är bokförd.")
    axe.check(page)

    # The applicant describes the idea.
    act_as(email("sokande"))
    page.goto(f"{live_server.url}/arenden/nytt/")
    axe.check(page)
    page.get_by_label("Namn på insatsen").fill(TITLE)
    page.get_by_role("button", name="Skapa").click()
    assert page.get_by_text("Ärendet är skapat.").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Beskriv idén"
    for label, text in IDEA.items():
        page.get_by_label(label).fill(text)
    axe.check(page)
    page.get_by_role("button", name="Lämna in idén").click()
    case = Case.objects.get(title=TITLE)
    assert case.state == "idea_submitted", main_text(page)
    case_url = f"{live_server.url}/arenden/{case.pk}/"
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ystad-walk-idea.png"), full_page=True)

    # The process group checks the idea against the criteria.
    act_as(email("beredare"))
    page.goto(case_url)
    assert "Processgruppen – Ny idé att pröva." in main_text(page)
    page.get_by_role("button", name="Börja pröva idén").click()
    do_step(page, axe, "Processgruppen bedömer idén mot kriterierna", "Idén uppfyller kriterierna.")
    assert "Steget Processgruppen bedömer idén mot kriterierna är registrerat." in main_text(page)

    # Kommunledningsgruppen takes a position.
    act_as(email("ledning"))
    page.goto(case_url)
    do_step(page, axe, "Kommunledningsgruppen tar ställning", "KLG ställer sig bakom idén.")
    assert "Steget Kommunledningsgruppen tar ställning är registrerat." in main_text(page)

    # The nämnder are informed; once they back the idea, KLG/the process group approves it.
    act_as(email("namnd"))
    page.goto(case_url)
    do_step(page, axe, "Berörda nämnder och förvaltningsledning informeras", "Nämnden ställer sig bakom idén.")
    steps = page.get_by_role("region", name="Idéprövning: steg").inner_text()
    assert steps.count("✓") == 3, steps

    # The idea is backed: the process group approves it, and the applicant may write the application.
    act_as(email("beredare"))
    page.goto(case_url)
    page.get_by_role("button", name="Godkänn idén").click()
    assert "Idé: godkänd" in main_text(page), main_text(page)
    axe.check(page)

    act_as(email("sokande"))
    row = page.get_by_role("row", name=TITLE)
    assert "Idén är godkänd: ansökan kan skrivas." in row.inner_text()
    row.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Skriv ansökan").click()
    page.get_by_role("link", name="Redigera ansökan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Skriv ansökan"
    page.get_by_label("Individ- och familjeomsorgen (verksamhet)").check()
    page.get_by_label("Föreningen Fritid för alla").check()
    page.get_by_label("Startdatum").fill("2027-04-01")
    page.get_by_label("Slutdatum").fill("2029-03-31")
    page.get_by_label("Målgruppens lägsta ålder").fill("13")
    page.get_by_label("Målgruppens högsta ålder").fill("18")
    for label, text in SECTIONS.items():
        page.get_by_label(label).fill(text)
    page.get_by_role("button", name="Spara utkast").click()
    assert page.get_by_text("Utkastet är sparat.").is_visible()
    for year, amount in COSTS.items():
        page.get_by_label(f"Kostnad {year} (kr)").fill(amount)
    page.get_by_label("Beslutstillfälle").select_option(
        label=page.locator("#id_decision_round option").nth(1).inner_text()
    )
    page.get_by_label("Mätplan").fill("Andel unga i organiserad fritid, mäts varje termin mot baslinjen ht 2026.")
    page.get_by_label("Ansökan har löpande förankrats", exact=False).check()
    axe.check(page)
    page.get_by_role("button", name="Lämna in ansökan").click()
    case.refresh_from_db()
    assert case.state == "submitted", main_text(page)
    assert page.get_by_text(f"Inlämnat. Ärendet har diarienummer {case.number}.").is_visible()
    axe.check(page)
    signatures = page.get_by_role("region", name="Underskrifter").inner_text()
    assert "Samlas in under beredningen." in signatures
    assert "Skrivs under av förvaltningschef Helena Huvudman; ersättare: Erik Ersättare." in signatures
    assert "Skrivs under av förvaltningschef Christer Chefsson." in signatures
    assert "Lämna in ansökan (ansökan: utkast → ansökan: inlämnad) – Sara Sökande" in history_text(page)

    # Preparation: the process group checks that the application is complete.
    act_as(email("beredare"))
    page.goto(case_url)
    page.get_by_role("button", name="Börja bereda").click()
    do_step(page, axe, "Processgruppen kontrollerar att ansökan är komplett", "Komplett, mätplanen finns.")
    # KLG handles it.
    act_as(email("ledning"))
    page.goto(case_url)
    do_step(page, axe, "Kommunledningsgruppen hanterar ansökan", "KLG har hanterat ansökan.")
    # The nämnder of the affected förvaltningar comment.
    for local, comment in [("namnd", "BUN tillstyrker."), ("namnd2", "SN tillstyrker.")]:
        act_as(email(local))
        page.goto(case_url)
        do_step(page, axe, "Involverade nämnder och förvaltningsledningar lämnar synpunkter", comment)
    # The förvaltningschefer of the affected förvaltningar sign, each for their own förvaltning.
    for local, unit in [("chef1", "Barn- och utbildningsförvaltningen"), ("chef2", "Socialförvaltningen")]:
        act_as(email(local))
        page.goto(case_url)
        page.get_by_role("region", name="Underskrifter").get_by_role("button", name=f"Skriv under för {unit}").click()
        assert page.get_by_text(f"Du har skrivit under för {unit}.").is_visible(), main_text(page)
        axe.check(page)
    # The partner signed on paper: the applicant registers the scanned, signed application.
    scan = tmp_path / "undertecknad-ansokan.pdf"
    scan.write_bytes(b"%PDF-1.4\n% undertecknad\n%%EOF\n")
    act_as(email("sokande"))
    page.goto(case_url)
    actor = "Föreningen Fritid för alla"
    page.get_by_role("region", name="Underskrifter").get_by_text(
        f"Registrera underskrift på papper för {actor}"
    ).click()
    form = page.get_by_role("form", name=f"Underskrift på papper för {actor}")
    form.get_by_label("Undertecknad av (namn)").fill("Eva Ek")
    form.get_by_label("Befattning hos aktören").fill("ordförande")
    form.get_by_label("Undertecknad den").fill("2027-01-11")
    form.get_by_label("Den undertecknade ansökan (PDF)").set_input_files(str(scan))
    form.get_by_role("button", name="Registrera underskriften").click()
    assert page.get_by_text(f"Underskriften på papper för {actor} är registrerad.").is_visible(), main_text(page)
    signatures = page.get_by_role("region", name="Underskrifter").inner_text()
    assert signatures.count("✓ underskriven") == 3, signatures
    assert "Helena Huvudman, förvaltningschef för Barn- och utbildningsförvaltningen" in signatures
    assert "Eva Ek, ordförande för Föreningen Fritid för alla" in signatures
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ystad-walk-signatures.png"), full_page=True)
    # Each förvaltningschef approves for the förvaltning as the step of the preparation.
    for local in ("chef1", "chef2"):
        act_as(email(local))
        page.goto(case_url)
        do_step(page, axe, "Berörda chefer undertecknar och godkänner", "Förvaltningen står bakom ansökan.")
    # KLG weighs the nämnder's comments and approves the application.
    act_as(email("ledning"))
    page.goto(case_url)
    do_step(page, axe, "Kommunledningsgruppen godkänner", "Godkänd; prioritet 1 bland vårens ansökningar.")
    steps = page.get_by_role("region", name="Beredning: steg").inner_text()
    assert steps.count("✓") == 7, steps
    # The process group hands it to the decision.
    act_as(email("beredare"))
    page.goto(case_url)
    page.get_by_role("button", name="Klar för beslut").click()
    case.refresh_from_db()
    assert case.state == "ready_for_decision", main_text(page)
    axe.check(page)

    # Kommunstyrelsen decides at its meeting on 15 March 2027: the total and the split per year.
    time_machine.move_to(datetime.datetime(2027, 3, 15, 9, tzinfo=datetime.UTC))
    act_as(email("beslut"))
    page.goto(case_url)
    panel = page.get_by_role("region", name="Beslut och handlingar")
    panel.get_by_label("Sammanträdesdag").fill("2027-03-15")
    panel.get_by_label("Paragraf (§)").fill("41")
    panel.get_by_label(f"Beviljat totalbelopp för {case.number} (kr)").fill("1 200 000")
    for year, amount in COSTS.items():
        panel.get_by_label(f"{case.number}: belopp {year} (kr)").fill(amount)
    panel.get_by_label("Motivering").fill("Satsningen uppfyller riktlinjen och är godkänd av KLG.")
    axe.check(page)
    panel.get_by_role("button", name="Protokollför beslutet och upprätta handlingar").click()
    assert page.get_by_text("§ 41 är protokollfört; protokollsutdrag och beslutsbrev är upprättade.").is_visible(), (
        main_text(page)
    )
    case.refresh_from_db()
    assert case.state == "granted"
    assert "beviljad" in main_text(page).lower()
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ystad-walk-granted.png"), full_page=True)
    money = page.get_by_role("region", name="Fondmedel och återbetalning").inner_text().replace("\xa0", " ")
    assert "2027\t500 000 kr" in money, money
    assert "2029\t200 000 kr" in money, money

    # Project start: the projektägare set the project organisation and the project plan.
    act_as(email("sokande"))
    page.goto(case_url)
    page.get_by_role("button", name="Påbörja projektstart").click()
    case.refresh_from_db()
    assert case.state == "starting", main_text(page)
    page.get_by_role("link", name="Projektorganisation och projektplan").click()
    axe.check(page)
    pk = {local: str(User.objects.get(email=email(local)).pk) for local in ("sokande", "chef1", "chef2")}
    page.get_by_label("Projektledare").select_option(value=pk["sokande"])
    page.get_by_label("Projektägare").select_option(value=[pk["chef1"], pk["chef2"]])
    page.get_by_role("button", name="Spara organisationen").click()
    plan = page.locator("form[action$='/projektplan/'], form[action*='plan']").last
    for area in plan.locator("textarea").all():
        area.fill("Enligt mallen för projektplan: mål, aktiviteter, tidplan och bemanning.")
    plan.get_by_role("button", name="Spara projektplanen").click()
    axe.check(page)
    assert page.get_by_text("Projektplanen är sparad.").is_visible()
    organisation = page.get_by_role("region", name="Projektorganisation").inner_text()
    assert "Christer Chefsson, Helena Huvudman" in organisation, organisation
    page.goto(case_url)
    next_step = page.get_by_role("region", name="Nästa steg").inner_text()
    assert "Väntar på dig: Steg: Plan för uppföljning och utvärdering upprättad." in next_step, next_step
    axe.check(page)
    do_step(page, axe, "Plan för uppföljning och utvärdering upprättad", "Mätplanen från ansökan gäller.")
    page.get_by_role("button", name="Starta projektet").click()
    case.refresh_from_db()
    assert case.state == "running", main_text(page)
    assert "Starta projektet" in history_text(page)
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ystad-walk-running.png"), full_page=True)
