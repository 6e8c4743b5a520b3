"""What each rule set says its application and its preparation hold, against its seed: Heby's
kommunledningsgrupp prepares and issues the basis for KS, and asks for the name, the period and
the cost per year once."""

import re
import subprocess

import pytest
from django.urls import reverse

from accounts.enums import Role
from applications.checks import Problem, application_problems
from applications.enums import CaseState as S
from applications.models import Case
from applications.selectors import waiting_for
from applications.services import TransitionRefusedError
from applications.services.content import save_case
from applications.services.lifecycle import run_transition
from applications.services.steps import complete_step
from audit.models import AuditEntry
from core.formatting import format_kronor
from decisions.models import IssuedDocument
from decisions.services import issue_application, issue_decision_basis
from demo.walk import complete_open_steps, fill_application, inform_board, sign_for, walk_to
from municipalities.rulebook.validation import document_fingerprint

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


def pdf_text(document, tmp_path):
    path = tmp_path / f"{document.pk}.pdf"
    path.write_bytes(bytes(document.content))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    return " ".join(text.replace("\xa0", " ").split())


# ---- Heby: kommunledningsgruppen prepares and issues the basis for KS (seed 000, § 4) ------------


def heby_in_preparation(new_case, title="Läxhjälp"):
    case, users = new_case("heby", title=title)
    return walk_to(case, S.IN_PREPARATION, users), users


def test_heby_after_both_steps_the_case_waits_for_kommunledningsgruppen_not_the_styrgrupp(new_case, today):
    case, users = heby_in_preparation(new_case)

    case = complete_open_steps(case, users)

    assert [(w.role, w.reason) for w in waiting_for(case)] == [
        ("management", "Beredningens steg är klara: markera klar för beslut.")
    ]


def test_heby_kommunledningsgruppen_reports_the_case_ready_for_ks(new_case, today):
    case, users = heby_in_preparation(new_case)
    case = complete_open_steps(case, users)

    case = run_transition(case, "mark_ready_for_decision", users["management"])

    assert case.state == S.READY_FOR_DECISION
    entry = AuditEntry.objects.for_object(case).filter(action="case.mark_ready_for_decision").get()
    assert (entry.actor, entry.from_state, entry.to_state) == (
        users["management"],
        S.IN_PREPARATION,
        S.READY_FOR_DECISION,
    )


def test_heby_styrgruppen_cannot_report_the_case_ready_for_ks(new_case, today):
    case, users = heby_in_preparation(new_case)
    case = complete_open_steps(case, users)
    history = AuditEntry.objects.for_object(case).count()

    with pytest.raises(TransitionRefusedError) as refusal:
        run_transition(case, "mark_ready_for_decision", users["preparer"])

    assert str(refusal.value) == "Bara Kommunledningsgruppen kan göra detta."
    assert Case.objects.get(pk=case.pk).state == S.IN_PREPARATION
    assert AuditEntry.objects.for_object(case).count() == history


def test_heby_kommunledningsgruppen_steps_only_after_the_styrgrupp_passed_it_on(new_case, today):
    case, users = heby_in_preparation(new_case)
    klg_step = next(s for s in case.current_steps("preparation") if s.actor_role == "management")

    with pytest.raises(TransitionRefusedError, match=r"^Först: Styrgruppen för barn och unga bereder"):
        complete_step(case, klg_step.pk, users["management"], outcome="positive")


def test_heby_kommunledningsgruppen_issues_the_decision_basis_on_the_case_page(client, new_case, today):
    case, users = heby_in_preparation(new_case)
    client.force_login(users["management"])

    page = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    response = client.post(reverse("decisions:issue_basis", args=[case.pk]), follow=True)

    assert reverse("decisions:issue_basis", args=[case.pk]) in page
    assert "Beslutsunderlaget är upprättat." in response.content.decode()
    document = IssuedDocument.objects.get(case=case)
    assert (document.kind, document.issued_by) == ("decision_basis", users["management"])


def test_heby_styrgruppen_may_not_issue_the_decision_basis(client, new_case, today):
    case, users = heby_in_preparation(new_case)
    client.force_login(users["preparer"])

    page = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    response = client.post(reverse("decisions:issue_basis", args=[case.pk]), follow=True)

    assert reverse("decisions:issue_basis", args=[case.pk]) not in page
    assert "Bara Kommunledningsgruppen upprättar beslutsunderlaget." in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_heby_basis_of_another_municipality_is_not_found(client, new_case, people, today):
    case, _users = heby_in_preparation(new_case)
    ale = people("ale")
    client.force_login(ale["management"])

    response = client.post(reverse("decisions:issue_basis", args=[case.pk]))

    assert response.status_code == 404
    assert not IssuedDocument.objects.exists()


# ---- Heby: the name, the period and the cost per year are asked once, as fields ---------------------


def test_heby_form_asks_name_period_and_cost_per_year_once(client, new_case, today):
    case, users = new_case("heby")
    client.force_login(users["applicant"])

    html = client.get(reverse("applications:edit", args=[case.pk])).content.decode()

    assert 'name="title"' in html
    assert 'name="period_start"' in html
    assert 'name="period_end"' in html
    assert 'name="cost_2026"' in html
    for removed in ("section_namn", "section_tidsperiod", "section_kostnad_per_ar"):
        assert removed not in html
    for title in ("Namn på investeringen", "Tidsperiod för investeringen", "Kostnad fördelad per år"):
        assert title not in html


def test_heby_case_page_snapshot_and_pdfs_show_name_period_and_costs_from_the_fields(client, new_case, today, tmp_path):
    case, users = new_case("heby", title="Läxhjälp i Östervåla")
    case = walk_to(case, S.SUBMITTED, users)
    costs = {cost.year: cost.amount for cost in case.costs.all()}
    period = f"{case.period_start.isoformat()} – {case.period_end.isoformat()}"
    client.force_login(users["preparer"])

    page = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    snapshot = dict(map(tuple, case.snapshots.get().content))
    application = pdf_text(issue_application(case, users["preparer"]), tmp_path)
    basis = pdf_text(issue_decision_basis(case, users["management"]), tmp_path)

    assert "Läxhjälp i Östervåla" in page
    assert (snapshot["Namn på insatsen"], snapshot["Period"]) == ("Läxhjälp i Östervåla", period)
    assert snapshot["Kostnad per år"] == "; ".join(
        f"{year}: {format_kronor(amount)}" for year, amount in sorted(costs.items())
    )
    assert "Läxhjälp i Östervåla" in application
    assert period.replace(" ", "") in application.replace(" ", "")
    assert "Kostnad per år" in application
    assert "Läxhjälp i Östervåla" in basis
    assert f"period{case.period_start.isoformat()}–{case.end_date.isoformat()}" in basis.replace(" ", "")
    for year in costs:
        assert re.search(rf"{year} 500 000 kr", basis), year
    described = basis.split("Beskrivning av ärendet")[1].split("Bedömning")[0]
    numbered = re.findall(r"(\d+)\. ", described)
    assert numbered == [str(n) for n in range(1, 14)]
    for title in ("Namn på investeringen", "Tidsperiod för investeringen", "Kostnad fördelad per år"):
        assert title not in application
        assert title not in basis


# ---- Ale: the plan is made with ledningsgruppen för TSI; the idea's text carries over (seed 001) ----


def ale_idea_approved(new_case, title="Läsfrämjande i Nödinge"):
    case, users = new_case("ale", title=title)
    return walk_to(case, S.IDEA_APPROVED, users), users


def test_ale_plan_for_the_process_is_made_with_ledningsgruppen_for_tsi_not_forvaltningsledningen(new_case, today):
    case, users = new_case("ale")
    case = walk_to(case, S.IN_PREPARATION, users)
    complete_step(
        case,
        next(s for s in case.current_steps("preparation") if s.key == "aterkoppling").pk,
        users["preparer"],
        outcome="positive",
    )
    complete_step(
        case,
        next(s for s in case.current_steps("preparation") if s.key == "forsta_mote").pk,
        users["preparer"],
        outcome="positive",
    )
    plan = next(s for s in case.current_steps("preparation") if s.key == "plan_for_processen")

    with pytest.raises(TransitionRefusedError) as refusal:
        complete_step(case, plan.pk, users["management"], outcome="positive")
    done = complete_step(
        case, plan.pk, users["preparer"], outcome="positive", comment="Plan med ledningsgruppen för TSI."
    )

    assert str(refusal.value) == "Bara Styrgruppen för TSI (Tidiga Samordnade Insatser) kan göra detta steg."
    assert (done.name, done.actor_role, done.done_by) == (
        "Plan för processen upprättad med ledningsgruppen för TSI",
        "preparer",
        users["preparer"],
    )
    assert "ledningsgruppen för TSI" not in case.rules.bodies[Role.MANAGEMENT].duties


def test_ale_application_starts_with_the_ideas_text_in_the_mapped_sections(new_case, today):
    case, users = ale_idea_approved(new_case)
    idea = dict(case.idea)

    case = run_transition(case, "start_application", users["applicant"])

    case = Case.objects.get(pk=case.pk)
    assert case.state == S.DRAFT
    assert {
        key: case.sections.get(key) for key in ("insatsen", "problemformulering", "malgrupp", "berorda_sektorer")
    } == {
        "insatsen": idea["0"],
        "problemformulering": idea["1"],
        "malgrupp": idea["2"],
        "berorda_sektorer": idea["3"],
    }
    assert not any(case.sections.get(key) for key in ("tidsperiod", "kostnadskalkyl", "aterbetalningsplan"))
    entry = AuditEntry.objects.for_object(case).get(action="case.start_application")
    assert entry.data["prefilled"] == ["berorda_sektorer", "insatsen", "malgrupp", "problemformulering"]


def test_ale_carrying_the_idea_never_overwrites_what_is_already_written(new_case, today):
    case, users = ale_idea_approved(new_case)
    Case.objects.filter(pk=case.pk).update(sections={"malgrupp": "Elever i årskurs 4–6 i Nödinge.", "insatsen": " "})
    case = Case.objects.get(pk=case.pk)

    run_transition(case, "start_application", users["applicant"])

    case = Case.objects.get(pk=case.pk)
    assert case.sections["malgrupp"] == "Elever i årskurs 4–6 i Nödinge."
    assert case.sections["insatsen"] == case.idea["0"]
    entry = AuditEntry.objects.for_object(case).get(action="case.start_application")
    assert entry.data["prefilled"] == ["berorda_sektorer", "insatsen", "problemformulering"]


def test_ale_application_form_shows_the_ideas_text_to_edit(client, new_case, today):
    case, users = ale_idea_approved(new_case)
    run_transition(case, "start_application", users["applicant"])
    client.force_login(users["applicant"])

    html = client.get(reverse("applications:edit", args=[case.pk])).content.decode()

    assert re.search(r'name="section_problemformulering"[^>]*>\s*Vilket problem satsningen ska lösa', html)


def test_refused_start_of_the_application_carries_nothing(new_case, today):
    case, users = ale_idea_approved(new_case)

    with pytest.raises(TransitionRefusedError):
        run_transition(case, "start_application", users["preparer"])

    assert Case.objects.get(pk=case.pk).sections == {}


def test_sundsvall_without_a_mapping_starts_with_empty_sections(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.IDEA_APPROVED, users)

    run_transition(case, "start_application", users["applicant"])

    assert Case.objects.get(pk=case.pk).sections == {}


# ---- Norrköping: berörd nämnd informed before the KS office takes the case (seed 004, "Ansökan") ---


def norrkoping_submitted(new_case, title="Tidiga insatser i Hageby"):
    case, users = new_case("norrkoping", title=title)
    return walk_to(case, S.SUBMITTED, users), users


def board(case, name="Utbildningsnämnden"):
    return case.municipality.units.get(name=name)


def test_norrkoping_preparation_cannot_start_before_the_board_is_informed(new_case, today):
    case, users = norrkoping_submitted(new_case)
    history = AuditEntry.objects.for_object(case).count()

    with pytest.raises(TransitionRefusedError) as refusal:
        run_transition(case, "start_preparation", users["preparer"])

    assert str(refusal.value) == (
        "Berörd nämnd har inte informerats: Kontor registrerar vilken nämnd som informerades, när och av vem "
        "innan Tjänstepersonsgruppen på kommunstyrelsens kontor tar ärendet."
    )
    assert Case.objects.get(pk=case.pk).state == S.SUBMITTED
    assert AuditEntry.objects.for_object(case).count() == history


def test_norrkoping_case_page_tells_the_preparer_why_preparation_waits(client, new_case, today):
    case, users = norrkoping_submitted(new_case)
    client.force_login(users["preparer"])

    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()

    assert "Börja bereda</strong>: inte möjligt nu – Berörd nämnd har inte informerats" in html
    assert "Ingen nämnd har registrerats som informerad." in html
    assert reverse("applications:board_notice", args=[case.pk]) not in html


def test_norrkoping_applicant_records_which_board_when_and_by_whom_on_the_case_page(client, new_case, today):
    case, users = norrkoping_submitted(new_case)
    client.force_login(users["applicant"])

    form_page = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    response = client.post(
        reverse("applications:board_notice", args=[case.pk]),
        {"board": board(case).pk, "informed_on": "2026-09-14", "informed_by": "Karin Kontorschef"},
        follow=True,
    )

    assert reverse("applications:board_notice", args=[case.pk]) in form_page
    html = response.content.decode()
    assert "Det är registrerat att nämnden har informerats." in html
    assert "<strong>Utbildningsnämnden</strong> 2026-09-14, informerad av Karin Kontorschef" in html
    notice = case.board_notices.get()
    assert (notice.board.name, str(notice.informed_on), notice.informed_by, notice.recorded_by) == (
        "Utbildningsnämnden",
        "2026-09-14",
        "Karin Kontorschef",
        users["applicant"],
    )
    entry = AuditEntry.objects.for_object(case).get(action="case.board_informed")
    assert (entry.actor, entry.data) == (
        users["applicant"],
        {"board": "Utbildningsnämnden", "informed_on": "2026-09-14", "informed_by": "Karin Kontorschef"},
    )
    assert "Berörd nämnd informerad" in html
    assert run_transition(case, "start_preparation", users["preparer"]).state == S.IN_PREPARATION


def test_norrkoping_board_notice_form_proposes_the_board_above_the_applying_office(client, new_case, today):
    case, users = norrkoping_submitted(new_case)
    client.force_login(users["applicant"])

    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()

    applicant_board = case.applicant_unit.parent
    assert re.search(rf'<option value="{applicant_board.pk}" selected>{applicant_board.name} \(nämnd\)</option>', html)


@pytest.mark.parametrize("role", ["preparer", "decision_body", "board", "management"])
def test_norrkoping_board_notice_by_another_role_is_refused(client, new_case, today, role):
    case, users = norrkoping_submitted(new_case)
    client.force_login(users[role])

    response = client.post(
        reverse("applications:board_notice", args=[case.pk]),
        {"board": board(case).pk, "informed_on": "2026-09-14", "informed_by": "Någon"},
        follow=True,
    )

    assert "Bara Kontor kan registrera att nämnden har informerats." in response.content.decode()
    assert not case.board_notices.exists()
    assert not AuditEntry.objects.for_object(case).filter(action="case.board_informed").exists()


def test_norrkoping_board_notice_by_an_applicant_outside_the_case_is_refused(new_case, today):
    from applications.services.board_notice import BoardNoticeRefusedError, record_board_notice
    from tests.factories import OrganisationalUnitFactory, UserFactory

    case, _users = norrkoping_submitted(new_case)
    elsewhere = OrganisationalUnitFactory(
        municipality=case.municipality, name="Kultur- och fritidskontoret", kind="kontor"
    )
    outsider = UserFactory(municipality=case.municipality, roles=["applicant"], unit=elsewhere)

    with pytest.raises(BoardNoticeRefusedError) as refusal:
        record_board_notice(case, outsider, board=board(case), informed_on=case.submitted_at.date(), informed_by="X")

    assert str(refusal.value) == "Bara sökande som deltar i ärendet kan registrera att nämnden har informerats."
    assert not case.board_notices.exists()


def test_norrkoping_board_notice_by_another_municipality_is_not_found(client, new_case, people, today):
    case, _users = norrkoping_submitted(new_case)
    ystad = people("ystad")
    client.force_login(ystad["applicant"])

    response = client.post(
        reverse("applications:board_notice", args=[case.pk]),
        {"board": board(case).pk, "informed_on": "2026-09-14", "informed_by": "Någon"},
    )

    assert response.status_code == 404
    assert not case.board_notices.exists()


def test_norrkoping_board_notice_with_a_future_date_is_refused_by_the_field_keeping_the_input(client, new_case, today):
    case, users = norrkoping_submitted(new_case)
    client.force_login(users["applicant"])

    response = client.post(
        reverse("applications:board_notice", args=[case.pk]),
        {"board": board(case).pk, "informed_on": "2026-09-16", "informed_by": "Karin Kontorschef"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nämnden kan inte ha informerats ett datum som inte har varit." in html
    assert 'value="Karin Kontorschef"' in html
    assert 'value="2026-09-16"' in html
    assert not case.board_notices.exists()


def test_norrkoping_board_notice_without_who_or_with_an_office_for_board_is_refused(new_case, today):
    from applications.services.board_notice import BoardNoticeRefusedError, record_board_notice

    case, users = norrkoping_submitted(new_case)
    office = case.municipality.units.get(name="Socialkontoret")

    with pytest.raises(BoardNoticeRefusedError) as not_a_board:
        record_board_notice(
            case, users["applicant"], board=office, informed_on=case.submitted_at.date(), informed_by="X"
        )
    with pytest.raises(BoardNoticeRefusedError) as nobody:
        record_board_notice(
            case, users["applicant"], board=board(case), informed_on=case.submitted_at.date(), informed_by=" "
        )

    assert (not_a_board.value.field, str(not_a_board.value)) == ("board", "Välj en av kommunens nämnder.")
    assert (nobody.value.field, str(nobody.value)) == ("informed_by", "Ange vem som informerade nämnden.")
    assert not case.board_notices.exists()


def test_norrkoping_board_notice_after_the_decision_is_refused(new_case, today):
    from applications.services.board_notice import BoardNoticeRefusedError, record_board_notice

    case, users = new_case("norrkoping")
    case = walk_to(case, S.READY_FOR_DECISION, users)
    count = case.board_notices.count()

    with pytest.raises(BoardNoticeRefusedError) as refusal:
        record_board_notice(
            case, users["applicant"], board=board(case), informed_on=case.submitted_at.date(), informed_by="X"
        )

    assert (
        str(refusal.value)
        == "Att nämnden har informerats registreras före beslutet, inte när ärendet är klart för beslut."
    )
    assert case.board_notices.count() == count


def test_heby_asks_no_board_notice(client, new_case, today):
    case, users = new_case("heby")
    case = walk_to(case, S.SUBMITTED, users)
    client.force_login(users["applicant"])

    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()

    assert "Berörd nämnd informerad" not in html
    assert run_transition(case, "start_preparation", users["preparer"]).state == S.IN_PREPARATION


# ---- Norrköping: the municipality-wide perspective, structured (seed 004, "Beredning och beslut") ---


def norrkoping_filled(new_case, title="Läsglädje i Navestad"):
    case, users = new_case("norrkoping", title=title)
    case = walk_to(case, S.DRAFT, users)
    fill_application(case, users["applicant"])
    sign_for(Case.objects.get(pk=case.pk), users, when="before_submission")
    return Case.objects.get(pk=case.pk), users


def agenda(case):
    return next(goal_list for goal_list in case.rules.application.goal_lists if goal_list.key == "agenda_2030")


def test_norrkoping_ships_the_17_agenda_2030_goals_and_an_empty_kf_list_for_the_admin(rulesets):
    from municipalities.models import Municipality

    rules = Municipality.objects.get(slug="norrkoping").active_ruleset.document["application"]["goal_lists"]

    kf, agenda_2030 = rules
    assert (kf["key"], kf["goals"], kf["required"]) == ("kf_mal", [], True)
    assert "kommunens administratör för in dem" in kf["description"]
    assert [goal["name"] for goal in agenda_2030["goals"]][:4] == [
        "Mål 1: Ingen fattigdom",
        "Mål 2: Ingen hunger",
        "Mål 3: Hälsa och välbefinnande",
        "Mål 4: God utbildning för alla",
    ]
    assert (len(agenda_2030["goals"]), agenda_2030["goals"][16]["name"], agenda_2030["required"]) == (
        17,
        "Mål 17: Genomförande och globalt partnerskap",
        True,
    )


def test_norrkoping_application_without_an_agenda_2030_goal_is_refused_by_the_field(new_case, today):
    case, users = norrkoping_filled(new_case)
    save_case(case, users["applicant"], fields={"goals": {}})

    assert application_problems(Case.objects.get(pk=case.pk)) == [
        Problem(
            "goal-agenda_2030-mal_1",
            "Välj minst ett mål i Agenda 2030 och de globala målen för hållbar utveckling och kommentera hur "
            "insatsen bidrar till det.",
        ),
        Problem("signatures", "Underskrift saknas från: Socialkontoret."),
    ]


def test_norrkoping_chosen_goal_without_comment_is_refused_by_its_comment_field(new_case, today):
    case, users = norrkoping_filled(new_case)
    save_case(
        case, users["applicant"], fields={"goals": {"agenda_2030": {"mal_4": "Bättre skolresultat.", "mal_10": " "}}}
    )
    sign_for(Case.objects.get(pk=case.pk), users, when="before_submission")
    case = Case.objects.get(pk=case.pk)
    history = AuditEntry.objects.for_object(case).count()

    with pytest.raises(TransitionRefusedError) as refusal:
        run_transition(case, "submit", users["applicant"])

    assert application_problems(case) == [
        Problem("goal-agenda_2030-mal_10-comment", "Kommentera hur insatsen bidrar till Mål 10: Minskad ojämlikhet.")
    ]
    assert str(refusal.value) == (
        "Det saknas eller är fel i 1 fält: Kommentera hur insatsen bidrar till Mål 10: Minskad ojämlikhet."
    )
    assert (Case.objects.get(pk=case.pk).state, AuditEntry.objects.for_object(case).count()) == (S.DRAFT, history)


def test_kf_goals_once_the_admin_lists_them_are_required_too(new_case, today):
    from municipalities.models import RuleSetVersion

    case, _users = norrkoping_filled(new_case)
    document = case.ruleset_version.document
    document["application"]["goal_lists"][0]["goals"] = [
        {"key": "trygghet", "name": "Norrköping är en trygg kommun"},
        {"key": "utbildning", "name": "Fler elever klarar skolan"},
    ]
    RuleSetVersion.objects.filter(pk=case.ruleset_version_id).update(
        document=document, fingerprint=document_fingerprint(document)
    )
    case = Case.objects.get(pk=case.pk)

    assert application_problems(case) == [
        Problem(
            "goal-kf_mal-trygghet",
            "Välj minst ett mål i Kommunens övergripande mål och kommentera hur insatsen bidrar till det.",
        )
    ]


def post_application(client, case, submit=False, **changes):
    """POST the application form as it stands, with ``changes`` typed over it; ``submit`` presses
    "Lämna in" instead of saving the draft."""
    from applications.forms import ApplicationForm

    form = ApplicationForm(case=case)
    data = {}
    for name, value in {**form.initial, **changes}.items():
        if name not in form.fields or value is None or value is False:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif value is True:
            data[name] = "on"
        else:
            data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if submit:
        data["submit"] = "1"
    return client.post(reverse("applications:edit", args=[case.pk]), data)


def test_norrkoping_form_saves_chosen_goals_with_their_comments(client, new_case, today):
    case, users = norrkoping_filled(new_case)
    client.force_login(users["applicant"])

    response = post_application(
        client,
        case,
        **{
            "goal-agenda_2030-mal_1": False,
            "goal-agenda_2030-mal_1-comment": "",
            "goal-agenda_2030-mal_4": True,
            "goal-agenda_2030-mal_4-comment": "Fler elever läser med glädje.",
            "goal-agenda_2030-mal_10": True,
            "goal-agenda_2030-mal_10-comment": "Når barn i socioekonomiskt utsatta områden.",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    assert Case.objects.get(pk=case.pk).goals == {
        "agenda_2030": {
            "mal_4": "Fler elever läser med glädje.",
            "mal_10": "Når barn i socioekonomiskt utsatta områden.",
        }
    }


def test_norrkoping_form_comment_without_choosing_the_goal_is_refused_keeping_the_text(client, new_case, today):
    case, users = norrkoping_filled(new_case)
    goals = dict(case.goals)
    client.force_login(users["applicant"])

    response = post_application(client, case, **{"goal-agenda_2030-mal_5-comment": "Flickor och pojkar lika."})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Kryssa i målet om kommentaren ska gälla, eller ta bort kommentaren." in html
    assert "Flickor och pojkar lika." in html
    assert Case.objects.get(pk=case.pk).goals == goals


def test_norrkoping_form_submit_shows_the_missing_comment_by_its_field(client, new_case, today):
    case, users = norrkoping_filled(new_case)
    client.force_login(users["applicant"])

    response = post_application(
        client, case, submit=True, **{"goal-agenda_2030-mal_3": True, "goal-agenda_2030-mal_3-comment": ""}
    )

    html = response.content.decode()
    assert "Ansökan är sparad men kunde inte lämnas in: rätta det som är markerat." in html
    field = html.index('id="id_goal-agenda_2030-mal_3-comment"')
    assert (
        html.index("Kommentera hur insatsen bidrar till Mål 3: Hälsa och välbefinnande.", field - 2000) < field + 2000
    )
    assert Case.objects.get(pk=case.pk).state == S.DRAFT


def test_norrkoping_form_says_kf_goals_are_not_yet_listed(client, new_case, today):
    case, users = norrkoping_filled(new_case)
    client.force_login(users["applicant"])

    html = client.get(reverse("applications:edit", args=[case.pk])).content.decode()

    assert "Kommunens övergripande mål: regelverket listar ännu inga mål. Kommunens administratör för in dem." in html
    # A list where one goal must be chosen: its legend carries the required mark, in words too.
    assert (
        "<legend>Agenda 2030 och de globala målen för hållbar utveckling"
        '<span class="asteriskField" aria-hidden="true">*</span>'
        '<span class="visually-hidden"> (obligatoriskt)</span></legend>'
    ) in html
    assert 'name="goal-agenda_2030-mal_17"' in html


def test_norrkoping_goals_shown_on_the_case_page_snapshot_application_and_decision_basis(
    client, new_case, today, tmp_path
):
    case, users = norrkoping_filled(new_case)
    save_case(
        case,
        users["applicant"],
        fields={"goals": {"agenda_2030": {"mal_4": "Fler elever läser med glädje.", "mal_10": "Når fler barn."}}},
    )
    sign_for(Case.objects.get(pk=case.pk), users, when="before_submission")
    case = run_transition(Case.objects.get(pk=case.pk), "submit", users["applicant"])
    client.force_login(users["preparer"])

    page = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    snapshot = dict(map(tuple, case.snapshots.get().content))
    application = pdf_text(issue_application(case, users["preparer"]), tmp_path)
    basis = pdf_text(issue_decision_basis(case, users["preparer"]), tmp_path)

    assert "<dt>Mål 4: God utbildning för alla</dt><dd>Fler elever läser med glädje.</dd>" in page
    assert snapshot["Agenda 2030 och de globala målen för hållbar utveckling"] == (
        "Mål 4: God utbildning för alla: Fler elever läser med glädje.\nMål 10: Minskad ojämlikhet: Når fler barn."
    )
    assert "Mål 4: God utbildning för alla: Fler elever läser med glädje." in application
    assert "Kommunövergripande perspektiv" in basis
    assert "Mål 10: Minskad ojämlikhet: Når fler barn." in basis


def test_changing_the_goals_voids_the_signatures(new_case, today):
    from applications.signatures import content_fingerprint

    case, users = norrkoping_filled(new_case)
    before = content_fingerprint(case)

    save_case(case, users["applicant"], fields={"goals": {"agenda_2030": {"mal_1": "Annan koppling."}}})

    case = Case.objects.get(pk=case.pk)
    assert content_fingerprint(case) != before
    assert not case.signatures.filter(voided_at__isnull=True).exists()


def test_ruleset_page_shows_the_goal_lists_the_board_notice_and_who_issues_the_basis(client, member):
    from accounts.enums import Role

    def page(slug):
        client.force_login(member(slug, Role.APPLICANT))
        return client.get(reverse("municipalities:ruleset", args=[slug])).content.decode()

    norrkoping, heby, ale = page("norrkoping"), page("heby"), page("ale")

    assert "Mål 17: Genomförande och globalt partnerskap" in norrkoping
    assert "Kommunens övergripande mål" in norrkoping
    assert "Berörd nämnd ska ha informerats innan beredningen börjar" in norrkoping
    assert "Beslutsunderlaget upprättas av: <strong>Kommunledningsgruppen</strong>" in heby
    assert "När ansökan påbörjas förs idéns text över" in ale


def test_norrkoping_submitted_case_waits_for_the_office_to_record_the_board_notice(new_case, today):
    case, users = norrkoping_submitted(new_case)

    before = [(w.role, w.reason) for w in waiting_for(case)]
    inform_board(case, users)
    after = [(w.role, w.reason) for w in waiting_for(Case.objects.get(pk=case.pk))]

    assert before == [("applicant", "Registrera att berörd nämnd har informerats.")]
    assert after == [("preparer", "Ny ansökan att bereda.")]


def test_norrkoping_case_list_queries_do_not_grow_with_cases_waiting_for_the_board_notice(
    client, people, today, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from applications.services.content import create_case

    users = people("norrkoping")
    walk_to(create_case(users["applicant"], title="Insats 0"), S.SUBMITTED, users)
    client.force_login(users["applicant"])
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("applications:list"))
    assert response.content.decode().count("Registrera att berörd nämnd har informerats.") == 1
    for index in range(1, 4):
        walk_to(create_case(users["applicant"], title=f"Insats {index}"), S.SUBMITTED, users)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("applications:list"))

    assert response.content.decode().count("Registrera att berörd nämnd har informerats.") == 4
