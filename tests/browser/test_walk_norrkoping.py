"""Norrköping, one new case through the browser only, from the application to the responsible
nämnd's decision on implementation.

The kommun's admin enters the council's (KF) overall goals in a new rule set version; a kontor
writes the application in January, chooses and comments KF goals and Agenda 2030 goals, asks its
kontorschef to approve it; the designated head (chef1) signs; submission waits for the spring
application window and then goes through. Kommunstyrelsens kontor cannot take the case until the
kontor records that the affected nämnd has been informed; it then assesses the four basic criteria,
completes its two preparation steps (the municipality-wide perspective), issues the decision basis
and marks the case ready; kommunstyrelsen grants it at its meeting (§ 58). The kontor begins the
project start, saves the project plan (which completes its step), records the follow-up and
evaluation plan and starts the project: its half-time and final reports are planned. Once the
half-time period has ended the kontor hands in the half-time follow-up, and kommunstyrelsens kontor
accepts it from its Uppföljning page. When the project has ended the kontor hands in the final
report; the kontor, which answers for the follow-up and evaluation, is then waited on for the final
evaluation. Kommunstyrelsens kontor receives the final report for kommunstyrelsen's information and
cannot yet mark the case evaluated. The kontor writes the final evaluation (proposing only what the
rule set lets the nämnd decide: implement or not) and hands it in; kommunstyrelsens kontor marks
"Utvärdering klar". Utbildningsnämnden, the nämnd responsible for the applying kontor, reads the
evaluation and records its decision at its meeting (§ 45): the effort is implemented within the
existing budget frame. The case is "implementerat", the minutes extract bears the nämnd's name, and
kommunstyrelsens kontor no longer has the case waiting.
"""

import datetime
import json

from applications.enums import state_now
from applications.models import Case
from decisions.models import Decision
from demo.loader import DEMO_DOMAIN

TITLE = "Läxhjälp och föräldrastöd i Navestad"
KF_GOALS = [
    {"key": "trygg_uppvaxt", "name": "Barn och unga växer upp tryggt"},
    {"key": "arbete", "name": "Fler Norrköpingsbor i arbete"},
]
SECTIONS = {
    "Nulägesbeskrivning": "Skolfrånvaron i Navestad är dubbelt så hög som i kommunen i övrigt.",
    "Beskrivning av insatsen": "Läxhjälp tre kvällar i veckan och föräldrastöd i samverkan med socialkontoret.",
    "Målgrupp för insatsen": "Elever i årskurs 4–6 i Navestad; kontrollgrupp i Hageby.",
    "Mål och indikatorer": "Närvaro över 90 procent; basmätning hösten 2026.",
    "Tids- och aktivitetsplan": "Maj 2027 till april 2029: start, halvtidsuppföljning, utvärdering.",
    "Budget": "600 000 kr per helt år, främst personal.",
    "Plan för uppföljning, utvärdering och implementering": "Halvtidsuppföljning och slututvärdering.",
}


def at(time_machine, year, month, day, hour=9):
    time_machine.move_to(datetime.datetime(year, month, day, hour, tzinfo=datetime.UTC))


def test_norrkoping_walk(page, live_server, act_as, axe, artifacts_dir, demo, time_machine):
    url = live_server.url
    at(time_machine, 2027, 1, 25)

    # The kommun's admin enters KF's overall goals in a new version of the rule set.
    act_as(f"admin.norrkoping@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Hantera regelverkets versioner").click()
    axe.check(page)
    page.get_by_role("button", name="Nytt utkast härifrån (version 1)").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Redigera utkast 2 för Norrköpings kommun"
    axe.check(page)
    editor = page.get_by_label("Regelverket (JSON)")
    document = json.loads(editor.input_value())
    (kf,) = [g for g in document["application"]["goal_lists"] if g["key"] == "kf_mal"]
    kf["goals"] = KF_GOALS
    editor.fill(json.dumps(document, ensure_ascii=False, indent=2))
    page.get_by_label("Vad har ändrats och varför?").fill("KF:s övergripande mål enligt mål och budget 2027.")
    page.get_by_role("button", name="Spara utkastet").click()
    assert page.get_by_text("Utkastet är sparat.").is_visible()
    page.get_by_role("button", name="Sätt i kraft (version 2)").click()
    assert page.get_by_text("Version 2 gäller nu.").is_visible()
    axe.check(page)

    # A kontor writes the application in the spring window.
    act_as(f"sokande.norrkoping@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Ärenden", exact=True).click()
    page.get_by_role("link", name="Nytt ärende").click()
    axe.check(page)
    page.get_by_label("Namn på insatsen").fill(TITLE)
    page.get_by_role("button", name="Skapa").click()
    assert page.get_by_text("Ärendet är skapat.").is_visible()
    axe.check(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Skriv ansökan"
    page.get_by_label("Sökande enhet").select_option(label="Utbildningskontoret (kontor)")
    page.get_by_label("Socialkontoret (kontor)").check()
    page.get_by_label("Startdatum").fill("2027-05-01")
    page.get_by_label("Slutdatum").fill("2029-04-30")
    for label, text in SECTIONS.items():
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_label("Barn och unga växer upp tryggt", exact=True).check()
    page.get_by_label("Så bidrar insatsen till Barn och unga växer upp tryggt").fill(
        "Fler barn klarar skolan och färre behöver stöd från socialtjänsten."
    )
    page.get_by_label("Mål 4: God utbildning för alla", exact=True).check()
    page.get_by_label("Så bidrar insatsen till Mål 4: God utbildning för alla").fill(
        "Läxhjälpen höjer måluppfyllelsen i årskurs 4–6."
    )
    page.get_by_label("Mål 10: Minskad ojämlikhet", exact=True).check()
    page.get_by_label("Så bidrar insatsen till Mål 10: Minskad ojämlikhet").fill(
        "Navestads barn får samma stöd som barn i andra stadsdelar."
    )
    page.get_by_role("button", name="Spara utkast").click()
    assert page.get_by_text("Utkastet är sparat.").is_visible()
    for year, amount in ((2027, "400 000"), (2028, "600 000"), (2029, "200 000")):
        page.get_by_label(f"Kostnad {year} (kr)").fill(amount)
    page.get_by_role("button", name="Spara utkast").click()
    assert page.get_by_text("Utkastet är sparat.").is_visible()
    axe.check(page)
    page.get_by_role("link", name="Till ärendet").click()
    case = Case.objects.get(title=TITLE)
    case_url = f"{url}/arenden/{case.pk}/"
    assert page.url == case_url
    assert "regelverk version 2" in page.locator("main").inner_text()
    content = page.get_by_role("region", name="Innehåll").inner_text()
    assert "Kommunens övergripande mål\nBarn och unga växer upp tryggt\nFler barn klarar skolan" in content
    assert "Mål 4: God utbildning för alla\nLäxhjälpen höjer" in content
    assert "Mål 10: Minskad ojämlikhet\nNavestads barn" in content
    # Outside the application windows, and not yet approved by the kontorschef.
    remaining = page.get_by_role("region", name="Kvar innan inlämning").inner_text()
    assert "Ansökan kan bara lämnas in under ansökningsperioderna: Vårens ansökningsperiod (02-01–03-31)" in remaining
    assert "Underskrift saknas från: Utbildningskontoret." in remaining
    signatures = page.get_by_role("region", name="Underskrifter")
    assert "Skrivs under av kontorschef Helena Huvudman; ersättare: Erik Ersättare." in signatures.inner_text()
    assert signatures.get_by_role("button", name="Skriv under för Utbildningskontoret").count() == 0
    signatures.get_by_role("button", name="Be cheferna om underskrift").click()
    assert page.get_by_text("Vi har bett Helena Huvudman, Erik Ersättare").is_visible()
    axe.check(page)

    # The kontorschef approves the application: the designated head of Utbildningskontoret signs.
    at(time_machine, 2027, 1, 27)
    act_as(f"chef1.norrkoping@{DEMO_DOMAIN}")
    page.goto(case_url)
    axe.check(page)
    signatures = page.get_by_role("region", name="Underskrifter")
    signatures.get_by_role("button", name="Skriv under för Utbildningskontoret").click()
    assert page.get_by_text("Du har skrivit under för Utbildningskontoret.").is_visible()
    signed = page.get_by_role("region", name="Underskrifter").inner_text()
    assert "✓ underskriven" in signed
    assert "Helena Huvudman, kontorschef för Utbildningskontoret" in signed
    axe.check(page)

    # Still January: the applicant cannot submit before the spring window opens.
    act_as(f"sokande.norrkoping@{DEMO_DOMAIN}")
    page.goto(case_url)
    remaining = page.get_by_role("region", name="Kvar innan inlämning").inner_text()
    assert "Underskrift saknas" not in remaining
    assert "Ansökan kan bara lämnas in under ansökningsperioderna" in remaining
    assert "Lämna in ansökan: inte möjligt nu" in page.get_by_role("region", name="Nästa steg").inner_text()

    # The spring window opens: the application goes to kommunstyrelsens kontor.
    at(time_machine, 2027, 2, 1)
    act_as(f"sokande.norrkoping@{DEMO_DOMAIN}")
    page.goto(case_url)
    assert page.get_by_role("region", name="Kvar innan inlämning").count() == 0
    axe.check(page)
    page.get_by_role("region", name="Nästa steg").get_by_role("button", name="Lämna in ansökan").click()
    case.refresh_from_db()
    assert case.state == "submitted"
    assert page.get_by_text("Klart. Ansökan är nu inlämnad.").is_visible()
    assert page.locator("main p").first.inner_text().startswith(f"{case.number} · Ansökan: inlämnad")
    assert case.number.startswith("KS 2027/")
    history = page.get_by_role("region", name="Historik").inner_text()
    assert "2027-01-27 10:00 – Ansökan underskriven – Helena Huvudman" in history
    assert "2027-02-01 10:00 – Lämna in ansökan (ansökan: utkast → ansökan: inlämnad) – Sara Sökande" in history
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "norrkoping-submitted.png"), full_page=True)

    # Kommunstyrelsens kontor may not take the case before the nämnd is recorded as informed.
    at(time_machine, 2027, 2, 3)
    act_as(f"beredare.norrkoping@{DEMO_DOMAIN}")
    page.goto(case_url)
    axe.check(page)
    assert (
        "Börja bereda: inte möjligt nu – Berörd nämnd har inte informerats: Kontor registrerar vilken nämnd som "
        "informerades, när och av vem innan Tjänstepersonsgruppen på kommunstyrelsens kontor tar ärendet."
    ) in page.get_by_role("region", name="Nästa steg").inner_text()

    # The kontor records that Utbildningsnämnden has been informed.
    act_as(f"sokande.norrkoping@{DEMO_DOMAIN}")
    page.goto(case_url)
    assert "Väntar på dig: Registrera att berörd nämnd har informerats." in page.locator("main").inner_text()
    notice = page.get_by_role("region", name="Berörd nämnd informerad")
    assert "Ingen nämnd har registrerats som informerad." in notice.inner_text()
    notice.get_by_label("Nämnd").select_option(label="Utbildningsnämnden (nämnd)")
    notice.get_by_label("Informerad den").fill("2027-02-02")
    notice.get_by_label("Informerad av").fill("Helena Huvudman, kontorschef")
    notice.get_by_role("button", name="Registrera att nämnden har informerats").click()
    assert page.get_by_text("Det är registrerat att nämnden har informerats.").is_visible()
    assert (
        "✓ informerad Utbildningsnämnden 2027-02-02, informerad av Helena Huvudman, kontorschef "
        "(registrerat av Sara Sökande, 2027-02-03 10:00)"
    ) in page.get_by_role("region", name="Berörd nämnd informerad").inner_text()
    axe.check(page)

    # Kommunstyrelsens kontor takes the case, checks the basic criteria and adds the municipality-wide
    # perspective; the four criteria are assessed.
    at(time_machine, 2027, 2, 8)
    act_as(f"beredare.norrkoping@{DEMO_DOMAIN}")
    row = page.get_by_role("row", name=TITLE)
    assert "Ny ansökan att bereda." in row.inner_text()
    row.get_by_role("link", name=TITLE).click()
    page.get_by_role("region", name="Nästa steg").get_by_role("button", name="Börja bereda").click()
    assert page.get_by_text("Klart. Ärendet bereds nu.").is_visible()
    axe.check(page)
    reviews = page.get_by_role("region", name="Bedömningar")
    # The option names the person and, where one is given, their title.
    reviewer_select = reviews.get_by_label("Tilldela bedömare")
    reviewer_select.select_option(reviewer_select.locator("option", has_text="Bengt Beredare").get_attribute("value"))
    reviews.get_by_role("button", name="Tilldela").click()
    reviews = page.get_by_role("region", name="Bedömningar")
    for criterion in (
        "Motverkar utanförskap för individen",
        "Minskar kommunala kostnader på sikt",
        "Tillvaratar nytänkande",
        "Främjar samverkan mellan verksamheter",
    ):
        reviews.get_by_role("group", name=criterion).get_by_label("Ja").check()
    reviews.get_by_label("Kommentar").fill("Uppfyller fondens fyra grundläggande kriterier.")
    reviews.get_by_role("button", name="Lämna in bedömning").click()
    assert page.get_by_text("Din bedömning är inlämnad.").is_visible()
    reviews = page.get_by_role("region", name="Bedömningar").inner_text()
    assert "Rekommendation: tillstyrks" in reviews
    assert "Främjar samverkan mellan verksamheter (skallkrav)\tja\t100 % ja (1 ja, 0 nej)" in reviews
    axe.check(page)

    steps = page.get_by_role("region", name="Beredning: steg")
    steps.get_by_label("Ja / tillstyrkt / klart").check()
    steps.get_by_label("Kommentar").fill("Uppfyller de grundläggande kriterierna; ingen komplettering behövs.")
    steps.get_by_role("button", name="Kontroll av grundläggande kriterier och komplettering").click()
    steps = page.get_by_role("region", name="Beredning: steg")
    steps.get_by_label("Ja / tillstyrkt / klart").check()
    steps.get_by_label("Kommentar").fill(
        "Bidrar till KF-målet Barn och unga växer upp tryggt och till Agenda 2030 mål 4 och 10."
    )
    steps.get_by_role("button", name="Kommunövergripande perspektiv i tjänsteskrivelsen").click()
    done = page.get_by_role("region", name="Beredning: steg").inner_text()
    assert (
        "Kontroll av grundläggande kriterier och komplettering (Tjänstepersonsgruppen på kommunstyrelsens kontor, "
        in done
    )
    assert (
        "Kommunövergripande perspektiv i tjänsteskrivelsen (Tjänstepersonsgruppen på kommunstyrelsens kontor) ✓ klart"
        in done
    )
    assert "Bengt Beredare, 2027-02-08 10:00: Bidrar till KF-målet Barn och unga växer upp tryggt" in done
    axe.check(page)
    # The tjänsteskrivelse to kommunstyrelsen: the decision basis, with the goals the application names.
    page.get_by_role("region", name="Beslut och handlingar").get_by_role(
        "button", name="Upprätta beslutsunderlag (PDF)"
    ).click()
    assert page.get_by_text("Beslutsunderlaget är upprättat.").is_visible()
    basis = page.get_by_role("region", name="Beslut och handlingar").get_by_role(
        "link", name=f"Tjänsteskrivelse {case.number}"
    )
    response = page.request.get(f"{url}{basis.get_attribute('href')}")
    assert response.headers["content-type"] == "application/pdf"
    page.get_by_role("region", name="Nästa steg").get_by_role("button", name="Klar för beslut").click()
    assert page.get_by_text("Klart. Ärendet är nu klart för beslut.").is_visible()
    assert "Ärendet väntar på: Kommunstyrelsen – Ansökan väntar på beslut." in page.locator("main").inner_text()
    axe.check(page)

    # Kommunstyrelsen decides at its meeting.
    at(time_machine, 2027, 3, 10, 14)
    act_as(f"beslut.norrkoping@{DEMO_DOMAIN}")
    row = page.get_by_role("row", name=TITLE)
    assert "Ansökan väntar på beslut." in row.inner_text()
    row.get_by_role("link", name=TITLE).click()
    axe.check(page)
    panel = page.get_by_role("region", name="Beslut och handlingar")
    assert "Protokollför Kommunstyrelsens beslut" in panel.inner_text()
    panel.get_by_label("Bevilja", exact=True).check()
    panel.get_by_label("Sammanträdesdag").fill("2027-03-10")
    panel.get_by_label("Paragraf (§)").fill("58")
    # The amounts applied for are proposed, split per year as applied for.
    assert panel.get_by_label(f"Beviljat totalbelopp för {case.number} (kr)").input_value() == "1200000"
    assert [panel.get_by_label(f"{case.number}: belopp {y} (kr)").input_value() for y in (2027, 2028, 2029)] == [
        "400000",
        "600000",
        "200000",
    ]
    panel.get_by_label("Motivering").fill("Insatsen uppfyller fondens kriterier och kommunens övergripande mål.")
    panel.get_by_role("button", name="Protokollför beslutet och upprätta handlingar").click()
    assert page.get_by_text(
        "Kommunstyrelsen 2027-03-10 § 58 är protokollfört; protokollsutdrag och beslutsbrev är upprättade."
    ).is_visible()
    assert page.locator("main p").first.inner_text().startswith(f"{case.number} · Beviljad")
    assert "Ärendet väntar på: Kontor – Beviljad: projektstarten kan påbörjas." in page.locator("main").inner_text()
    documents = page.get_by_role("region", name="Beslut och handlingar")
    assert (
        documents.get_by_role("link", name=f"Protokollsutdrag Kommunstyrelsen 2027-03-10 § 58, {case.number}").count()
        == 1
    )
    assert documents.get_by_role("link", name=f"Beslutsbrev {case.number}").count() == 1
    history = page.get_by_role("region", name="Historik").inner_text()
    assert (
        "2027-03-10 15:00 – Bevilja (klar för beslut → beviljad) – Britt Beslut: Kommunstyrelsen 2027-03-10 § 58: "
        "Insatsen uppfyller fondens kriterier och kommunens övergripande mål."
    ) in history
    decision = Decision.objects.get(municipality=case.municipality, paragraph=58)
    assert decision.meeting_date == datetime.date(2027, 3, 10)
    assert [line.case_id for line in decision.lines.all()] == [case.pk]
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "norrkoping-granted.png"), full_page=True)

    # Project start: the kontor draws up the project plan and reports it to kommunstyrelsens kontor.
    at(time_machine, 2027, 4, 20)
    act_as(f"sokande.norrkoping@{DEMO_DOMAIN}")
    page.goto(case_url)
    page.get_by_role("region", name="Nästa steg").get_by_role("button", name="Påbörja projektstart").click()
    assert page.get_by_text("Klart. Projektstarten har nu börjat.").is_visible()
    assert (
        "Starta projektet: inte möjligt nu – Steg som återstår: Projektplan upprättad (Kontor)"
        in page.locator("main").inner_text()
    )
    axe.check(page)
    page.get_by_role("link", name="Projektorganisation och projektplan").click()
    assert "Projektägare: kontorschef för det ansökande kontoret" in page.locator("main").inner_text()
    axe.check(page)
    plan = page.get_by_role("region", name="Projektplan")
    for index in range(plan.locator("textarea").count()):
        plan.locator("textarea").nth(index).fill(f"Projektplanens del {index + 1} för läxhjälpen i Navestad.")
    plan.get_by_role("button", name="Spara projektplanen").click()
    assert page.get_by_text("Projektplanen är sparad.").is_visible()
    axe.check(page)
    page.goto(case_url)
    start_steps = page.get_by_role("region", name="Projektstart: steg")
    assert "Sara Sökande, 2027-04-20 11:00: Projektplanen är sparad." in start_steps.inner_text()
    start_steps.get_by_label("Ja / tillstyrkt / klart").check()
    start_steps.get_by_label("Kommentar").fill("Halvtidsuppföljning och slututvärdering enligt projektplanen.")
    start_steps.get_by_role("button", name="Plan för uppföljning och utvärdering upprättad").click()
    page.get_by_role("region", name="Nästa steg").get_by_role("button", name="Starta projektet").click()
    case.refresh_from_db()
    assert case.state == "running"
    assert page.get_by_text(f"Klart. {state_now(case.state)}").is_visible()
    assert "Plan för uppföljning och utvärdering upprättad" in page.get_by_role("region", name="Historik").inner_text()
    axe.check(page)
    # The reports are planned: the half-time follow-up and the final report, to kommunstyrelsens kontor.
    assert sorted(case.reporting_obligations.values_list("kind", flat=True)) == ["final", "half_time"]
    page.screenshot(path=str(artifacts_dir / "norrkoping-running.png"), full_page=True)

    # Half-time: the kontor hands in the half-time follow-up once its period has ended.
    half_time = case.reporting_obligations.get(kind="half_time")
    moment = half_time.period_end + datetime.timedelta(days=2)
    at(time_machine, moment.year, moment.month, moment.day)
    act_as(f"sokande.norrkoping@{DEMO_DOMAIN}")
    page.goto(case_url)
    page.get_by_role("link", name="Projektorganisation och projektplan").click()
    page.get_by_role("region", name="Rapporter").get_by_role("link", name=str(half_time.display_name)).click()
    assert page.get_by_role("heading", name=f"{half_time.display_name}: {TITLE}").is_visible()
    axe.check(page)
    report = page.locator("form").filter(has=page.get_by_role("button", name="Lämna in rapporten"))
    for index in range(report.locator("textarea").count()):
        report.locator("textarea").nth(index).fill(f"Halvtid: 42 elever deltar, närvaron har ökat ({index + 1}).")
    for field in report.get_by_label("Utfall", exact=False).all():
        field.fill("300 000")
    report.get_by_role("button", name="Lämna in rapporten").click()
    assert page.get_by_text("Rapporten är inlämnad.").is_visible()
    axe.check(page)

    # Kommunstyrelsens kontor receives it for kommunstyrelsen's information.
    act_as(f"beredare.norrkoping@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Uppföljning", exact=True).click()
    axe.check(page)
    page.get_by_role("region", name="Väntar på godkännande (1)").get_by_role(
        "link", name=str(half_time.display_name)
    ).click()
    page.get_by_label("Kommentar").fill("Tas emot för information till kommunstyrelsen.")
    page.get_by_role("button", name="Godkänn rapporten").click()
    assert page.get_by_text("Rapporten är godkänd.").is_visible()
    axe.check(page)
    half_time.refresh_from_db()
    assert half_time.status == "accepted"

    # The project ends: the kontor hands in the final report, part of the final accounts.
    final = case.reporting_obligations.get(kind="final")
    moment = final.period_end + datetime.timedelta(days=2)
    at(time_machine, moment.year, moment.month, moment.day)
    act_as(f"sokande.norrkoping@{DEMO_DOMAIN}")
    page.goto(f"{url}/arenden/{case.pk}/rapporter/{final.pk}/")
    axe.check(page)
    report = page.locator("form").filter(has=page.get_by_role("button", name="Lämna in rapporten"))
    for index in range(report.locator("textarea").count()):
        report.locator("textarea").nth(index).fill(f"Slut: målen nåddes; kostnaderna väntas minska ({index + 1}).")
    for field in report.get_by_label("Utfall", exact=False).all():
        field.fill("200 000")
    report.get_by_role("button", name="Lämna in rapporten").click()
    assert page.get_by_text("Rapporten är inlämnad.").is_visible()
    case.refresh_from_db()
    assert case.state == "final_report"
    page.goto(case_url)
    # The kontor answers for the evaluation too: the case waits on it for the evaluation, and on
    # kommunstyrelsens kontor only to receive the final report.
    written_by_kontor = "Slutrapporten är inlämnad: slututvärderingen ska skrivas och lämnas in."
    waiting = page.get_by_role("region", name="Nästa steg").inner_text()
    assert f"Kontor – {written_by_kontor}" in waiting, waiting
    assert "kontor – Rapport att granska: Slutrapport för perioden" in waiting, waiting
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "norrkoping-final-report.png"), full_page=True)

    # Kommunstyrelsens kontor receives the final report for kommunstyrelsen's information; it cannot
    # mark the case evaluated while the evaluation is missing.
    at(time_machine, 2029, 5, 3)
    act_as(f"beredare.norrkoping@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Uppföljning", exact=True).click()
    page.get_by_role("region", name="Väntar på godkännande (1)").get_by_role(
        "link", name=str(final.display_name)
    ).click()
    page.get_by_label("Kommentar").fill("Tas emot för information till kommunstyrelsen; en del av slutredovisningen.")
    page.get_by_role("button", name="Godkänn rapporten").click()
    assert page.get_by_text("Rapporten är godkänd.").is_visible()
    axe.check(page)
    page.get_by_role("navigation", name="Brödsmulor").get_by_role("link", name=case.number).click()
    assert (
        "Utvärdering klar: inte möjligt nu – Slututvärderingen är inte skriven. Den skrivs och lämnas in under "
        "Utvärdering." in page.get_by_role("region", name="Nästa steg").inner_text()
    )

    # The kontor writes the final evaluation (the effort's goals in focus, and whether it is expected
    # to lower the municipality's costs over time) and hands it in.
    at(time_machine, 2029, 5, 14)
    act_as(f"sokande.norrkoping@{DEMO_DOMAIN}")
    row = page.get_by_role("row", name=TITLE)
    assert written_by_kontor in row.inner_text()
    row.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Mätplan, mätvärden, samhällsekonomiska kalkyler och utvärderingar").click()
    evaluations = page.get_by_role("region", name="Utvärderingar")
    assert "Slututvärdering: inte skriven" in evaluations.inner_text()
    axe.check(page)
    evaluations.get_by_role("link", name="Slututvärdering").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Slututvärdering: {TITLE}"
    proposal = page.get_by_label("Förslag till beslut om implementering")
    # The rule set lets the nämnd implement the effort or not, not part of it.
    assert proposal.locator("option").all_inner_texts() == ["–", "implementera", "inte implementera"]
    page.get_by_label("Effekter").fill("Närvaron steg från 81 till 93 procent; i kontrollgruppen i Hageby till 84.")
    page.get_by_label("Process: vad har gjorts").fill("Läxhjälp tre kvällar i veckan och föräldraträffar varje månad.")
    page.get_by_label("Kostnader").fill(
        "1 100 000 kr av beviljade 1 200 000 kr. Färre orosanmälningar väntas minska kommunens kostnader på sikt."
    )
    page.get_by_label("Slutsats").fill("Insatsens mål nåddes; den bör bli en del av ordinarie verksamhet.")
    proposal.select_option(label="implementera")
    page.get_by_role("button", name="Spara utvärderingen").click()
    assert page.get_by_text("Utvärderingen är sparad. Lämna in den när den är klar.").is_visible()
    page.get_by_role("button", name="Lämna in utvärderingen").click()
    assert page.get_by_text("Utvärderingen är inlämnad.").is_visible()
    assert "Inlämnad av Sara Sökande 2029-05-14 11:00." in page.locator("main").inner_text()
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "norrkoping-walk-evaluation.png"), full_page=True)

    # Kommunstyrelsens kontor takes the evaluation in: "utvärderat", waiting on the responsible nämnd.
    at(time_machine, 2029, 5, 16)
    act_as(f"beredare.norrkoping@{DEMO_DOMAIN}")
    row = page.get_by_role("row", name=TITLE)
    assert "Utvärderingen är inlämnad: ta emot den och markera utvärdering klar." in row.inner_text()
    axe.check(page)
    row.get_by_role("link", name=TITLE).click()
    page.get_by_role("region", name="Nästa steg").get_by_role("button", name="Utvärdering klar").click()
    assert page.get_by_text("Klart. Projektet är nu utvärderat.").is_visible()
    assert (
        "Ärendet väntar på: Ansvarig nämnd – Utbildningsnämnden har inte beslutat om implementering."
        in page.get_by_role("region", name="Nästa steg").inner_text()
    )
    history = page.get_by_role("region", name="Historik").inner_text()
    assert "2029-05-14 11:00 – Utvärdering inlämnad – Sara Sökande" in history
    assert "2029-05-16 11:00 – Utvärdering klar (slutrapport inlämnad → utvärderat) – Bengt Beredare" in history
    axe.check(page)

    # Utbildningsnämnden, responsible for the applying kontor, decides at its meeting, on the
    # evaluation, that the effort is implemented in ordinary operations.
    at(time_machine, 2029, 6, 12, 14)
    act_as(f"namnd.norrkoping@{DEMO_DOMAIN}")
    row = page.get_by_role("row", name=TITLE)
    assert "Utbildningsnämnden har inte beslutat om implementering." in row.inner_text()
    axe.check(page)
    row.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Mätplan, mätvärden, samhällsekonomiska kalkyler och utvärderingar").click()
    page.get_by_role("region", name="Utvärderingar").get_by_role("link", name="Slututvärdering").click()
    evaluation = page.locator("main").inner_text()
    assert "Förslag till beslut om implementering\nimplementera" in evaluation
    assert "Kostnader\n1 100 000 kr av beviljade 1 200 000 kr." in evaluation
    axe.check(page)
    page.get_by_role("navigation", name="Brödsmulor").get_by_role("link", name=case.number).click()
    form = page.locator("form#lifecycle-decision")
    assert form.get_by_role("radio").count() == 2
    assert form.get_by_label("Implementera delvis").count() == 0
    form.get_by_label("Implementera", exact=True).check()
    form.get_by_label("Sammanträdesdag").fill("2029-06-12")
    form.get_by_label("Paragraf (§)").fill("45")
    form.get_by_label("Motivering").fill(
        "Målen nåddes och insatsen väntas minska kommunens kostnader på sikt; den genomförs genom "
        "omprioritering inom befintlig budgetram."
    )
    axe.check(page)
    form.get_by_role("button", name="Protokollför beslutet och upprätta protokollsutdrag").click()
    assert page.get_by_text(
        "Utbildningsnämnden 2029-06-12 § 45 är protokollfört; protokollsutdraget är upprättat."
    ).is_visible()
    assert page.locator("main p").first.inner_text().startswith(f"{case.number} · Implementerat")
    assert "Ärendet väntar på" not in page.get_by_role("region", name="Nästa steg").inner_text()
    history = page.get_by_role("region", name="Historik").inner_text()
    assert (
        "2029-06-12 16:00 – Implementera (utvärderat → implementerat) – Nils Nämnd: Utbildningsnämnden 2029-06-12 "
        "§ 45: Målen nåddes och insatsen väntas minska kommunens kostnader på sikt;"
    ) in history
    extract = page.get_by_role("region", name="Beslut och handlingar").get_by_role(
        "link", name=f"Protokollsutdrag Utbildningsnämnden 2029-06-12 § 45, {case.number}"
    )
    response = page.request.get(f"{url}{extract.get_attribute('href')}")
    assert response.headers["content-type"] == "application/pdf"
    case.refresh_from_db()
    assert case.state == "implemented"
    implementation = Decision.objects.get(municipality=case.municipality, paragraph=45)
    assert (implementation.body, implementation.kind, implementation.recorded_by.email) == (
        "Utbildningsnämnden",
        "implement",
        f"namnd.norrkoping@{DEMO_DOMAIN}",
    )
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "norrkoping-walk-implemented.png"), full_page=True)

    # Kommunstyrelsens kontor no longer has the case waiting; its list shows it implemented.
    act_as(f"beredare.norrkoping@{DEMO_DOMAIN}")
    assert page.get_by_role("row", name=TITLE).count() == 0
    page.get_by_role("link", name="Alla ärenden").click()
    row = page.get_by_role("row", name=TITLE)
    assert "Implementerat" in row.inner_text()
    axe.check(page)
