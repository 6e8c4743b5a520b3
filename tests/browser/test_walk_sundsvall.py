"""Sundsvall, walked through the browser: a new case from the first idea to its final state.

The walk ends at kommunfullmäktige's decision to scale the effort up (implementerat).

Each hand is the person the rule set names, signed in at their own desk: the applicant
(Barn- och utbildningsförvaltningen) writes the idea; the strategic network (beredare) tries it
with scientific expertise (recorded) and acknowledges that ledningsgruppen is informed; the
applicant writes and submits the application with Individ- och arbetslivsförvaltningen; each
affected facknämnd (Barn- och utbildningsnämnden, Socialnämnden) takes its position by answering
the remiss through its own representative; the network prepares with expertise; ledningsgruppen
grants at its meeting with a §; the project starts, reports quarterly to ledningsgruppen with PLU
informed, hands in its final report and evaluation; ledningsgruppen proposes the scale-up and
kommunfullmäktige decides it with a §. The clock moves with time_machine. axe-core runs on every
page the walk visits.
"""

import datetime

import pytest

from applications.models import Case
from demo.loader import DEMO_DOMAIN
from reporting.models import ObligationStatus
from reporting.selectors import report_headings, report_years

TITLE = "Föräldrastöd och läxhjälp i Skönsberg"
APPLICANT = f"sokande.sundsvall@{DEMO_DOMAIN}"
NETWORK = f"beredare.sundsvall@{DEMO_DOMAIN}"
LEDNINGSGRUPPEN = f"beslut.sundsvall@{DEMO_DOMAIN}"
PLU = f"ledning.sundsvall@{DEMO_DOMAIN}"
COUNCIL = f"fullmaktige.sundsvall@{DEMO_DOMAIN}"
EXPERT = "Docent Maria Forsberg"
PROPOSAL = "Ledningsgruppens förslag till kommunfullmäktige om permanentning och uppskalning"
# The affected units are Barn- och utbildningsförvaltningen (the applicant's) and Individ- och
# arbetslivsförvaltningen: their facknämnder take a position, each by its own representative.
BOARDS = {
    "Barn- och utbildningsnämnden": f"namnd.sundsvall@{DEMO_DOMAIN}",
    "Socialnämnden": f"namnd2.sundsvall@{DEMO_DOMAIN}",
}

IDEA = {
    "Vilket problem satsningen ska lösa": "Många unga i Skönsberg lämnar grundskolan utan behörighet.",
    "Vilken metod eller vilket arbetssätt som ska användas": "Läxhjälp och föräldrastöd (Komet) i samverkan.",
    "Vilka positiva effekter satsningen förväntas resultera i": "Fler behöriga till gymnasiet, färre orosanmälningar.",
}


@pytest.fixture
def walk_clock(time_machine):
    """Monday 11 January 2027, 09:00: the idea is written in the new year."""
    time_machine.move_to(datetime.datetime(2027, 1, 11, 9, tzinfo=datetime.UTC))
    return time_machine


def case_page(page, live_server, case):
    page.goto(f"{live_server.url}/arenden/{case.pk}/")


def state_shown(page):
    return page.locator("main p").first.inner_text().lower()


def history(page):
    return page.get_by_role("region", name="Historik").inner_text()


def step_item(page, name, unit=None):
    """The step's row in the case page's list of steps (one per nämnd where each takes a position)."""
    rows = page.locator("section li.border-bottom").filter(has=page.locator("strong", has_text=name))
    return rows.filter(has_text=f"{name} – {unit}") if unit else rows


def hand_in_report(page, live_server, act_as, axe, case, obligation, text):
    """The project manager writes the report from the case page's list and hands it in."""
    act_as(APPLICANT)
    case_page(page, live_server, case)
    reporting = page.get_by_role("region", name="Projekt och uppföljning")
    row = reporting.get_by_role("row").filter(has_text=f"{obligation.period_start} – {obligation.period_end}")
    row.get_by_role("link", name=str(obligation.display_name)).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"{obligation.display_name}: {case.title}"
    assert (
        "till Ledningsgruppen (för kännedom till Plan- och utvecklingsutskottet (PLU))"
        in page.locator("main").inner_text()
    )
    axe.check(page)
    for heading in report_headings(obligation):
        page.get_by_label(heading, exact=True).fill(f"{text}: {heading.lower()} enligt plan.")
    for year in report_years(obligation):
        page.get_by_label(f"Utfall {year} (kr)").fill("100 000")
    page.get_by_role("button", name="Lämna in rapporten").click()
    assert page.get_by_text("Rapporten är inlämnad.").is_visible()
    axe.check(page)


def accept_report(page, live_server, act_as, axe, case, obligation):
    """Ledningsgruppen, the receiver, accepts the report."""
    act_as(LEDNINGSGRUPPEN)
    page.goto(f"{live_server.url}/arenden/{case.pk}/rapporter/{obligation.pk}/")
    page.get_by_label("Kommentar").fill("Tack, tydliga process- och resultatmått.")
    page.get_by_role("button", name="Godkänn rapporten").click()
    assert page.get_by_text("Rapporten är godkänd.").is_visible()
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.ACCEPTED
    axe.check(page)


def test_sundsvall_walk(page, live_server, login, act_as, axe, artifacts_dir, demo, walk_clock):
    page.set_default_timeout(10_000)
    try:
        walk(page, live_server, login, act_as, axe, artifacts_dir, walk_clock)
    except Exception:
        (artifacts_dir / "sundsvall-failure.txt").write_text(page.url + "\n" + page.locator("body").inner_text())
        page.screenshot(path=str(artifacts_dir / "sundsvall-failure.png"), full_page=True)
        raise


def walk(page, live_server, login, act_as, axe, artifacts_dir, walk_clock):
    # --- The idea: written and handed in by the applicant.
    login(page, APPLICANT)
    page.get_by_role("link", name="Nytt ärende").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Nytt ärende"
    axe.check(page)
    page.get_by_label("Namn på insatsen").fill(TITLE)
    page.get_by_role("button", name="Skapa").click()
    assert page.get_by_text("Ärendet är skapat.").is_visible()
    case = Case.objects.get(title=TITLE)
    assert case.state == "idea_draft"
    page.goto(f"{live_server.url}/arenden/{case.pk}/redigera/")
    axe.check(page)
    for label, text in IDEA.items():
        page.get_by_label(label).fill(text)
    page.get_by_role("button", name="Lämna in idén").click()
    case.refresh_from_db()
    assert case.state == "idea_submitted"
    assert page.get_by_text(f"Inlämnat. Ärendet har diarienummer {case.number}.").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert "idé: inlämnad" in state_shown(page)
    axe.check(page)

    # --- The strategic network tries the idea with scientific expertise, and informs ledningsgruppen.
    act_as(NETWORK)
    case_page(page, live_server, case)
    page.get_by_role("button", name="Börja pröva idén").click()
    assert page.get_by_text("Klart. Idén prövas nu.").is_visible()
    axe.check(page)
    trial = step_item(page, "Idéprövning i strategiskt verksamhetsnätverk")
    trial.get_by_label("Ja / tillstyrkt / klart").check()
    trial.get_by_label("Anlitad expertis (person)").fill(EXPERT)
    trial.get_by_label("Organisation").fill("Mittuniversitetet")
    trial.get_by_label("Vad expertisen bidrog med").fill("Bedömde evidensen för Komet och föreslog mätetal.")
    trial.get_by_label("Kommentar").fill("Idén är tillämpbar inom sociala investeringar.")
    trial.get_by_role("button", name="Registrera").click()
    assert page.get_by_text("Steget Idéprövning i strategiskt verksamhetsnätverk är registrerat.").is_visible()
    trial = step_item(page, "Idéprövning i strategiskt verksamhetsnätverk")
    assert "✓ klart" in trial.inner_text()
    assert f"Anlitad expertis {EXPERT}, Mittuniversitetet" in trial.inner_text().replace("\n", " ")
    axe.check(page)

    informed = step_item(page, "Ledningsgruppen informeras om utfallet")
    assert "informeras" in informed.inner_text()
    assert informed.get_by_label("Ja / tillstyrkt / klart").count() == 0
    informed.get_by_role("button", name="Kvittera att informationen är lämnad").click()
    informed = step_item(page, "Ledningsgruppen informeras om utfallet")
    assert "✓ informerad" in informed.inner_text()
    axe.check(page)

    page.get_by_role("button", name="Godkänn idén").click()
    assert page.get_by_text("Klart. Idén är nu godkänd.").is_visible()
    text = history(page)
    assert f"anlitad expertis: {EXPERT}, Mittuniversitetet" in text
    assert "Ledningsgruppen informeras om utfallet (informerad)" in text
    page.screenshot(path=str(artifacts_dir / "sundsvall-idea-approved.png"), full_page=True)
    axe.check(page)

    # --- The applicant writes the application with Individ- och arbetslivsförvaltningen and submits it.
    act_as(APPLICANT)
    case_page(page, live_server, case)
    page.get_by_role("button", name="Skriv ansökan").click()
    assert "ansökan: utkast" in state_shown(page)
    page.get_by_role("link", name="Redigera ansökan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Skriv ansökan"
    axe.check(page)
    page.get_by_label("Individ- och arbetslivsförvaltningen").check()
    page.get_by_label("Föreningen Fritid för alla").check()
    page.get_by_label("Startdatum").fill("2027-03-01")
    page.get_by_label("Slutdatum").fill("2028-02-29")
    page.get_by_role("button", name="Spara utkast").click()
    assert page.get_by_text("Utkastet är sparat.").is_visible()
    for year in (2027, 2028):
        page.get_by_label(f"Kostnad {year} (kr)").fill("400 000")
    for section in case.rules.application.sections:
        page.get_by_label(section.title, exact=True).fill(f"{section.title}: så gör vi i Skönsberg.")
    for declaration in case.rules.application.declarations:
        page.get_by_label(declaration.text, exact=True).check()
    page.get_by_role("button", name="Lämna in ansökan").click()
    case.refresh_from_db()
    assert case.state == "submitted", page.locator("main").inner_text()
    assert page.get_by_text(f"Inlämnat. Ärendet har diarienummer {case.number}.").is_visible()
    assert "ansökan: inlämnad" in state_shown(page)
    assert "Lämna in ansökan" in history(page) or "inlämnad" in history(page)
    axe.check(page)

    # --- Preparation: each affected facknämnd takes its position on remiss, by its own representative.
    act_as(NETWORK)
    case_page(page, live_server, case)
    page.get_by_role("button", name="Börja bereda").click()
    assert page.get_by_text("Klart. Ärendet bereds nu.").is_visible()
    for board in BOARDS:
        assert step_item(page, "Berörd facknämnd tar ställning", board).count() == 1
    assert step_item(page, "Berörd facknämnd tar ställning").count() == len(BOARDS)
    axe.check(page)
    remisser = page.get_by_role("region", name="Remisser")
    for board in BOARDS:
        remisser.get_by_label(board, exact=True).check()
    remisser.get_by_label("Fråga").fill("Ska ansökan gå vidare till ledningsgruppen?")
    remisser.get_by_label("Svar senast").fill("2027-01-29")
    remisser.get_by_role("button", name="Skicka remiss").click()
    remisser = page.get_by_role("region", name="Remisser")
    for board in BOARDS:
        assert f"{board} – svar senast" in remisser.inner_text()
    axe.check(page)

    walk_clock.move_to(datetime.datetime(2027, 1, 20, 9, tzinfo=datetime.UTC))
    for board, representative in BOARDS.items():
        act_as(representative)
        case_page(page, live_server, case)
        answer = page.locator(".border-bottom", has=page.get_by_role("button", name=f"Lämna remissvar för {board}"))
        # A representative speaks only for their own nämnd.
        assert page.get_by_role("button", name="Lämna remissvar för").count() == 1
        answer.get_by_label("Tillstyrker", exact=True).check()
        answer.get_by_label("Svar (villkor och motivering)").fill(f"{board} tillstyrker att ansökan går vidare.")
        answer.get_by_role("button", name=f"Lämna remissvar för {board}").click()
        position = step_item(page, "Berörd facknämnd tar ställning", board)
        assert "✓ klart" in position.inner_text()
        axe.check(page)

    # The network prepares the application with scientific expertise; the case is ready for decision.
    act_as(NETWORK)
    case_page(page, live_server, case)
    for board in BOARDS:
        assert "✓ klart" in step_item(page, "Berörd facknämnd tar ställning", board).inner_text()
    preparing = step_item(page, "Beredning i strategiskt verksamhetsnätverk")
    preparing.get_by_label("Ja / tillstyrkt / klart").check()
    preparing.get_by_label("Anlitad expertis (person)").fill(EXPERT)
    preparing.get_by_label("Organisation").fill("Mittuniversitetet")
    preparing.get_by_label("Vad expertisen bidrog med").fill("Granskade kalkylerna och jämförelsealternativet.")
    preparing.get_by_role("button", name="Registrera").click()
    assert page.get_by_text("Steget Beredning i strategiskt verksamhetsnätverk är registrerat.").is_visible()
    axe.check(page)
    page.get_by_role("button", name="Klar för beslut").click()
    assert page.get_by_text("Klart. Ärendet är nu klart för beslut.").is_visible()
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "sundsvall-ready-for-decision.png"), full_page=True)

    # --- Ledningsgruppen decides the grant at its meeting, with a §.
    walk_clock.move_to(datetime.datetime(2027, 2, 8, 9, tzinfo=datetime.UTC))
    act_as(LEDNINGSGRUPPEN)
    case_page(page, live_server, case)
    panel = page.get_by_role("region", name="Beslut och handlingar")
    panel.get_by_label("Sammanträdesdag").fill("2027-02-08")
    panel.get_by_label("Paragraf (§)").fill("12")
    panel.get_by_label("Motivering").fill("Insatsen uppfyller riktlinjens krav; nämnderna tillstyrker.")
    axe.check(page)
    panel.get_by_role("button", name="Protokollför beslutet och upprätta handlingar").click()
    assert page.get_by_text("§ 12 är protokollfört; protokollsutdrag och beslutsbrev är upprättade.").is_visible()
    case.refresh_from_db()
    assert case.state == "granted"
    assert "beviljad" in state_shown(page)
    assert page.get_by_role("region", name="Beslut och handlingar").get_by_role("link").count() == 2
    axe.check(page)

    # --- Project start: the project plan and the evaluation plan, then the project starts.
    walk_clock.move_to(datetime.datetime(2027, 2, 22, 9, tzinfo=datetime.UTC))
    act_as(APPLICANT)
    case_page(page, live_server, case)
    page.get_by_role("button", name="Påbörja projektstart").click()
    assert page.get_by_text("Klart. Projektstarten har nu börjat.").is_visible()
    axe.check(page)
    for step in ("Projektplan upprättad", "Plan för uppföljning och utvärdering upprättad"):
        row = step_item(page, step)
        row.get_by_label("Ja / tillstyrkt / klart").check()
        row.get_by_label("Kommentar").fill("Enligt Sundsvalls projektmodell; kontrollgrupp i Nacksta.")
        row.get_by_role("button", name="Registrera").click()
        assert page.get_by_text(f"Steget {step} är registrerat.").is_visible()
        assert "✓ klart" in step_item(page, step).inner_text()
    page.get_by_role("button", name="Starta projektet").click()
    assert page.get_by_text("Klart. Projektet pågår nu.").is_visible()
    assert "pågår" in state_shown(page)
    axe.check(page)

    # --- Progress reports to ledningsgruppen, PLU informed, each once its period has ended.
    case.refresh_from_db()
    progress = list(case.reporting_obligations.filter(kind="progress").order_by("period_end"))
    assert progress, "Sundsvall's continuous reporting asks for progress reports"
    for number, obligation in enumerate(progress, start=1):
        walk_clock.move_to(datetime.datetime.combine(obligation.period_end, datetime.time(9), tzinfo=datetime.UTC))
        hand_in_report(page, live_server, act_as, axe, case, obligation, f"Lägesrapport {number}")
        accept_report(page, live_server, act_as, axe, case, obligation)
    page.screenshot(path=str(artifacts_dir / "sundsvall-progress-accepted.png"), full_page=True)
    # PLU follows the project through ongoing information: it is told of the reports.
    act_as(PLU)
    page.get_by_role("link", name="Aviseringar").click()
    assert case.title in page.locator("main").inner_text()
    axe.check(page)

    # --- The final report at the end of the project, to ledningsgruppen with PLU informed.
    final = case.reporting_obligations.get(kind="final")
    walk_clock.move_to(datetime.datetime.combine(final.period_end, datetime.time(10), tzinfo=datetime.UTC))
    hand_in_report(page, live_server, act_as, axe, case, final, "Slutrapport")
    case.refresh_from_db()
    assert case.state == "final_report"
    accept_report(page, live_server, act_as, axe, case, final)
    case_page(page, live_server, case)
    assert "slutrapport inlämnad" in state_shown(page)
    reports = page.get_by_role("region", name="Projekt och uppföljning").inner_text()
    assert reports.count("godkänd") == len(progress) + 1
    axe.check(page)

    # --- The evaluation: the project writes and hands in the final evaluation; the network closes it.
    walk_clock.move_to(datetime.datetime(2028, 3, 15, 9, tzinfo=datetime.UTC))
    act_as(APPLICANT)
    case_page(page, live_server, case)
    page.get_by_role("link", name="Mätplan, mätvärden, samhällsekonomiska kalkyler och utvärderingar").click()
    axe.check(page)
    page.get_by_role("link", name="Slututvärdering").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Slututvärdering: {case.title}"
    page.get_by_label("Effekter").fill("Andelen behöriga till gymnasiet ökade från 71 till 82 procent.")
    page.get_by_label("Process: vad har gjorts").fill("Läxhjälp fyra kvällar i veckan och tolv föräldragrupper.")
    page.get_by_label("Kostnader").fill("Förbrukat 800 000 kr, inom beviljad ram.")
    page.get_by_label("Slutsats").fill("Insatsen är lyckad och kan skalas upp till hela kommunen.")
    page.get_by_label("Förslag till beslut om implementering").select_option("implement")
    page.get_by_role("button", name="Spara utvärderingen").click()
    assert page.get_by_text("Utvärderingen är sparad.").is_visible()
    page.get_by_role("button", name="Lämna in utvärderingen").click()
    assert page.get_by_text("Utvärderingen är inlämnad.").is_visible()
    axe.check(page)

    act_as(NETWORK)
    case_page(page, live_server, case)
    page.get_by_role("button", name="Utvärdering klar").click()
    assert page.get_by_text("Klart. Projektet är nu utvärderat.").is_visible()
    axe.check(page)

    # --- Ledningsgruppen proposes the scale-up; kommunfullmäktige decides it at its meeting.
    walk_clock.move_to(datetime.datetime(2028, 4, 3, 9, tzinfo=datetime.UTC))
    act_as(LEDNINGSGRUPPEN)
    case_page(page, live_server, case)
    proposal = step_item(page, PROPOSAL)
    proposal.get_by_label("Ja / tillstyrkt / klart").check()
    proposal.get_by_label("Kommentar").fill("Permanenta i ordinarie verksamhet för alla skolor från hösten 2028.")
    proposal.get_by_role("button", name="Registrera").click()
    assert page.get_by_text(f"Steget {PROPOSAL} är registrerat.").is_visible()
    assert "✓ klart" in step_item(page, PROPOSAL).inner_text()
    assert page.get_by_role("button", name="Implementera").count() == 0
    axe.check(page)

    walk_clock.move_to(datetime.datetime(2028, 4, 17, 9, tzinfo=datetime.UTC))
    act_as(COUNCIL)
    case_page(page, live_server, case)
    lifecycle = page.locator("#lifecycle-decision")
    lifecycle.get_by_label("Implementera", exact=True).check()
    lifecycle.get_by_label("Sammanträdesdag").fill("2028-04-17")
    lifecycle.get_by_label("Paragraf (§)").fill("74")
    lifecycle.get_by_label("Motivering").fill("Utvärderingen visar mänskliga och ekonomiska vinster.")
    axe.check(page)
    lifecycle.get_by_role("button", name="Protokollför beslutet och upprätta protokollsutdrag").click()
    assert page.get_by_text("är protokollfört; protokollsutdraget är upprättat.").is_visible()
    case.refresh_from_db()
    assert case.state == "implemented"
    assert "implementerat" in state_shown(page)
    text = history(page)
    for entry in ("Idéprövning i strategiskt verksamhetsnätverk", "Berörd facknämnd tar ställning", PROPOSAL):
        assert entry in text
    assert "Folke Fullmäktige" in text
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "sundsvall-implemented.png"), full_page=True)
