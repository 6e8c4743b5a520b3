"""Ystad's walk, through the browser only: a NEW case from the idea to the aborted project.

The controller sets up the fund (reservation and yearly appropriations). The applicant describes
the idea; the process group checks it, kommunledningsgruppen takes a position and the nämnder are
informed. The applicant writes and submits the application; the process group checks it, KLG
handles it, the nämnder comment, the förvaltningschefer of the affected förvaltningar sign (each
signature is the förvaltning's approval and does its step; the partner's signature is registered
from paper) and KLG approves it.

Another application of the spring round (a colleague's, prepared through the same services as the
demo's cases) is ready for decision too: KLG, not the process group, sets the round's priority
order on its Prioritering page, and kommunstyrelsen reads that order before it decides. KS grants
the walked case at its meeting (§ 41, total and split per year); the projektägare set the project
organisation, save the project plan, record the evaluation plan step and start the project.

The project manager hands in the first half-year report (delårsbokslut 2) on the last day of its
period; kommunstyrelsen, the receiver the rule set names, accepts it from its Uppföljning page. The
controller pays the budget compensation from the report's page: more than the reported cost is
refused by the amount field, the reported cost is paid. The projektägare judge that the method
cannot be carried out as planned: the project manager (the applicants, the proposer the rule set
names) proposes the abort with that reason; KLG assesses the proposal as a step; KS decides the
abort at its meeting (§ 112) in the lifecycle decision form. The case is avbrutet, its remaining
reports lapse, and the fund releases what was granted but not paid, per year, each release naming
the abort decision.
"""

import datetime
import re

from playwright.sync_api import expect

from accounts.enums import Role
from accounts.models import User
from applications.enums import CaseState
from applications.models import Case
from applications.services.content import create_case
from audit.models import AuditEntry
from demo.loader import DEMO_DOMAIN, ROLE_LOGINS
from demo.walk import walk_to
from funds.models import LedgerEntry
from reviews.models import PriorityProposal

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
REPORT = {
    "Verksamheternas genomförda aktiviteter": "Två coacher anställda i april; 38 unga har mötts på skolorna.",
    "Progression sedan föregående rapporteringstillfälle": "Första rapporten: coacherna är på plats hos alla parter.",
    "Uppnådda effekter": "21 av de 38 unga har börjat en organiserad fritidsaktivitet.",
    "Projektets ekonomiska utfall i förhållande till budget": "180 000 kr av 500 000 kr för 2027, främst löner.",
    "Satsningens totala ekonomi": "Beviljat 1 200 000 kr för 2027–2029; 180 000 kr använt hittills.",
    "Kommentar till ekonomin": "Rekryteringen tog en månad längre än planerat.",
}
OTHER_TITLE = "Läxhjälp på biblioteket i Ystad"
ROUND = "Första beslutstillfället"
ABORT_REASON = (
    "Projektägarna bedömer att metoden inte går att genomföra som planerat: fritidsgårdarna "
    "omorganiseras och coacherna kan inte möta de unga där."
)


def email(local):
    return f"{local}.ystad@{DEMO_DOMAIN}"


def main_text(page):
    return page.locator("main").inner_text().replace("\xa0", " ")


def other_application_ready_for_decision():
    """A colleague's application for the same decision round, walked to "klar för beslut" through
    the same services as the pages (as the demo's cases are), so the round has two to order."""
    users = {role.value: User.objects.get(email=email(local)) for role, local in ROLE_LOGINS.items()}
    users[Role.APPLICANT.value] = User.objects.get(email=email("sokande2"))
    case = create_case(users[Role.APPLICANT.value], title=OTHER_TITLE)
    return walk_to(case, CaseState.READY_FOR_DECISION, users)


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
    other = other_application_ready_for_decision()
    assert other.decision_round.name == ROUND

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
    # The förvaltningschefer of the affected förvaltningar sign, each for their own förvaltning:
    # "undertecknas och godkänns" is one act, so the signature does the förvaltning's step.
    for local, unit in [("chef1", "Barn- och utbildningsförvaltningen"), ("chef2", "Socialförvaltningen")]:
        act_as(email(local))
        page.goto(case_url)
        page.get_by_role("region", name="Underskrifter").get_by_role("button", name=f"Skriv under för {unit}").click()
        assert page.get_by_text(f"Du har skrivit under för {unit}.").is_visible(), main_text(page)
        step = (
            page.get_by_role("region", name="Beredning: steg")
            .get_by_role("listitem")
            .filter(has_text=f"Berörda chefer undertecknar och godkänner – {unit}")
        )
        assert "✓ klart" in step.inner_text(), step.inner_text()
        assert "Godkänd genom underskriften 2027-01-11" in step.inner_text(), step.inner_text()
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
    # KLG weighs the nämnder's comments and approves the application.
    act_as(email("ledning"))
    page.goto(case_url)
    do_step(page, axe, "Kommunledningsgruppen godkänner", "Godkänd; nämndernas synpunkter är beaktade.")
    steps = page.get_by_role("region", name="Beredning: steg").inner_text()
    assert steps.count("✓") == 7, steps
    # The process group hands it to the decision.
    act_as(email("beredare"))
    page.goto(case_url)
    page.get_by_role("button", name="Klar för beslut").click()
    case.refresh_from_db()
    assert case.state == "ready_for_decision", main_text(page)
    axe.check(page)

    # KLG (not the process group) prioritises among the round's applications before KS decides.
    act_as(email("ledning"))
    page.get_by_role("navigation").get_by_role("link", name="Prioritering").click()
    page.get_by_role("link", name=re.compile(rf"^{ROUND} ")).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith(f"Prioritering: {ROUND}")
    assert "Kommunledningsgruppen (KLG) ordnar ärendena och sparar förslaget" in main_text(page)
    table = page.get_by_role("table", name="Ärendena i föreslagen ordning")
    assert table.locator("tbody th").first.inner_text().startswith(str(other)), table.inner_text()
    table.get_by_label(f"Plats för {case}").fill("1")
    table.get_by_label(f"Plats för {other}").fill("2")
    page.get_by_label("Kommentar till förslaget").fill("Fritidscoacherna först: störst behov och redo att starta.")
    axe.check(page)
    page.get_by_role("button", name="Spara förslag").click()
    assert page.get_by_text("Förslaget är sparat.").is_visible(), main_text(page)
    saved = page.get_by_role("region", name="Sparade förslag")
    assert saved.get_by_role("heading", level=3).first.inner_text().endswith("– Lena Ledning (senaste)")
    assert saved.locator("ol").first.locator("li").all_inner_texts() == [str(case), str(other)]
    assert re.search(r"Ordningen är det senaste förslaget \([^)]*, Lena Ledning\)\.", main_text(page))
    axe.check(page)
    proposal = PriorityProposal.objects.get(decision_round=case.decision_round)
    assert (proposal.case_ids, proposal.created_by.email) == ([case.pk, other.pk], email("ledning"))
    assert AuditEntry.objects.filter(action="priority.proposal", actor__email=email("ledning")).count() == 1

    # Kommunstyrelsen decides at its meeting on 15 March 2027, with KLG's order before it: the
    # total and the split per year.
    time_machine.move_to(datetime.datetime(2027, 3, 15, 9, tzinfo=datetime.UTC))
    act_as(email("beslut"))
    page.get_by_role("navigation").get_by_role("link", name="Prioritering").click()
    page.get_by_role("link", name=re.compile(rf"^{ROUND} ")).click()
    table = page.get_by_role("table", name="Ärendena i föreslagen ordning")
    assert [row.inner_text().split("\n")[0] for row in table.locator("tbody th").all()] == [str(case), str(other)]
    assert table.get_by_role("spinbutton").count() == 0  # KS reads KLG's order; it does not set it
    axe.check(page)
    table.get_by_role("link", name=str(case)).click()
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

    # The reports to kommunstyrelsen are planned: twice a year, with delårsbokslut 2 and årsbokslut.
    reports = page.get_by_role("region", name="Projekt och uppföljning").inner_text()
    assert "Delårsbokslut 2\t2027-04-01 – 2027-08-31\t2027-08-31\tej inlämnad" in reports, reports
    assert "Årsbokslut\t2027-09-01 – 2027-12-31\t2027-12-31\tej inlämnad" in reports, reports
    first = case.reporting_obligations.order_by("due_date").first()
    assert (first.name, first.receiver_role) == ("Delårsbokslut 2", "decision_body")

    # Delårsbokslut 2: the project manager hands in the first half-year report on the last day of
    # its period, with the costs so far against the budget.
    time_machine.move_to(datetime.datetime(2027, 8, 31, 13, tzinfo=datetime.UTC))
    act_as(email("sokande"))
    page.goto(case_url)
    page.get_by_role("region", name="Projekt och uppföljning").get_by_role("link", name="Delårsbokslut 2").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Delårsbokslut 2: {TITLE}"
    assert "till Kommunstyrelsen" in main_text(page)
    axe.check(page)
    report = page.locator("form").filter(has=page.get_by_role("button", name="Lämna in rapporten"))
    for label, text in REPORT.items():
        report.get_by_label(label).fill(text)
    assert report.get_by_label(re.compile(r"Utfall \d{4}")).count() == 1  # the years to the period's end
    report.get_by_label("Utfall 2027 (kr)").fill("180 000")
    report.get_by_role("button", name="Lämna in rapporten").click()
    assert page.get_by_text("Rapporten är inlämnad.").is_visible(), main_text(page)
    assert "Inlämnad av Sara Sökande 2027-08-31 15:00." in main_text(page)
    assert "2027-08-31 15:00 – Rapport inlämnad (ej inlämnad → inlämnad) – Sara Sökande" in main_text(page)
    assert "Budgetkompensation betalas ut när rapporten är godkänd." in main_text(page)
    axe.check(page)

    # Kommunstyrelsen, the receiver the rule set names, accepts it from its Uppföljning page.
    act_as(email("beslut"))
    page.get_by_role("navigation").get_by_role("link", name="Uppföljning", exact=True).click()
    waiting = page.get_by_role("region", name="Väntar på godkännande (1)")
    assert f"{case.number} {TITLE}" in waiting.inner_text(), main_text(page)
    axe.check(page)
    waiting.get_by_role("link", name="Delårsbokslut 2 (2027-08-31)").click()
    assert "Inlämnad av Sara Sökande 2027-08-31" in main_text(page)
    economy = page.get_by_role("region", name="Ekonomi per år och för hela projektet").inner_text()
    assert "2027\t500 000 kr\t180 000 kr\t−320 000 kr" in economy.replace("\xa0", " "), economy
    page.get_by_label("Kommentar").fill("Redovisningen tas emot; arbetet följer planen.")
    axe.check(page)
    page.get_by_role("button", name="Godkänn rapporten").click()
    assert page.get_by_text("Rapporten är godkänd.").is_visible(), main_text(page)
    assert (
        "Rapport godkänd (inlämnad → godkänd) – Britt Beslut"
        in page.get_by_role("region", name="Rapportens historik").inner_text()
    )
    axe.check(page)

    # Budget compensation with the report (Finansiering): the controller pays the reported cost from
    # the report's page; more than the report states is refused by the amount.
    time_machine.move_to(datetime.datetime(2027, 9, 10, 9, tzinfo=datetime.UTC))
    act_as(email("controller"))
    page.goto(case_url)
    page.get_by_role("region", name="Projekt och uppföljning").get_by_role("link", name="Delårsbokslut 2").first.click()
    compensation = page.get_by_role("region", name="Budgetkompensation")
    assert "rapporterat utfall 180 000 kr, redan kompenserat 0 kr" in compensation.inner_text().replace("\xa0", " ")
    compensation.get_by_label("Belopp att betala ut (kr)").fill("200 000")
    compensation.get_by_role("button", name="Betala ut budgetkompensation").click()
    field_error = page.locator("#compensation .invalid-feedback")
    expect(field_error).to_contain_text(
        "Rapporten anger kostnader på 180\xa0000\xa0kr för 2027 och 0\xa0kr är redan kompenserat; "
        "högst 180\xa0000\xa0kr kan betalas ut."
    )
    assert page.get_by_label("Belopp att betala ut (kr)").get_attribute("aria-invalid") == "true"
    axe.check(page)
    page.get_by_label("Belopp att betala ut (kr)").fill("180 000")
    page.get_by_role("button", name="Betala ut budgetkompensation").click()
    assert page.get_by_text("Budgetkompensationen är bokförd i fonden.").is_visible(), main_text(page)
    compensation = page.get_by_role("region", name="Budgetkompensation").inner_text().replace("\xa0", " ")
    assert "2027-09-10: 180 000 kr (Conny Controller)" in compensation, compensation
    assert "redan kompenserat 180 000 kr" in compensation, compensation
    assert "Det rapporterade utfallet för 2027 är kompenserat i sin helhet." in compensation, compensation
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ystad-walk-report.png"), full_page=True)
    paid = LedgerEntry.objects.get(case=case, kind="budget_compensation")
    assert (paid.year, paid.amount, paid.report_id) == (2027, 180000, first.report.pk)

    # The projektägare judge that the method cannot be carried out as planned: the project
    # proposes an abort, with the reason. The project manager sees the accepted report and the
    # compensation on the case page.
    time_machine.move_to(datetime.datetime(2027, 10, 4, 9, tzinfo=datetime.UTC))
    act_as(email("sokande"))
    page.goto(case_url)
    reports = page.get_by_role("region", name="Projekt och uppföljning").inner_text()
    assert "Delårsbokslut 2\t2027-04-01 – 2027-08-31\t2027-08-31\tgodkänd" in reports, reports
    money = page.get_by_role("region", name="Fondmedel och återbetalning").inner_text().replace("\xa0", " ")
    assert "2027\t500 000 kr\t180 000 kr" in money, money
    page.get_by_text("Föreslå avbrott…").click()
    page.get_by_label("Motivering (krävs)").fill(ABORT_REASON)
    axe.check(page)
    page.get_by_role("button", name="Föreslå avbrott", exact=True).click()
    assert page.get_by_text("Klart. Ett avbrott är nu föreslaget.").is_visible(), main_text(page)
    next_step = page.get_by_role("region", name="Nästa steg").inner_text()
    assert "Kommunledningsgruppen (KLG) – Steg: Bedömning av förslaget om avbrott." in next_step, next_step
    axe.check(page)

    # Kommunledningsgruppen takes a position on the abort, as a step.
    time_machine.move_to(datetime.datetime(2027, 10, 11, 9, tzinfo=datetime.UTC))
    act_as(email("ledning"))
    page.goto(case_url)
    do_step(page, axe, "Bedömning av förslaget om avbrott", "KLG ställer sig bakom att satsningen avbryts.")
    assert "Steget Bedömning av förslaget om avbrott är registrerat." in main_text(page)
    assert "Kommunstyrelsen – Förslag om avbrott väntar på beslut." in main_text(page)

    # Kommunstyrelsen decides the abort at its meeting on 25 October 2027.
    time_machine.move_to(datetime.datetime(2027, 10, 25, 9, tzinfo=datetime.UTC))
    act_as(email("beslut"))
    page.goto(case_url)
    lifecycle = page.locator("form#lifecycle-decision")
    lifecycle.get_by_label("Avbryta", exact=True).check()
    lifecycle.get_by_label("Sammanträdesdag").fill("2027-10-25")
    lifecycle.get_by_label("Paragraf (§)").fill("112")
    lifecycle.get_by_label("Motivering").fill(
        "Satsningen avbryts enligt KLG:s bedömning; metoden går inte att genomföra."
    )
    axe.check(page)
    lifecycle.get_by_role("button", name="Protokollför beslutet och upprätta protokollsutdrag").click()
    decision = "Kommunstyrelsen 2027-10-25 § 112"
    assert page.get_by_text(f"{decision} är protokollfört; protokollsutdraget är upprättat.").is_visible(), main_text(
        page
    )
    case.refresh_from_db()
    assert case.state == "aborted"
    assert page.locator("main p").first.inner_text().startswith(f"{case.number} · Avbrutet"), main_text(page)
    history = history_text(page)
    for entry in (
        f"2027-10-04 11:00 – Föreslå avbrott (pågår → avbrott föreslaget) – Sara Sökande: {ABORT_REASON}",
        "2027-10-11 11:00 – Steg genomfört: Bedömning av förslaget om avbrott (ja) – Lena Ledning",
        f"2027-10-25 11:00 – Avbryt projektet (avbrott föreslaget → avbrutet) – Britt Beslut: {decision}",
    ):
        assert entry in history, history
    documents = page.get_by_role("region", name="Beslut och handlingar")
    assert documents.get_by_role("link", name=re.compile(rf"Protokollsutdrag {decision}")).count() == 1
    assert page.locator("form#lifecycle-decision").count() == 0
    assert "Ärendet väntar inte på någon." in main_text(page)
    assert "Planerat slut (projektet avbröts)\n2029-03-31" in page.get_by_role("region", name="Datum").inner_text()
    reports = page.get_by_role("region", name="Projekt och uppföljning").inner_text()
    assert "Delårsbokslut 2\t2027-04-01 – 2027-08-31\t2027-08-31\tgodkänd" in reports, reports
    assert "Årsbokslut\t2027-09-01 – 2027-12-31\t2027-12-31\tutgår (ärendets status: avbrutet)" in reports, reports
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ystad-walk-aborted.png"), full_page=True)

    # The fund gives back what was granted but not paid, one release per year naming the decision.
    act_as(email("controller"))
    page.get_by_role("navigation").get_by_role("link", name="Fondmedel").click()
    ledger = page.locator("#ledger")
    releases = ledger.locator("tbody tr").filter(has_text="Frigjort åtagande")
    assert releases.count() == 3, ledger.inner_text()
    released = {}
    for row in releases.all():
        cells = [cell.replace("\xa0", " ") for cell in row.locator("td").all_inner_texts()]
        assert (cells[1], cells[5]) == ("2027-10-25", f"{decision}, {case.number}"), cells
        released[int(cells[3])] = cells[4]
    assert released == {2027: "320 000 kr", 2028: "500 000 kr", 2029: "200 000 kr"}, released
    compensated = ledger.locator("tbody tr").filter(has_text="Budgetkompensation").inner_text()
    assert "rapport Delårsbokslut 2 2027-04-01–2027-08-31" in compensated, compensated
    years = page.get_by_role("table", name="Fondens medel per år").inner_text().replace("\xa0", " ")
    for row in (
        "2027\t3 000 000 kr\t180 000 kr\t0 kr / 0 kr\t320 000 kr\t180 000 kr",
        "2028\t3 000 000 kr\t0 kr\t0 kr / 0 kr\t500 000 kr\t0 kr",
        "2029\t3 000 000 kr\t0 kr\t0 kr / 0 kr\t200 000 kr\t0 kr",
    ):
        assert row in years, years
    granted = {2027: 500_000, 2028: 500_000, 2029: 200_000}
    paid = {2027: 180_000}
    entries = LedgerEntry.objects.filter(case=case, kind="release")
    assert {e.year: e.amount for e in entries} == {y: granted[y] - paid.get(y, 0) for y in granted}
    assert {e.decision.paragraph for e in entries} == {112}
    assert sum(e.amount for e in entries) == sum(granted.values()) - sum(paid.values())
    balances = page.locator("#balances").inner_text().replace("\xa0", " ")
    assert "Beviljat\n180 000 kr\nUtbetalt\n180 000 kr" in balances, balances
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ystad-walk-fund-released.png"), full_page=True)
