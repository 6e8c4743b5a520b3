"""Step kinds from the rule set: an information step is only acknowledged (no "nej"), and an
optional step ("vid behov") can be done but never holds the stage back."""

import pytest
from django.urls import reverse

from applications.enums import CaseState as S
from applications.enums import StepStatus
from applications.models import Case
from applications.services import TransitionRefusedError, complete_step, run_transition
from audit.models import AuditEntry
from demo.walk import fill_idea, person_at, walk_to
from municipalities.rulebook.validation import ruleset_problems
from tests.conftest import shipped_document

pytestmark = pytest.mark.django_db
EXPERTISE = {"name": "Anna Forskare", "organisation": "Mittuniversitetet", "contribution": "Granskade metoden."}


def step_of(case, key):
    return next(step for step in Case.objects.get(pk=case.pk).steps.all() if step.key == key)


@pytest.fixture
def sundsvall_idea_in_review(new_case):
    """A Sundsvall idea under review, none of its steps done yet."""
    case, users = new_case("sundsvall")
    fill_idea(case, users["applicant"])
    run_transition(Case.objects.get(pk=case.pk), "submit_idea", users["applicant"])
    run_transition(Case.objects.get(pk=case.pk), "start_idea_review", users["preparer"])
    return Case.objects.get(pk=case.pk), users


def test_sundsvall_informing_ledningsgruppen_is_an_information_step(sundsvall_idea_in_review):
    case, _users = sundsvall_idea_in_review
    step = step_of(case, "ledningsgruppen_informeras")
    assert (step.kind, step.is_information, step.gate, step.optional) == ("information", True, False, False)
    assert step_of(case, "natverket_provar_iden").kind == "outcome"


def test_information_step_cannot_be_answered_nej_and_nothing_is_written(sundsvall_idea_in_review):
    case, users = sundsvall_idea_in_review
    complete_step(
        case,
        step_of(case, "natverket_provar_iden").pk,
        users["preparer"],
        outcome="positive",
        expertise=EXPERTISE,
    )
    step = step_of(case, "ledningsgruppen_informeras")
    entries = AuditEntry.objects.count()

    with pytest.raises(TransitionRefusedError) as refusal:
        complete_step(case, step.pk, users["preparer"], outcome="negative", comment="Nej")

    assert str(refusal.value) == (
        "Ledningsgruppen informeras om utfallet är ett informationssteg: det har inget nej och kan bara kvitteras."
    )
    assert step_of(case, "ledningsgruppen_informeras").status == StepStatus.PENDING
    assert AuditEntry.objects.count() == entries


def test_information_step_by_direct_post_with_nej_is_refused(client, sundsvall_idea_in_review):
    case, users = sundsvall_idea_in_review
    complete_step(
        case,
        step_of(case, "natverket_provar_iden").pk,
        users["preparer"],
        outcome="positive",
        expertise=EXPERTISE,
    )
    step = step_of(case, "ledningsgruppen_informeras")
    client.force_login(users["preparer"])

    response = client.post(reverse("applications:step", args=[case.pk, step.pk]), {"outcome": "negative"}, follow=True)

    assert "det har inget nej och kan bara kvitteras" in response.content.decode()
    assert step_of(case, "ledningsgruppen_informeras").status == StepStatus.PENDING


def test_information_step_page_offers_no_nej_and_acknowledging_is_recorded(client, sundsvall_idea_in_review):
    case, users = sundsvall_idea_in_review
    complete_step(
        case,
        step_of(case, "natverket_provar_iden").pk,
        users["preparer"],
        outcome="positive",
        expertise=EXPERTISE,
    )
    step = step_of(case, "ledningsgruppen_informeras")
    client.force_login(users["preparer"])

    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    form = html[html.index(reverse("applications:step", args=[case.pk, step.pk])) :]
    form = form[: form.index("</form>")]
    assert 'value="negative"' not in form
    assert "Kvittera att informationen är lämnad" in form

    html = client.post(
        reverse("applications:step", args=[case.pk, step.pk]), {"outcome": "positive"}, follow=True
    ).content.decode()

    assert step_of(case, "ledningsgruppen_informeras").status == StepStatus.DONE
    assert "✓ informerad" in html
    assert "Ledningsgruppen informeras om utfallet (informerad)" in html
    entry = AuditEntry.objects.for_object(case).filter(action="case.step").order_by("id").last()
    assert entry.data["kind"] == "information"


@pytest.fixture
def ale_in_preparation(new_case):
    case, users = new_case("ale")
    case = walk_to(case, S.SUBMITTED, users)
    run_transition(case, "start_preparation", users["preparer"])
    return Case.objects.get(pk=case.pk), users


def _complete_all_but(case, users, skipped):
    for step in Case.objects.get(pk=case.pk).current_steps("preparation"):
        if step.key != skipped:
            complete_step(case, step.pk, person_at(case, step.actor_role, step.unit_id, users), outcome="positive")


def test_ale_controller_step_is_optional_and_never_blocks(ale_in_preparation):
    case, users = ale_in_preparation
    controller = step_of(case, "komplettera_kalkyler")
    assert (controller.optional, controller.gate) == (True, False)

    _complete_all_but(case, users, "komplettera_kalkyler")
    case = run_transition(Case.objects.get(pk=case.pk), "mark_ready_for_decision", users["preparer"])

    assert Case.objects.get(pk=case.pk).state == S.READY_FOR_DECISION
    assert step_of(case, "komplettera_kalkyler").status == StepStatus.PENDING


def test_ale_later_step_is_not_held_back_by_the_optional_controller_step(ale_in_preparation):
    case, users = ale_in_preparation
    for key in ("aterkoppling", "forsta_mote", "plan_for_processen"):
        step = step_of(case, key)
        complete_step(case, step.pk, users[step.actor_role], outcome="positive")

    done = complete_step(
        case, step_of(case, "forvaltningsledningens_bedomning").pk, users["management"], outcome="positive"
    )

    assert done.status == StepStatus.DONE


def test_ale_optional_step_can_still_be_done_and_page_marks_it(client, ale_in_preparation):
    case, users = ale_in_preparation
    for key in ("aterkoppling", "forsta_mote"):
        complete_step(case, step_of(case, key).pk, users["preparer"], outcome="positive")
    client.force_login(users["controller"])

    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "vid behov – valfritt" in html
    assert "valfritt, inte gjort" in html

    complete_step(
        case,
        step_of(case, "komplettera_kalkyler").pk,
        users["controller"],
        outcome="positive",
        comment="Kalkylen kompletterad.",
    )
    assert step_of(case, "komplettera_kalkyler").status == StepStatus.DONE


def test_ale_required_step_still_blocks(ale_in_preparation):
    case, users = ale_in_preparation
    _complete_all_but(case, users, "forvaltningsledningens_bedomning")

    with pytest.raises(TransitionRefusedError) as refusal:
        run_transition(Case.objects.get(pk=case.pk), "mark_ready_for_decision", users["preparer"])

    assert "Förvaltningsledningen bedömer insatsen" in str(refusal.value)
    assert "Komplettering av kostnads" not in str(refusal.value)
    assert Case.objects.get(pk=case.pk).state == S.IN_PREPARATION


def _problems(document):
    return [(p.path, p.message) for p in ruleset_problems(document)]


def test_rule_set_with_an_information_step_that_is_a_gate_is_refused():
    document = shipped_document("sundsvall")
    document["stages"]["idea"]["steps"][1]["gate"] = True
    assert _problems(document) == [
        ("stages.idea.steps[1].gate", "ett informationssteg har inget nej och kan inte vara en grind")
    ]


def test_rule_set_with_an_optional_gate_is_refused():
    document = shipped_document("ale")
    document["stages"]["preparation"]["steps"][3]["gate"] = True
    assert _problems(document) == [
        ("stages.preparation.steps[3].gate", "ett valfritt steg hindrar aldrig och kan inte vara en grind")
    ]


def test_rule_set_with_an_unknown_step_kind_is_refused():
    document = shipped_document("ale")
    document["stages"]["preparation"]["steps"][0]["kind"] = "vote"
    assert [path for path, _message in _problems(document)] == ["stages.preparation.steps[0].kind"]


def test_rule_set_page_marks_information_and_optional_steps(client, member):
    from accounts.enums import Role

    client.force_login(member("sundsvall", Role.APPLICANT))
    html = client.get(reverse("municipalities:ruleset", args=["sundsvall"])).content.decode()
    assert "Ledningsgruppen informeras om utfallet – information, kvitteras utan ja eller nej" in html
    client.force_login(member("ale", Role.APPLICANT))
    html = client.get(reverse("municipalities:ruleset", args=["ale"])).content.decode()
    assert "(vid behov) – vid behov (valfritt), hindrar aldrig ärendet" in html
