"""Words the system puts together: a state in a sentence agrees with what it is said of, and what
the system names itself (the upload help, the steps it derives) is translated where it is shown."""

import pytest
from django.urls import reverse
from django.utils import translation

from applications.enums import STATE_CLAUSE, STATE_NOW, CaseState
from applications.forms import AttachmentForm, PaperSignatureForm
from applications.models import Case, CaseStep
from applications.services.content import create_case
from demo.walk import walk_to
from discussion.forms import CommentForm

pytestmark = pytest.mark.django_db


def test_every_state_has_its_sentence_and_its_clause():
    assert set(STATE_NOW) == set(STATE_CLAUSE) == set(CaseState)
    assert (str(STATE_NOW[CaseState.GRANTED]), str(STATE_CLAUSE[CaseState.RUNNING])) == (
        "Ärendet är nu beviljat.",
        "projektet pågår",
    )
    with translation.override("en"):
        assert (str(STATE_NOW[CaseState.GRANTED]), str(STATE_CLAUSE[CaseState.RUNNING])) == (
            "The case has now been granted.",
            "the project is running",
        )


@pytest.mark.parametrize(
    ("language", "message"),
    [("sv", "Klart. Ärendet bereds nu."), ("en", "Done. The case is now being prepared.")],
)
def test_after_a_transition_the_page_says_where_the_case_now_is_in_a_whole_sentence(client, people, language, message):
    users = people("heby")
    case = walk_to(create_case(users["applicant"], title="Närvaro"), CaseState.SUBMITTED, users)
    client.force_login(users["preparer"])
    client.post(reverse("set_language"), {"language": language, "next": "/"})

    response = client.post(
        reverse("applications:transition", args=[case.pk, "start_preparation"]),
        {"expected_state": "submitted"},
        follow=True,
    )

    assert Case.objects.get(pk=case.pk).state == CaseState.IN_PREPARATION
    assert message in response.content.decode()


def test_a_refusal_names_the_state_in_a_sentence_that_agrees(people):
    from applications.selectors import may_complete_step

    users = people("heby")
    case = walk_to(create_case(users["applicant"], title="Närvaro"), CaseState.READY_FOR_DECISION, users)
    step = case.steps.filter(stage="preparation").first()

    allowed, reason = may_complete_step(step, users[step.actor_role])

    assert (allowed, reason) == (False, "Steget kan inte göras när ärendet är klart för beslut.")


def test_upload_help_texts_are_translated_where_they_are_shown(settings):
    settings.MAX_UPLOAD_MB = 7
    with translation.override("en"):
        texts = [
            str(AttachmentForm().fields["file"].help_text),
            str(CommentForm().fields["files"].help_text),
            str(PaperSignatureForm(actor_id=1).fields["document"].help_text),
        ]
    assert texts == [
        "PDF, Word or Excel, no more than 7 MB.",
        "PDF, Word or Excel, no more than 7 MB per file.",
        "PDF, no more than 7 MB.",
    ]
    assert str(AttachmentForm().fields["file"].help_text) == "PDF, Word eller Excel, högst 7 MB."


def test_a_step_the_rule_book_derives_is_translated_and_a_rule_sets_own_step_is_not():
    derived, own = CaseStep(name="Projektplan upprättad"), CaseStep(name="Styrgruppen för barn och unga bereder")
    with translation.override("en"):
        assert (derived.display_name, str(own)) == ("Project plan drawn up", "Styrgruppen för barn och unga bereder")
    assert derived.display_name == "Projektplan upprättad"
