"""Ale, walked through the browser only: a new case from the idea to its final state, the effort
implemented in ordinary operations by kommunstyrelsen's decision.

The controller sets up the fund, the money set aside with kommunstyrelsen. The applicant drafts and
submits the idea; the styrgrupp for TSI reviews and approves it; the idea's text carries into the
application; both affected sektorschefer sign; the applicant submits. The styrgrupp prepares
(feedback, first meeting, the plan for the process) and förvaltningsledningen assesses;
kommunstyrelsen grants at a meeting with a §, which commits 400 000 kr a year in the fund.
The applicants draft the payout plan and the repayment plan (payers: the sectors); the styrgrupp
approves both, and the controller makes the first payout by the plan. At the project start the
payout plan's steps are already done by the plan and its approval (recorded once, in the money
panel); the applicants record the plan for follow-up and start the project, which is to report once
a year and at the end: one yearly evaluation, then the final report. The controller pays each
year's share in January. When the first project year ends the project manager, waited on in
"Nästa steg" and on the start page, hands in the yearly report; the styrgrupp accepts it from its
Uppföljning page. At the end the final report makes the case "slutrapport inlämnad"; the styrgrupp
accepts it, but cannot mark the case evaluated until the project has written and handed in the
evaluation at the end (positive individual, municipal and socio-economic effects; proposal:
implement). The styrgrupp then marks it evaluated; förvaltningsledningen proposes the
implementation and kommunstyrelsen decides it at its meeting, with a §: implementerat, with the
repayment plan still standing and every payout shown. The clock moves with time_machine; axe-core
runs on each new page.
"""

import datetime
from dataclasses import dataclass

from playwright.sync_api import expect

from applications.enums import CaseState
from applications.models import Case
from demo.loader import DEMO_DOMAIN
from evaluation.models import Evaluation
from funds.models import LedgerEntry

APPLICANT = f"sokande.ale@{DEMO_DOMAIN}"
STYRGRUPP = f"beredare.ale@{DEMO_DOMAIN}"
LEDNING = f"ledning.ale@{DEMO_DOMAIN}"
KS = f"beslut.ale@{DEMO_DOMAIN}"
CHEF1 = f"chef1.ale@{DEMO_DOMAIN}"
CHEF2 = f"chef2.ale@{DEMO_DOMAIN}"
CONTROLLER = f"controller.ale@{DEMO_DOMAIN}"
TITLE = "Tidiga insatser för unga i Ale"
PAYOUT_PLAN = (
    "400 000 kr per år enligt kommunstyrelsens fördelning: den första utbetalningen när planen är godkänd, "
    "före start, och därefter i januari 2028 och i januari 2029."
)
YEARLY = "Årlig uppföljning för perioden 2027-03-01 – 2028-02-29"
FINAL = "Slutrapport för perioden 2027-03-01 – 2029-02-28"
EVALUATION = {
    "Effekter": "Frånvaron halverades och färre barn fick orosanmälningar (individuella effekter); fem "
    "placeringar undveks (kommunala effekter); besparingarna överstiger kostnaden (samhällsekonomiska effekter).",
    "Process: vad har gjorts": "Två familjeteam har mött 61 barn och deras familjer i skolan enligt planen.",
    "Kostnader": "1 200 000 kr enligt budget, mot undvikta placeringskostnader på cirka 2 miljoner kr.",
    "Slutsats": "Insatsen ger positiva individuella, kommunala och samhällsekonomiska effekter.",
}
PROPOSAL = "Familjeteamen blir ordinarie verksamhet i båda sektorerna från hösten 2029, inom sektorernas ramar."
DECISION_REASON = "Utvärderingen visar positiva individuella, kommunala och samhällsekonomiska effekter."
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


def history(page):
    return page.get_by_role("region", name="Historik").inner_text()


def money(page):
    return page.get_by_role("region", name="Fondmedel och återbetalning").inner_text().replace("\xa0", " ")


def open_case_waiting_for_me(page, reason):
    """From the start page after signing in: the case waits for this user, for ``reason``."""
    waiting = page.get_by_role("region", name="Väntar på dig")
    row = waiting.get_by_role("row", name=TITLE)
    expect(row).to_contain_text(reason)
    row.get_by_role("link", name=TITLE).click()
    page.wait_for_load_state()


def pay_out(page, axe, year, *, check=False):
    """The controller pays out the year's 400 000 kr by the approved payout plan, on the fund page."""
    page.get_by_role("link", name="Fondmedel").click()
    if check:
        axe.check(page)
    page.locator("#record-payout summary").click()
    form = page.locator("#record-payout form")
    form.get_by_label("Ärende").select_option(label=f"KS 2027/0001 {TITLE}")
    form.get_by_label("Belopp (kr)").fill("400 000")
    form.get_by_label("År").fill(str(year))
    form.get_by_role("button", name="Bokför").click()
    expect(page.get_by_text("Utbetalning är bokförd.")).to_be_visible()


def write_report(page, texts, outcomes):
    """Write the report's texts under the rule set's headings and the outcome per year, and hand it in."""
    for heading, text in texts.items():
        page.get_by_label(heading, exact=True).fill(text)
    for year, amount in outcomes.items():
        page.get_by_label(f"Utfall {year} (kr)").fill(amount)
    page.get_by_role("button", name="Lämna in rapporten").click()
    expect(page.get_by_text("Rapporten är inlämnad.")).to_be_visible()


def accept_from_follow_up(page, axe, name, comment):
    """The styrgrupp finds the handed-in report on its Uppföljning page and accepts it."""
    page.get_by_role("link", name="Uppföljning", exact=True).click()
    axe.check(page)
    waiting = page.get_by_role("region", name="Väntar på godkännande (1)")
    waiting.get_by_role("link", name=name).click()
    review = page.get_by_role("region", name="Granska rapporten")
    review.get_by_label("Kommentar").fill(comment)
    review.get_by_role("button", name="Godkänn rapporten").click()
    expect(page.get_by_text("Rapporten är godkänd.")).to_be_visible()


def register_step(page, name, comment="Klart."):
    """Register a positive outcome of the step ``name`` on the case page."""
    item = page.locator("li").filter(has=page.locator("strong", has_text=name)).filter(has=page.locator("form"))
    if item.get_by_label("Ja / tillstyrkt / klart").count():
        item.get_by_label("Ja / tillstyrkt / klart").check()
    item.get_by_label("Kommentar").fill(comment)
    item.locator("button[type=submit]").click()
    page.wait_for_load_state()


@dataclass
class Walk:
    """What every phase of the walk uses: the browser page, who is signed in, the clock, the case."""

    page: object
    act_as: object
    axe: object
    artifacts_dir: object
    clock: object
    base: str
    case: Case | None = None

    @property
    def case_url(self):
        return f"{self.base}/arenden/{self.case.pk}/"

    def at(self, year, month, day, hour=9):
        """Move the clock to ``hour`` UTC of the day (10:00 or 11:00 in Ale)."""
        self.clock.move_to(datetime.datetime(year, month, day, hour, tzinfo=datetime.UTC))


def set_up_fund(w):
    """The controller sets up the fund: the money set aside with kommunstyrelsen."""
    page, act_as, axe = w.page, w.act_as, w.axe
    act_as(CONTROLLER)
    page.get_by_role("link", name="Fondmedel").click()
    page.get_by_label("Fondens namn").fill("Sociala investeringsmedel i Ale")
    page.get_by_role("button", name="Inrätta fonden").click()
    expect(page.get_by_text("Fonden är inrättad.")).to_be_visible()
    page.locator("#record-reservation summary").click()
    reservation = page.locator("#record-reservation form")
    reservation.get_by_label("Belopp (kr)").fill("5 000 000")
    reservation.get_by_label("År").fill("2027")
    reservation.get_by_label("Beslut").fill("KF 2026-11-23 § 150, mål och budget 2027: avsatt hos kommunstyrelsen")
    reservation.get_by_role("button", name="Bokför").click()
    expect(page.get_by_text("Avsättning är bokförd.")).to_be_visible()
    axe.check(page)


def idea_to_submitted_application(w):
    """From the idea to the submitted application, signed by both sektorschefer."""
    page, act_as, axe, artifacts_dir = w.page, w.act_as, w.axe, w.artifacts_dir
    base = w.base
    # --- The applicant drafts the idea.
    act_as(APPLICANT)
    page.goto(f"{base}/arenden/nytt/")
    axe.check(page)
    page.get_by_label("Namn på insatsen").fill(TITLE)
    page.get_by_role("button", name="Skapa").click()
    assert page.get_by_text("Ärendet är skapat.").is_visible()
    case = Case.objects.get(title=TITLE)
    assert case.state == CaseState.IDEA_DRAFT
    w.case = case
    case_url = w.case_url
    axe.check(page)
    contents = case.rules.stages.idea.contents
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
    sections = {section.key: section.title for section in case.rules.application.sections}
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
    for declaration in case.rules.application.declarations:
        page.get_by_label(declaration.text).check()
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


def preparation_and_grant(w):
    """The styrgrupp prepares with förvaltningsledningen's assessment; kommunstyrelsen grants."""
    page, act_as, axe, artifacts_dir, case_url = w.page, w.act_as, w.axe, w.artifacts_dir, w.case_url
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
    # Recording renders the extract and the letter and e-mails the letter (in-process in tests).
    panel.get_by_role("button", name="Protokollför beslutet och upprätta handlingar").click(timeout=30_000)
    assert page.get_by_text("§ 12 är protokollfört; protokollsutdrag och beslutsbrev är upprättade.").is_visible()
    assert "Beviljad" in state_shown(page)
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ale-walk-granted.png"), full_page=True)

    # The grant is committed in the fund, split per year as kommunstyrelsen decided.
    committed = money(page)
    for year in (2027, 2028, 2029):
        assert f"{year}\t400 000 kr\t0 kr\t0 kr" in committed


def plans_and_first_payout(w):
    """The payout plan and the repayment plan, approved by the styrgrupp; the first payout."""
    page, act_as, axe, artifacts_dir, case_url = w.page, w.act_as, w.axe, w.artifacts_dir, w.case_url
    # --- After the grant: the applicants draft the payout plan and the repayment plan.
    act_as(APPLICANT)
    page.goto(case_url)
    assert "Väntar på dig: Beviljad: projektstarten kan påbörjas." in next_step(page).inner_text()
    assert "Godkänn idén (idé: prövas → idé: godkänd) – Bengt Beredare" in history(page)
    assert "Ansökan underskriven – Christer Chefsson" in history(page)
    panel = page.get_by_role("region", name="Fondmedel och återbetalning")
    panel.get_by_label("Utbetalningsplan").fill(PAYOUT_PLAN)
    panel.get_by_role("button", name="Spara utbetalningsplanen").click()
    expect(page.get_by_role("region", name="Fondmedel och återbetalning")).to_contain_text(
        "Väntar på godkännande av Styrgruppen för TSI (Tidiga Samordnade Insatser); "
        "ingen utbetalning görs dessförinnan."
    )

    # The repayment plan: the sectors pay back.
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

    # --- The styrgrupp approves the repayment plan and the payout plan.
    w.at(2027, 2, 8)
    act_as(STYRGRUPP)
    page.goto(f"{case_url}aterbetalning/")
    page.get_by_role("button", name="Godkänn planen").click()
    assert page.get_by_text("Återbetalningsplanen är godkänd.").is_visible()
    assert page.get_by_role("heading", name="Planen – godkänd").is_visible()
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ale-walk-repayment-plan.png"), full_page=True)
    page.goto(case_url)
    page.get_by_role("button", name="Godkänn utbetalningsplanen").click()
    expect(page.get_by_role("region", name="Fondmedel och återbetalning")).to_contain_text(
        "✓ Godkänd av Bengt Beredare 2027-02-08."
    )
    assert "Status: godkänd · att återbetala 1 200 000 kr" in money(page)
    axe.check(page)

    # --- The first payout follows the approved payout plan; then the project may start.
    act_as(CONTROLLER)
    pay_out(page, axe, 2027, check=True)


def project_start(w):
    """The project start: the plan for follow-up; the payout plan's steps are already done."""
    page, act_as, axe, artifacts_dir, case, case_url = w.page, w.act_as, w.axe, w.artifacts_dir, w.case, w.case_url
    # --- Project start: the payout plan and its approval are already recorded, once.
    w.at(2027, 3, 1)
    act_as(APPLICANT)
    page.goto(case_url)
    act(page, "Påbörja projektstart")
    assert "Projektstart" in state_shown(page)
    start_steps = page.get_by_role("region", name="Projektstart: steg")
    written = start_steps.locator("li").filter(has=page.locator("strong", has_text="Utbetalningsplan upprättad"))
    approved = start_steps.locator("li").filter(has=page.locator("strong", has_text="Utbetalningsplanen godkänd"))
    expect(written).to_contain_text("✓ klart")
    expect(written).to_contain_text("Sara Sökande, 2027-03-01 10:00: Utbetalningsplanen upprättades 2027-01-11.")
    expect(approved).to_contain_text("Bengt Beredare, 2027-03-01 10:00: Utbetalningsplanen godkändes 2027-02-08.")
    assert start_steps.get_by_role("button", name="Registrera").count() == 1  # only the plan for follow-up
    register_step(page, "Plan för uppföljning och utvärdering upprättad", "Planen för uppföljning är klar.")
    assert "Startkraven är uppfyllda: projektet kan startas." in next_step(page).inner_text()
    axe.check(page)
    act(page, "Starta projektet")
    expect(page.get_by_text("Klart. Projektet pågår nu.")).to_be_visible()
    case.refresh_from_db()
    assert case.state == CaseState.RUNNING
    assert "Starta projektet (projektstart → pågår) – Sara Sökande" in history(page)
    # Ale evaluates once a year and at the end: one yearly report, then the final report.
    reports = page.get_by_role("region", name="Projekt och uppföljning").locator("tbody tr").all_inner_texts()
    assert reports == [
        "Årlig uppföljning\t2027-03-01 – 2028-02-29\t2028-02-29\tej inlämnad",
        "Slutrapport\t2027-03-01 – 2029-02-28\t2029-02-28\tej inlämnad",
    ]
    assert [o.kind for o in case.reporting_obligations.order_by("due_date")] == ["yearly", "final"]
    assert "Ärendet väntar inte på någon." in next_step(page).inner_text()
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ale-walk-running.png"), full_page=True)


def yearly_follow_up(w):
    """The second payout; the yearly evaluation handed in and accepted."""
    page, act_as, axe, artifacts_dir = w.page, w.act_as, w.axe, w.artifacts_dir
    # --- The second year's payout, in January by the plan.
    w.at(2028, 1, 10)
    act_as(CONTROLLER)
    pay_out(page, axe, 2028)

    # --- The first project year has ended: the project manager hands in the yearly evaluation.
    w.at(2028, 2, 29)
    act_as(APPLICANT)
    axe.check(page)  # the start page: what waits for the project manager
    open_case_waiting_for_me(page, f"Rapport att lämna: {YEARLY}, senast 2028-02-29.")
    assert (
        f"Ärendet väntar på: Projektledaren Sara Sökande – Rapport att lämna: {YEARLY}" in next_step(page).inner_text()
    )
    page.get_by_role("region", name="Projekt och uppföljning").get_by_role("link", name="Årlig uppföljning").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Årlig uppföljning: {TITLE}"
    assert "till Styrgruppen för TSI" in main_text(page)
    axe.check(page)
    write_report(
        page,
        {
            "Resultat": "32 barn och deras familjer har fått stöd av familjeteamen.",
            "Sociala effekter": "Frånvaron har minskat från 18 till 11 procent i gruppen.",
            "Ekonomiska effekter": "Två placeringar har kunnat undvikas under året.",
        },
        {2027: "330 000", 2028: "70 000"},
    )
    assert "Inlämnad av Sara Sökande 2028-02-29 10:00." in main_text(page)
    axe.check(page)

    # The styrgrupp receives it from its Uppföljning page and accepts it.
    act_as(STYRGRUPP)
    expect(page.get_by_role("region", name="Väntar på dig")).to_contain_text(f"Rapport att granska: {YEARLY}.")
    accept_from_follow_up(page, axe, "Årlig uppföljning (2028-02-29)", "Tas emot: uppföljningen följer planen.")
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ale-walk-yearly-report.png"), full_page=True)
    page.get_by_role("link", name="KS 2027/0001").click()
    assert "Ärendet väntar inte på någon." in next_step(page).inner_text()
    reports = page.get_by_role("region", name="Projekt och uppföljning").get_by_role("table").inner_text()
    assert "Årlig uppföljning\t2027-03-01 – 2028-02-29\t2028-02-29\tgodkänd" in reports


def final_report(w):
    """The last payout; the final report handed in and accepted."""
    page, act_as, axe, case = w.page, w.act_as, w.axe, w.case
    # --- The last year's payout.
    w.at(2029, 1, 10)
    act_as(CONTROLLER)
    pay_out(page, axe, 2029)
    balances = page.locator("#balances").inner_text().replace("\xa0", " ")
    assert "Utbetalt\n1 200 000 kr" in balances
    ledger = page.locator("#ledger").inner_text().replace("\xa0", " ")
    assert ledger.count("Utbetalning") == 3
    assert [(e.year, e.amount) for e in LedgerEntry.objects.filter(case=case, kind="payout").order_by("year")] == [
        (2027, 400_000),
        (2028, 400_000),
        (2029, 400_000),
    ]

    # --- The project ends: the final report, the evaluation at the end.
    w.at(2029, 2, 28)
    act_as(APPLICANT)
    open_case_waiting_for_me(page, f"Rapport att lämna: {FINAL}, senast 2029-02-28.")
    page.get_by_role("region", name="Projekt och uppföljning").get_by_role("link", name="Slutrapport").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Slutrapport: {TITLE}"
    axe.check(page)
    write_report(
        page,
        {
            "Resultat": "61 barn och deras familjer har fått stöd under de två åren.",
            "Sociala effekter": "Frånvaron har halverats; färre orosanmälningar från skolan.",
            "Ekonomiska effekter": "Fem placeringar undvikta; kostnaden är lägre än besparingarna.",
        },
        {2027: "330 000", 2028: "400 000", 2029: "70 000"},
    )
    case.refresh_from_db()
    assert case.state == CaseState.FINAL_REPORT
    page.get_by_role("link", name="KS 2027/0001").click()
    assert "Slutrapport inlämnad" in state_shown(page)
    # The styrgrupp receives the final report while the project writes the evaluation at the end.
    waiting = next_step(page).inner_text()
    assert (
        "Styrgruppen för TSI (Tidiga Samordnade Insatser) – Rapport att granska: Slutrapport för perioden" in waiting
    ), waiting
    assert "Väntar på dig: Slutrapporten är inlämnad: slututvärderingen ska skrivas och lämnas in." in waiting
    axe.check(page)

    act_as(STYRGRUPP)
    accept_from_follow_up(page, axe, "Slutrapport (2029-02-28)", "Slutrapporten tas emot.")
    page.get_by_role("link", name="KS 2027/0001").click()
    # No evaluated state without the evaluation: it is not written yet.
    assert (
        "Utvärdering klar: inte möjligt nu – Slututvärderingen är inte skriven. Den skrivs och lämnas in under "
        "Utvärdering." in next_step(page).inner_text()
    )


def evaluation_at_the_end(w):
    """The evaluation at the end, written by the project; the styrgrupp marks the case evaluated."""
    page, act_as, axe, artifacts_dir, case, case_url = w.page, w.act_as, w.axe, w.artifacts_dir, w.case, w.case_url
    # --- The project writes the evaluation at the end, on the evaluation page, and hands it in.
    w.at(2029, 3, 15)
    act_as(APPLICANT)
    page.goto(case_url)
    page.get_by_role("link", name="Mätplan, mätvärden, samhällsekonomiska kalkyler och utvärderingar").click()
    axe.check(page)
    page.get_by_role("region", name="Utvärderingar").get_by_role("link", name="Slututvärdering").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Slututvärdering: {TITLE}"
    # Ale's rule set implements wholly or not at all: the evaluation proposes no partial implementation.
    recommendation = page.get_by_label("Förslag till beslut om implementering")
    assert recommendation.locator("option").all_inner_texts() == ["–", "implementera", "inte implementera"]
    for label, text in EVALUATION.items():
        page.get_by_label(label).fill(text)
    recommendation.select_option("implement")
    page.get_by_role("button", name="Spara utvärderingen").click()
    expect(page.get_by_text("Utvärderingen är sparad. Lämna in den när den är klar.")).to_be_visible()
    page.get_by_role("button", name="Lämna in utvärderingen").click()
    expect(page.get_by_text("Utvärderingen är inlämnad.")).to_be_visible()
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ale-walk-evaluation.png"), full_page=True)

    # The styrgrupp, leading the process, marks the case evaluated: the evaluation is in.
    act_as(STYRGRUPP)
    page.goto(case_url)
    act(page, "Utvärdering klar")
    expect(page.get_by_text("Klart. Projektet är nu utvärderat.")).to_be_visible()
    evaluation = Evaluation.objects.get(case=case, kind="final")
    assert evaluation.submitted_at is not None
    assert (evaluation.effects, evaluation.recommendation) == (EVALUATION["Effekter"], "implement")
    assert (
        "Ärendet väntar på: Förvaltningsledningen – Steg: Förvaltningsledningens förslag om implementering."
        in next_step(page).inner_text()
    )
    axe.check(page)


def implementation(w):
    """Förvaltningsledningen proposes, kommunstyrelsen decides the implementation."""
    page, act_as, axe, artifacts_dir, case = w.page, w.act_as, w.axe, w.artifacts_dir, w.case
    # --- Förvaltningsledningen prepares the implementation for kommunstyrelsen.
    w.at(2029, 3, 26)
    act_as(LEDNING)
    open_case_waiting_for_me(page, "Steg: Förvaltningsledningens förslag om implementering.")
    register_step(page, "Förvaltningsledningens förslag om implementering", PROPOSAL)
    assert "Ärendet väntar på: Kommunstyrelsen – Beslut om implementering saknas." in next_step(page).inner_text()
    axe.check(page)

    # --- Kommunstyrelsen decides at its meeting, with a §: the effort becomes ordinary operations.
    w.at(2029, 4, 9)
    act_as(KS)
    open_case_waiting_for_me(page, "Beslut om implementering saknas.")
    form = page.locator("#lifecycle-decision")
    # Ale's rule set implements wholly or not at all.
    assert form.get_by_label("Inte implementera").count() == 1
    assert form.get_by_label("Implementera delvis").count() == 0
    form.get_by_label("Implementera", exact=True).check()
    form.get_by_label("Sammanträdesdag").fill("2029-04-09")
    form.get_by_label("Paragraf (§)").fill("52")
    form.get_by_label("Motivering").fill(DECISION_REASON)
    axe.check(page)
    form.get_by_role("button", name="Protokollför beslutet och upprätta protokollsutdrag").click()
    expect(
        page.get_by_text("Kommunstyrelsen 2029-04-09 § 52 är protokollfört; protokollsutdraget är upprättat.")
    ).to_be_visible()
    case.refresh_from_db()
    assert case.state == CaseState.IMPLEMENTED
    assert "Implementerat" in state_shown(page)
    assert "Ärendet väntar inte på någon." in next_step(page).inner_text()
    rows = history(page)
    for row in (
        "2029-04-09 11:00 – Implementera (utvärderat → implementerat) – Britt Beslut: Kommunstyrelsen 2029-04-09 "
        f"§ 52: {DECISION_REASON}",
        "2029-03-26 11:00 – Steg genomfört: Förvaltningsledningens förslag om implementering (ja) – Lena Ledning",
        "2029-03-15 10:00 – Utvärdering klar (slutrapport inlämnad → utvärderat) – Bengt Beredare",
        "2029-02-28 10:00 – Lämna slutrapport (pågår → slutrapport inlämnad) – Sara Sökande",
        "2028-02-29 10:00 – Rapport godkänd (inlämnad → godkänd): Årlig uppföljning (2027-03-01–2028-02-29) – "
        "Bengt Beredare",
        "2027-03-01 10:00 – Steg genomfört: Utbetalningsplanen godkänd (ja) – Bengt Beredare: Utbetalningsplanen "
        "godkändes 2027-02-08.",
        "2027-02-08 10:00 – Återbetalningsplan godkänd (utkast → godkänd) – Bengt Beredare",
    ):
        assert row in rows, row
    documents = page.get_by_role("region", name="Beslut och handlingar")
    assert documents.get_by_role("link", name="Protokollsutdrag Kommunstyrelsen 2029-04-09 § 52").count() == 1
    # The repayment plan recorded at the start still stands, and every payout is shown.
    after = money(page)
    assert "Status: godkänd · att återbetala 1 200 000 kr · återbetalt 0 kr · avskrivet 0 kr" in after
    for year in (2027, 2028, 2029):
        assert f"{year}\t400 000 kr\t400 000 kr\t0 kr" in after
    reports = page.get_by_role("region", name="Projekt och uppföljning").get_by_role("table").inner_text()
    assert reports.count("godkänd") == 2
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ale-walk-implemented.png"), full_page=True)


def test_ale_walk_from_idea_to_implementation(page, live_server, act_as, axe, artifacts_dir, demo, time_machine):
    page.set_default_timeout(10_000)
    w = Walk(page, act_as, axe, artifacts_dir, time_machine, live_server.url)
    w.at(2027, 1, 11)
    set_up_fund(w)
    idea_to_submitted_application(w)
    preparation_and_grant(w)
    plans_and_first_payout(w)
    project_start(w)
    yearly_follow_up(w)
    final_report(w)
    evaluation_at_the_end(w)
    implementation(w)
