"""Each transition of the case carries its details (label, who acts, stage, how it is taken) on its
``@transition(custom=...)``: the case page, the history and the services read them from there."""

import pytest
from django.urls import reverse

from applications.enums import CaseState as S
from applications.models import Case, TransitionDetails
from applications.rules import ACTION_ROLES
from applications.services.content import create_case
from demo.walk import walk_to
from municipalities.rulebook.presentation import STAGE_ORDER

# The order the case page offers the transitions in.
PAGE_ORDER = [
    "submit_idea",
    "start_idea_review",
    "approve_idea",
    "reject_idea",
    "start_application",
    "submit",
    "resubmit",
    "start_preparation",
    "return_for_completion",
    "mark_ready_for_decision",
    "grant",
    "reject",
    "begin_start",
    "start_project",
    "extend",
    "propose_abort",
    "abort",
    "continue_project",
    "submit_final_report",
    "evaluate",
    "implement",
    "implement_partly",
    "decline_implementation",
    "withdraw",
]


def model_transition_names():
    return {transition.name for transition in Case._meta.get_field("state").get_all_transitions(Case)}


def test_lifecycle_lists_every_transition_of_the_model_once_in_the_page_order():
    assert [details.name for details in Case.lifecycle()] == PAGE_ORDER
    assert set(PAGE_ORDER) == model_transition_names()


@pytest.mark.parametrize("name", sorted(model_transition_names()))
def test_transition_details_complete(name):
    details = Case.transition_details(name)

    assert isinstance(details, TransitionDetails)
    assert (
        bool(str(details.label).strip()),
        details.action in ACTION_ROLES,
        details.stage in STAGE_ORDER,
        details.style in ("primary", "secondary", "danger"),
        details.taken_by in ("", "decision", "content"),
        set(details.asks) <= {"new_end", "missing"},
    ) == (True, True, True, True, True, True)
    # A transition taken only by recording content says where that is done.
    assert details.taken_by != "content" or bool(str(details.taken_where))


def test_transition_details_of_unknown_name_none():
    assert Case.transition_details("approve_everything") is None


def test_decisions_and_content_taken_only_through_their_records():
    taken = {details.name: details.taken_by for details in Case.lifecycle() if details.taken_by}

    assert taken == {
        "grant": "decision",
        "reject": "decision",
        "extend": "decision",
        "abort": "decision",
        "continue_project": "decision",
        "implement": "decision",
        "implement_partly": "decision",
        "decline_implementation": "decision",
        "submit_final_report": "content",
    }


@pytest.mark.django_db
def test_case_page_shows_the_transitions_labels_in_order_and_the_history_names_them(client, people):
    users = people("heby")
    case = walk_to(create_case(users["applicant"], title="Läxhjälp"), S.SUBMITTED, users)
    client.force_login(users["preparer"])

    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()

    start, give_back = html.index(">Börja bereda</button>"), html.index(">Skicka tillbaka för komplettering</button>")
    assert start < give_back
    # The history names the submission by the transition's label.
    assert "– <strong>Lämna in ansökan</strong> (" in html.split('id="h-history"', 1)[1]
