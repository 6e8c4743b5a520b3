"""Every kind of document a registrar files, rendered from the demo data and saved as PNG pictures
under test-artifacts/documents/ to be looked at, with the parts a registrar looks for checked in
each PDF's text. Sundsvall's demo is used: its preparation has scored reviews and a facknämnd's
consultation, so the tjänsteskrivelse shows every part it has."""

import datetime
import subprocess
from decimal import Decimal

import pytest

from accounts.enums import Role
from accounts.models import User
from applications.enums import CaseState
from applications.models import Case
from consultations.models import Consultation, Position
from consultations.services import answer, may_answer
from decisions.meetings import agenda_cases
from decisions.models import Decision
from decisions.services import (
    issue_agenda,
    issue_application,
    issue_decision_basis,
    issue_decision_documents,
    issue_round_basis,
    write_proposal,
)
from demo.loader import DEMO_DOMAIN, ROLE_LOGINS, load_demo, load_demo_cases
from demo.walk import decide, walk_to
from evaluation.documents import render_calculation_pdf
from evaluation.services import latest_snapshot, payer_choices, save_calculation
from exports.annual import render_annual_report
from municipalities.services import load_shipped_rulesets

pytestmark = pytest.mark.django_db

# The demo is loaded as the browser tests load it: its rounds and meetings fall in 2027.
DEMO_LOADED_ON = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)
SLUG = "sundsvall"


def demo_users(slug):
    return {role.value: User.objects.get(email=f"{local}.{slug}@{DEMO_DOMAIN}") for role, local in ROLE_LOGINS.items()}


def save_pictures(content, name, folder):
    """Write the PDF and one PNG per page (60 dpi); returns the PDF's text, whitespace folded."""
    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(content)
    for old in folder.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(folder / name)], check=True)  # noqa: S603, S607
    assert list(folder.glob(f"{name}-*.png"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    return " ".join(text.replace("\xa0", " ").split())


def page_size(folder, name):
    pdf = folder / f"{name}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    return next(line for line in info.splitlines() if line.startswith("Page size"))


@pytest.fixture
def folder(artifacts_dir):
    path = artifacts_dir / "documents"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def demo(time_machine):
    time_machine.move_to(DEMO_LOADED_ON)
    load_shipped_rulesets()
    load_demo()
    load_demo_cases(slugs=[SLUG])


def _prepared_case():
    """The demo case in preparation (a review in, a consultation out), with the nämnd's answer
    and a förkalkyl, walked on until it is ready for decision."""
    users = demo_users(SLUG)
    case = Case.objects.get(municipality__slug=SLUG, state=CaseState.IN_PREPARATION, created_by__is_demo=True)
    consultation = Consultation.objects.get(case=case)
    board = next(
        user
        for user in User.objects.filter(municipality=case.municipality, role_assignments__role=Role.BOARD)
        if may_answer(consultation, user)[0]
    )
    answer(
        consultation,
        board,
        position=Position.SUPPORT_WITH_CONDITIONS,
        text="Nämnden tillstyrker om insatsen samordnas med elevhälsan.",
    )
    save_calculation(
        case,
        "forecast",
        users["preparer"],
        discount_rate=Decimal("3.5"),
        horizon=10,
        first_year=case.period_start.year,
        costs=[
            {"year": cost.year, "payer": "municipality", "description": "Sökta medel", "granted": cost.amount}
            for cost in case.costs.all()
        ],
        outcomes=[
            {
                "name": "Färre dygn i HVB",
                "unit_cost": case.municipality.unit_costs.filter(unit="dygn").order_by("-amount").first(),
                "unit_amount": None,
                "baseline": Decimal(900),
                "quantity": Decimal(160),
                "start_year": case.period_start.year + 1,
                "duration": 6,
                "drop_off": Decimal(10),
                "deadweight": Decimal(15),
                "attribution": Decimal(10),
                "displacement": Decimal(0),
                "confidence": "medium",
                "effect_source": "estimate",
                "cashable": True,
                "transfer": False,
                "transfer_from": "",
                "split": {"municipality": "100"},
            }
        ],
    )
    return walk_to(case, CaseState.READY_FOR_DECISION, users), users


def test_every_document_kind_is_saved_as_pictures_with_what_a_registrar_looks_for(demo, folder):
    case, users = _prepared_case()
    rules = case.rules
    preparer = User.objects.get(
        municipality=case.municipality, role_assignments__role=rules.decision_basis_role, is_demo=True
    )
    secretary = users["decision_body"]
    proposal = f"{rules.body_name(rules.decision_role)} beviljar medel enligt ansökan, med nämndens villkor."
    write_proposal(case, preparer, proposal)

    basis = issue_decision_basis(case, preparer)
    text = save_pictures(bytes(basis.content), "tjansteskrivelse", folder)
    for expected in (
        f"Förslag till beslut {proposal}",
        f"Handläggare {preparer.full_name}, {preparer.title}",
        f"Beredande organ {rules.body_name(rules.decision_basis_role)}",
        "Ärendet",
        "Beskrivning av ärendet",
        "Bedömning",
        "Nämnden tillstyrker om insatsen samordnas med elevhälsan.",
        "tillstyrker med villkor",
        "Viktad summa (0–100)",
        "Sammanvägd rekommendation",
        "Nettonuvärde för samhället",
        "Nytta per satsad krona",
        "Underskrifter",
        "Bilagor",
        "Beslutet skickas till",
        f"{case.applicant_unit.name}, {case.created_by.full_name} (sökande)",
    ):
        assert expected in text, expected
    assert basis.filename == f"tjansteskrivelse-{case.number.replace(' ', '-').replace('/', '-')}.pdf"

    agenda = issue_agenda(
        preparer,
        case.municipality,
        meeting_date=datetime.date(2027, 3, 15),
        cases=agenda_cases(preparer),
        meeting_time=datetime.time(13, 30),
        place="Sammanträdesrummet, stadshuset",
    )
    text = save_pictures(bytes(agenda.content), "foredragningslista", folder)
    assert "Tid 2027-03-15 kl. 13.30 Plats Sammanträdesrummet, stadshuset" in text
    assert agenda.filename == f"foredragningslista-{SLUG}-2027-03-15.pdf"

    application = issue_application(case, preparer)
    text = save_pictures(bytes(application.content), "ansokan", folder)
    assert case.title in text

    decide(case, secretary)
    decision = Decision.objects.get(lines__case=case)
    extract, letter = issue_decision_documents(decision, secretary)
    text = save_pictures(bytes(extract.content), "protokollsutdrag", folder)
    # pdftotext reads signature lines side by side in its own order: each part is looked for alone.
    for expected in (
        "Vid protokollet, sekreterare",
        secretary.full_name,
        "Gunnel Granskare",
        "Jonas Justerare",
        f"Protokollet justerades {decision.meeting_date.isoformat()}.",
        "Utdragsbestyrkande Utdraget bestyrks",
        f"{secretary.title}, {datetime.date(2026, 12, 1).isoformat()}",
        "Expedieras till",
        f"{case.created_by.full_name} (sökande)",
    ):
        assert expected in text, expected
    text = save_pictures(bytes(letter.content), "beslutsbrev", folder)
    assert f"Handläggare {preparer.full_name}, {preparer.title}" in text
    assert f"E-post {preparer.email}" in text

    snapshot = latest_snapshot(case, "forecast")
    calculation = render_calculation_pdf(case, snapshot, payer_choices(case.municipality))
    text = save_pictures(calculation, "forkalkyl", folder)
    assert "Förkalkyl" in text

    controller = users["controller"]
    annual = render_annual_report(controller, 2026)
    text = save_pictures(annual, "arsredovisning", folder)
    assert page_size(folder, "arsredovisning").split()[2:5] == ["841.89", "x", "595.276"]  # A4 landscape
    assert "11,5" in text  # the demo's comparison group, a Swedish decimal
    assert "Conny Controller" in text
    assert f"@{DEMO_DOMAIN}" not in text

    # Norrköping's one tjänsteskrivelse for a meeting's applications, drawn up here for the cases
    # the demo has ready for decision.
    ready = agenda_cases(preparer) or [case]
    applications = [issue_application(c, preparer) for c in ready]
    round_basis = issue_round_basis(
        preparer,
        case.municipality,
        meeting_date=datetime.date(2027, 3, 15),
        cases=ready,
        applications=applications,
    )
    text = save_pictures(bytes(round_basis.content), "tjansteskrivelse-sammantrade", folder)
    for expected in ("Handläggare", "Förslag till beslut", "Beslutet skickas till"):
        assert expected in text, expected
    assert round_basis.filename == f"tjansteskrivelse-{SLUG}-2027-03-15.pdf"
