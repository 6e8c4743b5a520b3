"""Who must act on a case next, and who sees it at all."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from applications.enums import CaseState as S
from applications.models import Case
from applications.selectors import Waiting, cases_waiting_for, waiting_for, waiting_on_user
from applications.services.content import create_case, save_case
from applications.services.lifecycle import run_transition
from applications.services.signing import sign
from applications.services.steps import complete_step
from demo.walk import fill_application, walk_to
from municipalities.models import OrganisationalUnit
from tests.factories import UserFactory


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


def fresh(case):
    return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize(
    ("state", "role", "reason"),
    [
        (S.DRAFT, "applicant", "Ansökan är inte inlämnad."),
        (S.SUBMITTED, "preparer", "Ny ansökan att bereda."),
        (S.RETURNED, "applicant", "Ansökan behöver kompletteras."),
        (S.READY_FOR_DECISION, "decision_body", "Ansökan väntar på beslut."),
        (S.GRANTED, "applicant", "Beviljad: projektstarten kan påbörjas."),
        (S.EVALUATED, "decision_body", "Beslut om implementering saknas."),
    ],
)
def test_waiting_for_heby_per_state(new_case, state, role, reason):
    case, users = new_case("heby")

    case = walk_to(case, state, users)

    assert waiting_for(fresh(case)) == [Waiting(role, reason)]


EVALUATION_FIELDS = {
    "effects": "Bättre närvaro.",
    "process": "Enligt plan.",
    "costs": "Inom budget.",
    "conclusion": "Bra.",
}


def test_waiting_for_the_evaluation_after_the_final_report(new_case):
    # Heby has no final report (it evaluates in the annual report); Ystad has one. The project
    # writes and hands in the evaluation; only then does the preparing group take it in.
    from evaluation.services import save_evaluation, submit_evaluation

    case, users = new_case("ystad")
    case = walk_to(case, S.FINAL_REPORT, users)
    after_report = waiting_for(fresh(case))
    save_evaluation(case, "final", users["applicant"], fields=EVALUATION_FIELDS)
    written = waiting_for(fresh(case))
    submit_evaluation(case, "final", users["applicant"])
    handed_in = waiting_for(fresh(case))

    missing = Waiting("applicant", "Slutrapporten är inlämnad: slututvärderingen ska skrivas och lämnas in.")
    taken_in = Waiting("preparer", "Utvärderingen är inlämnad: ta emot den och markera utvärdering klar.")
    # Meanwhile the receiver of reports still has the final report itself to review.
    (review,) = [waiting for waiting in after_report if waiting not in (missing, taken_in)]
    assert review.reason.startswith("Rapport att granska: Slutrapport för perioden")
    assert after_report == written == [review, missing]
    assert handed_in == [review, taken_in]


def test_evaluation_waits_on_the_projects_applicant_in_the_lists(new_case, today):
    case, users = new_case("norrkoping")
    case = walk_to(case, S.FINAL_REPORT, users)

    assert [reasons for _case, reasons in cases_waiting_for(users["applicant"])] == [
        ["Slutrapporten är inlämnad: slututvärderingen ska skrivas och lämnas in."]
    ]
    # Kommunstyrelsens kontor receives the final report; the evaluation is not its to write.
    (reasons,) = [reasons for _case, reasons in cases_waiting_for(users["preparer"])]
    assert len(reasons) == 1
    assert reasons[0].startswith("Rapport att granska: Slutrapport för perioden")


def test_waiting_for_resubmitted_application(new_case):
    case, users = new_case("heby")
    case = walk_to(case, S.RETURNED, users)

    case = run_transition(case, "resubmit", users["applicant"])

    assert waiting_for(fresh(case)) == [Waiting("preparer", "Kompletterad ansökan att bereda.")]


@pytest.mark.parametrize(
    ("slug", "board"),
    # Norrköping's applicant works at Socialkontoret, under Socialnämnden; Ystad's applicant unit
    # is Barn- och utbildningsnämnden itself.
    [("norrkoping", "Socialnämnden"), ("ystad", "Barn- och utbildningsnämnden")],
)
def test_implementation_decision_waits_for_the_responsible_namnd(new_case, today, slug, board):
    case, users = new_case(slug)
    case = walk_to(case, S.EVALUATED, users)
    namnd = OrganisationalUnit.objects.get(municipality=case.municipality, name=board)
    representatives = User.objects.filter(role_assignments__role="board", municipality=case.municipality)
    ours = representatives.get(unit=namnd)
    others = representatives.exclude(unit=namnd)

    assert waiting_for(fresh(case)) == [Waiting("board", f"{board} har inte beslutat om implementering.", namnd.pk)]
    assert waiting_on_user(fresh(case), ours) == [f"{board} har inte beslutat om implementering."]
    assert others.exists()
    assert all(waiting_on_user(fresh(case), other) == [] for other in others)


def test_waiting_for_ale_implementation_proposal_then_kommunstyrelsen(new_case, today):
    case, users = new_case("ale")
    case = walk_to(case, S.EVALUATED, users)
    before = waiting_for(fresh(case))
    step = fresh(case).current_steps("implementation")[0]

    complete_step(case, step.pk, users["management"], outcome="positive", comment="Blir ordinarie verksamhet.")

    assert before == [Waiting("management", "Steg: Förvaltningsledningens förslag om implementering.")]
    assert waiting_for(fresh(case)) == [Waiting("decision_body", "Beslut om implementering saknas.")]


@pytest.mark.parametrize(
    ("state", "role", "reason"),
    [
        (S.IDEA_DRAFT, "applicant", "Idén är inte inlämnad."),
        (S.IDEA_SUBMITTED, "preparer", "Ny idé att pröva."),
        (S.IDEA_IN_REVIEW, "preparer", "Steg: Idéprövning i strategiskt verksamhetsnätverk."),
        (S.IDEA_APPROVED, "applicant", "Idén är godkänd: ansökan kan skrivas."),
    ],
)
def test_waiting_for_sundsvall_idea(new_case, state, role, reason):
    case, users = new_case("sundsvall")

    case = walk_to(case, state, users)

    assert waiting_for(fresh(case)) == [Waiting(role, reason)]


def test_waiting_for_sundsvall_submitted_application_is_the_network(new_case):
    case, users = new_case("sundsvall")

    case = walk_to(case, S.SUBMITTED, users)

    assert waiting_for(fresh(case)) == [Waiting("preparer", "Ny ansökan att bereda.")]


def test_waiting_for_sundsvall_preparation_each_facknamnd_first(new_case):
    case, users = new_case("sundsvall")

    case = walk_to(case, S.IN_PREPARATION, users)

    unit = {u.name: u.pk for u in OrganisationalUnit.objects.filter(municipality=case.municipality)}
    assert waiting_for(fresh(case)) == [
        Waiting(
            "board",
            "Steg: Berörd facknämnd tar ställning (Barn- och utbildningsnämnden).",
            unit["Barn- och utbildningsnämnden"],
        ),
        Waiting("board", "Steg: Berörd facknämnd tar ställning (Socialnämnden).", unit["Socialnämnden"]),
    ]


@pytest.mark.parametrize("state", [S.RUNNING, S.WITHDRAWN, S.REJECTED, S.IMPLEMENTED])
def test_waiting_for_nobody(new_case, state):
    case, users = new_case("heby")

    case = walk_to(case, state, users)

    assert waiting_for(fresh(case)) == []


# ---- Ystad's preparation, step by step ------------------------------------------------------------


@pytest.fixture
def ystad_in_preparation(new_case, today):
    """A Ystad application by Elevhälsan with Individ- och familjeomsorgen: two nämnder take part."""
    case, users = new_case("ystad")
    case = walk_to(case, S.DRAFT, users)
    fill_application(case, users["applicant"])
    unit = {u.name: u for u in OrganisationalUnit.objects.filter(municipality=case.municipality)}
    save_case(
        case,
        users["applicant"],
        fields={"applicant_unit": unit["Elevhälsan"]},
        units=[unit["Individ- och familjeomsorgen"]],
    )
    case = run_transition(case, "submit", users["applicant"])
    case = run_transition(case, "start_preparation", users["preparer"])
    return fresh(case), users, unit


def complete(case, key, user):
    """Complete the step ``key``: each nämnd's own by its representative (one speaks only for
    their nämnd), another unit's by ``user`` where it is theirs."""
    for step in fresh(case).current_steps("preparation"):
        if step.key != key or not step.is_pending:
            continue
        if step.unit_id and step.actor_role == "board":
            representative = case.municipality.members.get(role_assignments__role="board", unit=step.unit_id)
            complete_step(case, step.pk, representative, outcome="positive")
        elif not step.unit_id or not user.unit_id or step.unit_id == user.unit_id:
            complete_step(case, step.pk, user, outcome="positive")
    return fresh(case)


def test_ystad_preparation_waits_for_the_process_group_first(ystad_in_preparation):
    case, _, _ = ystad_in_preparation

    assert waiting_for(case) == [Waiting("preparer", "Steg: Processgruppen kontrollerar att ansökan är komplett.")]


def test_ystad_preparation_after_process_group_waits_for_management(ystad_in_preparation):
    case, users, _ = ystad_in_preparation

    case = complete(case, "processgruppen_kontrollerar", users["preparer"])

    assert waiting_for(case) == [Waiting("management", "Steg: Kommunledningsgruppen hanterar ansökan.")]


def test_ystad_preparation_per_namnd_steps_wait_for_the_board(ystad_in_preparation):
    case, users, unit = ystad_in_preparation
    case = complete(case, "processgruppen_kontrollerar", users["preparer"])

    case = complete(case, "klg_hanterar", users["management"])

    assert waiting_for(case) == [
        Waiting(
            "board",
            "Steg: Involverade nämnder och förvaltningsledningar lämnar synpunkter (Barn- och utbildningsnämnden).",
            unit["Barn- och utbildningsnämnden"].pk,
        ),
        Waiting(
            "board",
            "Steg: Involverade nämnder och förvaltningsledningar lämnar synpunkter (Socialnämnden).",
            unit["Socialnämnden"].pk,
        ),
    ]


def test_ystad_board_member_of_one_namnd_waited_on_for_that_namnd_only(ystad_in_preparation):
    case, users, unit = ystad_in_preparation
    case = complete(case, "processgruppen_kontrollerar", users["preparer"])
    case = complete(case, "klg_hanterar", users["management"])
    social_board = case.municipality.members.get(role_assignments__role="board", unit=unit["Socialnämnden"])
    loose_board = UserFactory(municipality=case.municipality, roles=["board"])

    reasons = (
        waiting_on_user(case, social_board),
        waiting_on_user(case, users["board"]),
        waiting_on_user(case, loose_board),
    )

    assert reasons == (
        ["Steg: Involverade nämnder och förvaltningsledningar lämnar synpunkter (Socialnämnden)."],
        ["Steg: Involverade nämnder och förvaltningsledningar lämnar synpunkter (Barn- och utbildningsnämnden)."],
        [],
    )


def test_ystad_signatures_wait_for_each_forvaltnings_head(ystad_in_preparation):
    """Seed 003, Steg 3: the förvaltningschefer of the affected förvaltningar sign, so the step waits
    for each förvaltning's designated head, not for staff of the verksamheter."""
    case, users, unit = ystad_in_preparation
    case = complete(case, "processgruppen_kontrollerar", users["preparer"])
    case = complete(case, "klg_hanterar", users["management"])
    case = complete(case, "namnder_synpunkter", users["board"])
    buf, social = unit["Barn- och utbildningsförvaltningen"], unit["Socialförvaltningen"]
    elevhalsan_staff = case.municipality.members.get(unit=unit["Elevhälsan"])

    sign(case, f"unit:{social.pk}", social.head)
    case = complete(case, "underskrift", social.head)

    step = "Steg: Berörda chefer undertecknar och godkänner (Barn- och utbildningsförvaltningen)."
    assert waiting_for(case) == [Waiting("applicant", step, buf.pk)]
    assert (
        waiting_on_user(case, buf.head),
        waiting_on_user(case, social.head),
        waiting_on_user(case, elevhalsan_staff),
    ) == ([step], [], [])


def test_ystad_preparation_all_steps_done_waits_for_preparer(ystad_in_preparation):
    case, users, unit = ystad_in_preparation
    case = complete(case, "processgruppen_kontrollerar", users["preparer"])
    case = complete(case, "klg_hanterar", users["management"])
    case = complete(case, "namnder_synpunkter", users["board"])
    for name in ["Barn- och utbildningsförvaltningen", "Socialförvaltningen"]:
        head = unit[name].head
        sign(case, f"unit:{unit[name].pk}", head)
        case = complete(case, "underskrift", head)

    case = complete(case, "klg_godkanner", users["management"])

    assert waiting_for(case) == [Waiting("preparer", "Beredningens steg är klara: markera klar för beslut.")]


def test_ystad_abort_proposal_waits_for_management_then_decision_body(new_case, today):
    case, users = new_case("ystad")
    case = walk_to(case, S.ABORT_PROPOSED, users)
    before = waiting_for(fresh(case))

    case = complete_step_by_key(case, "abort", "abort_assessment", users["management"])

    assert before == [Waiting("management", "Steg: Bedömning av förslaget om avbrott.")]
    assert waiting_for(case) == [Waiting("decision_body", "Förslag om avbrott väntar på beslut.")]


def complete_step_by_key(case, stage, key, user):
    (step,) = [s for s in fresh(case).current_steps(stage) if s.key == key]
    complete_step(case, step.pk, user, outcome="positive")
    return fresh(case)


# ---- cases_waiting_for: the start page's list ----------------------------------------------------------


def titles(waiting):
    return [(case.title, reasons) for case, reasons in waiting]


def test_cases_waiting_for_preparer_lists_submitted_case(new_case):
    case, users = new_case("heby")
    walk_to(case, S.SUBMITTED, users)

    assert titles(cases_waiting_for(users["preparer"])) == [("Tidiga insatser för unga", ["Ny ansökan att bereda."])]


def test_cases_waiting_for_other_roles_lists_nothing(new_case):
    case, users = new_case("heby")
    walk_to(case, S.SUBMITTED, users)

    others = ["applicant", "management", "board", "decision_body", "controller", "municipal_admin"]
    assert {role: cases_waiting_for(users[role]) for role in others} == {role: [] for role in others}


def test_cases_waiting_for_applicant_lists_own_draft(new_case):
    _, users = new_case("heby")

    assert titles(cases_waiting_for(users["applicant"])) == [
        ("Tidiga insatser för unga", ["Ansökan är inte inlämnad."])
    ]


def test_cases_waiting_for_applicant_not_taking_part_lists_nothing(new_case):
    case, _ = new_case("heby")
    outsider = UserFactory(municipality=case.municipality, roles=["applicant"])

    assert cases_waiting_for(outsider) == []


def test_cases_waiting_for_preparer_of_another_municipality_lists_nothing(new_case, people):
    case, users = new_case("heby")
    walk_to(case, S.SUBMITTED, users)
    other = people("ale")

    assert cases_waiting_for(other["preparer"]) == []


def test_cases_waiting_for_leaves_out_closed_cases(new_case):
    case, users = new_case("heby")
    create_case(users["applicant"], title="Läxhjälp")
    walk_to(case, S.WITHDRAWN, users)

    assert titles(cases_waiting_for(users["applicant"])) == [("Läxhjälp", ["Ansökan är inte inlämnad."])]


def test_cases_waiting_for_oldest_change_first(new_case, time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")
    first, users = new_case("heby")
    second = create_case(users["applicant"], title="Läxhjälp")
    walk_to(second, S.SUBMITTED, users)
    time_machine.move_to("2026-09-16 10:00 +02:00")
    walk_to(first, S.SUBMITTED, users)

    assert titles(cases_waiting_for(users["preparer"])) == [
        ("Läxhjälp", ["Ny ansökan att bereda."]),
        ("Tidiga insatser för unga", ["Ny ansökan att bereda."]),
    ]


def test_cases_waiting_for_board_member_sees_only_their_namnds_step(ystad_in_preparation):
    case, users, unit = ystad_in_preparation
    case = complete(case, "processgruppen_kontrollerar", users["preparer"])
    case = complete(case, "klg_hanterar", users["management"])
    school_board = UserFactory(
        municipality=case.municipality, roles=["board"], unit=unit["Barn- och utbildningsnämnden"]
    )

    assert titles(cases_waiting_for(school_board)) == [
        (
            "Tidiga insatser för unga",
            ["Steg: Involverade nämnder och förvaltningsledningar lämnar synpunkter (Barn- och utbildningsnämnden)."],
        )
    ]


def queries_for_waiting_list(user):
    user = User.objects.get(pk=user.pk)  # roles not yet cached
    with CaptureQueriesContext(connection) as queries:
        waiting = cases_waiting_for(user)
    return len(waiting), len(queries)


def test_cases_waiting_for_fixed_number_of_queries(new_case, today):
    case, users = new_case("ystad")
    walk_to(case, S.IN_PREPARATION, users)
    one = queries_for_waiting_list(users["preparer"])
    for title in ["Läxhjälp", "Föräldrastöd", "Fritid"]:
        walk_to(create_case(users["applicant"], title=title), S.IN_PREPARATION, users)

    four = queries_for_waiting_list(users["preparer"])

    assert (one[0], four[0]) == (1, 4)
    assert four[1] == one[1]


# ---- Who sees a case ------------------------------------------------------------------------------------


def visible(user):
    return sorted(Case.objects.visible_to(user).values_list("title", flat=True))


@pytest.fixture
def two_municipalities(new_case, people):
    heby_case, heby = new_case("heby")
    ale_case, ale = new_case("ale", title="Ales insats")
    return heby_case, heby, ale_case, ale


def test_visible_to_staff_of_the_municipality(two_municipalities):
    _, heby, _, _ = two_municipalities

    roles = ["preparer", "management", "board", "decision_body", "controller", "municipal_admin"]
    assert {role: visible(heby[role]) for role in roles} == {role: ["Tidiga insatser för unga"] for role in roles}


def test_visible_to_never_shows_another_municipalitys_case(two_municipalities):
    _, heby, _, ale = two_municipalities

    assert (visible(heby["decision_body"]), visible(ale["decision_body"])) == (
        ["Tidiga insatser för unga"],
        ["Ales insats"],
    )


def test_visible_to_applicant_own_case(two_municipalities):
    _, heby, _, _ = two_municipalities

    assert visible(heby["applicant"]) == ["Tidiga insatser för unga"]


def test_visible_to_applicant_of_the_same_unit(two_municipalities):
    heby_case, _, _, _ = two_municipalities
    colleague = UserFactory(municipality=heby_case.municipality, roles=["applicant"], unit=heby_case.applicant_unit)

    assert visible(colleague) == ["Tidiga insatser för unga"]


def test_visible_to_applicant_of_a_partner_unit(two_municipalities):
    heby_case, heby, _, _ = two_municipalities
    fill_application(heby_case, heby["applicant"])
    partner_unit = fresh(heby_case).units.get()
    partner = UserFactory(municipality=heby_case.municipality, roles=["applicant"], unit=partner_unit)

    assert visible(partner) == ["Tidiga insatser för unga"]


def test_visible_to_applicant_of_an_unrelated_unit_sees_nothing(two_municipalities):
    heby_case, _, _, _ = two_municipalities
    unrelated = OrganisationalUnit.objects.get(municipality=heby_case.municipality, name="Socialnämnden")
    outsider = UserFactory(municipality=heby_case.municipality, roles=["applicant"], unit=unrelated)
    without_unit = UserFactory(municipality=heby_case.municipality, roles=["applicant"])

    assert (visible(outsider), visible(without_unit)) == ([], [])


def test_visible_to_system_admin_sees_all(two_municipalities):
    admin = UserFactory(municipality=None, is_superuser=True, is_staff=True)

    assert visible(admin) == ["Ales insats", "Tidiga insatser för unga"]


def test_visible_to_anonymous_sees_nothing(two_municipalities):
    assert list(Case.objects.visible_to(AnonymousUser())) == []
