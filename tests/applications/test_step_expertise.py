"""Sundsvall's strategic network reviews an idea in close cooperation with scientific expertise
(seed 002, 3.2): the step records who was consulted and what they contributed."""

import html as html_lib

import pytest
from django.urls import reverse

from applications.enums import CaseState as S
from applications.enums import StepStatus
from applications.models import Case
from applications.services.lifecycle import run_transition
from applications.services.steps import StepRefusedError, complete_step
from audit.models import AuditEntry
from demo.walk import fill_idea
from tests.conftest import shipped_document

pytestmark = pytest.mark.django_db
EXPERTISE = {
    "name": "Anna Forskare",
    "organisation": "Mittuniversitetet",
    "contribution": "Bedömde att metoden har stöd i kontrollerade studier.",
}


@pytest.fixture
def idea_in_review(new_case):
    case, users = new_case("sundsvall")
    fill_idea(case, users["applicant"])
    run_transition(Case.objects.get(pk=case.pk), "submit_idea", users["applicant"])
    run_transition(Case.objects.get(pk=case.pk), "start_idea_review", users["preparer"])
    case = Case.objects.get(pk=case.pk)
    return case, users, case.steps.get(key="natverket_provar_iden")


def test_the_rule_set_asks_the_idea_review_and_preparation_to_record_the_expertise():
    steps = shipped_document("sundsvall")["stages"]
    assert [s.get("expertise") for s in steps["idea"]["steps"]] == ["required", None]
    assert [s.get("expertise") for s in steps["preparation"]["steps"]] == [None, "required"]


def test_idea_review_records_the_expertise_shown_on_the_case_page_and_in_the_history(client, idea_in_review):
    case, users, step = idea_in_review

    complete_step(case, step.pk, users["preparer"], outcome="positive", comment="Idén bifalls.", expertise=EXPERTISE)

    step.refresh_from_db()
    assert (step.status, step.expertise_name, step.expertise_organisation, step.expertise_contribution) == (
        StepStatus.DONE,
        "Anna Forskare",
        "Mittuniversitetet",
        "Bedömde att metoden har stöd i kontrollerade studier.",
    )
    entry = AuditEntry.objects.for_object(case).filter(action="case.step").get()
    assert entry.data["expertise"] == EXPERTISE
    client.force_login(users["preparer"])
    page = html_lib.unescape(client.get(reverse("applications:detail", args=[case.pk])).content.decode())
    assert "Anna Forskare, Mittuniversitetet: Bedömde att metoden har stöd i kontrollerade studier." in page
    assert (
        "Idéprövning i strategiskt verksamhetsnätverk (ja) – anlitad expertis: Anna Forskare, Mittuniversitetet" in page
    )
    # The step follows the history entry's description straight after its colon.
    assert "<strong>Steg genomfört</strong>: Idéprövning i strategiskt verksamhetsnätverk (ja)" in page


@pytest.mark.parametrize(
    ("expertise", "field", "message"),
    [
        (
            None,
            "expertise_name",
            "Ange vilken expertis som anlitades i steget Idéprövning i strategiskt verksamhetsnätverk.",
        ),
        (
            {"name": "Anna Forskare", "organisation": "", "contribution": " "},
            "expertise_contribution",
            "Beskriv vad expertisen bidrog med i steget Idéprövning i strategiskt verksamhetsnätverk.",
        ),
    ],
)
def test_idea_review_without_the_expertise_is_refused_and_nothing_is_written(idea_in_review, expertise, field, message):
    case, users, step = idea_in_review
    entries = AuditEntry.objects.count()

    with pytest.raises(StepRefusedError) as refusal:
        complete_step(case, step.pk, users["preparer"], outcome="positive", expertise=expertise)

    assert (str(refusal.value), refusal.value.field) == (message, field)
    step.refresh_from_db()
    assert (step.status, step.expertise_name) == (StepStatus.PENDING, "")
    assert AuditEntry.objects.count() == entries


def test_refused_step_form_shows_the_error_by_the_field_and_keeps_what_was_typed(client, idea_in_review):
    case, users, step = idea_in_review
    client.force_login(users["preparer"])

    response = client.post(
        reverse("applications:step", args=[case.pk, step.pk]),
        {
            "outcome": "positive",
            "comment": "Idén bifalls.",
            "expertise_name": "",
            "expertise_organisation": "Mittuniversitetet",
            "expertise_contribution": "Metoden har stöd.",
        },
    )

    assert response.status_code == 200
    page = html_lib.unescape(response.content.decode())
    form = page[page.index(f'action="{reverse("applications:step", args=[case.pk, step.pk])}"') :]
    form = form[: form.index("</form>")]
    name_field = form[form.index('name="expertise_name"') :]
    assert 'is-invalid" type="text"' in form
    assert "Ange vilken expertis som anlitades" in name_field[: name_field.index("</div>")]
    assert 'value="Mittuniversitetet"' in form
    assert ">Metoden har stöd.</textarea>" in form
    assert ">Idén bifalls.</textarea>" in form
    assert f'value="positive" id="pos-{step.pk}" required checked>' in form
    assert Case.objects.get(pk=case.pk).steps.get(pk=step.pk).status == StepStatus.PENDING


def test_step_without_an_expertise_rule_records_none(new_case):
    case, users = new_case("sundsvall")
    fill_idea(case, users["applicant"])
    run_transition(Case.objects.get(pk=case.pk), "submit_idea", users["applicant"])
    run_transition(Case.objects.get(pk=case.pk), "start_idea_review", users["preparer"])
    case = Case.objects.get(pk=case.pk)
    informed = case.steps.get(key="ledningsgruppen_informeras")

    assert (informed.records_expertise, case.steps.get(key="natverket_provar_iden").expertise_rule) == (
        False,
        "required",
    )


def test_walk_records_expertise_where_required(new_case):
    from demo.walk import walk_to

    case, users = new_case("sundsvall")
    case = walk_to(case, S.IDEA_APPROVED, users)

    step = Case.objects.get(pk=case.pk).steps.get(key="natverket_provar_iden")
    assert step.status == StepStatus.DONE
    assert step.expertise_name
