"""Who sets the priority order is rule-set data (review.prioritised_by): in Ystad
kommunledningsgruppen prioritises among the applications (seed 003, Steg 3), not the process
group; elsewhere the preparing group does."""

import pytest
from django.urls import reverse

from applications.enums import CaseState
from applications.services import create_case
from audit.models import AuditEntry
from demo.walk import walk_to
from municipalities.rulebook import RuleBook
from municipalities.rulebook.validation import ruleset_problems
from reviews.models import PriorityProposal
from reviews.services import ReviewRefusedError, record_proposal
from tests.conftest import SLUGS, shipped_document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", SLUGS)
def test_each_rule_set_names_who_prioritises(slug):
    expected = {"ystad": "management"}.get(slug, "preparer")
    assert RuleBook.of(shipped_document(slug)).prioritisation_role == expected


@pytest.fixture
def ystad_ready(people):
    users = people("ystad")
    case = walk_to(create_case(users["applicant"], title="Närvaroteam"), CaseState.READY_FOR_DECISION, users)
    return users, case


def test_ystad_process_group_is_refused_the_priority_order_and_nothing_is_stored(client, ystad_ready):
    users, case = ystad_ready
    url = reverse("reviews:round", args=[case.decision_round_id])
    entries = AuditEntry.objects.count()

    with pytest.raises(ReviewRefusedError) as refusal:
        record_proposal(users["preparer"], case.municipality, case.decision_round, ranks={case.pk: 1})
    assert str(refusal.value) == "Bara Kommunledningsgruppen (KLG) kan spara ett prioriteringsförslag."

    client.force_login(users["preparer"])
    page = client.get(url).content.decode()
    assert "Närvaroteam" in page
    assert "Spara förslag" not in page
    assert "Kommunledningsgruppen (KLG) ordnar ärendena" in page
    html = client.post(url, {"action": "proposal", f"rank_{case.pk}": "1"}, follow=True).content.decode()
    assert "Bara Kommunledningsgruppen (KLG) kan spara ett prioriteringsförslag." in html
    assert not PriorityProposal.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_ystad_kommunledningsgruppen_sets_the_priority_order(client, ystad_ready):
    users, case = ystad_ready
    url = reverse("reviews:round", args=[case.decision_round_id])
    client.force_login(users["management"])
    assert "Spara förslag" in client.get(url).content.decode()

    client.post(url, {"action": "proposal", f"rank_{case.pk}": "1", "note": "KLG:s ordning."})

    proposal = PriorityProposal.objects.get()
    assert (proposal.case_ids, proposal.created_by, proposal.note) == ([case.pk], users["management"], "KLG:s ordning.")
    entry = AuditEntry.objects.get(action="priority.proposal")
    assert entry.actor == users["management"]


def test_heby_preparing_group_still_prioritises(people):
    users = people("heby")
    case = walk_to(create_case(users["applicant"], title="Läxhjälp"), CaseState.READY_FOR_DECISION, users)
    with pytest.raises(ReviewRefusedError, match="Bara Styrgruppen för barn och unga kan spara"):
        record_proposal(users["management"], case.municipality, case.decision_round, ranks={case.pk: 1})

    proposal = record_proposal(users["preparer"], case.municipality, case.decision_round, ranks={case.pk: 1})

    assert proposal.created_by == users["preparer"]


def test_rule_set_naming_an_unnamed_body_as_prioritiser_is_refused():
    document = shipped_document("norrkoping")
    document["review"]["prioritised_by"]["role"] = "management"
    assert [(p.path, p.message) for p in ruleset_problems(document)] == [
        ("review.prioritised_by.role", "rollen management har inget namn under bodies")
    ]


def test_ystad_rule_set_page_names_kommunledningsgruppen_as_prioritiser(client, member):
    from accounts.enums import Role

    client.force_login(member("ystad", Role.APPLICANT))
    html = client.get(reverse("municipalities:ruleset", args=["ystad"])).content.decode()
    assert (
        "Prioriterar bland ansökningar som är klara för beslut: <strong>Kommunledningsgruppen (KLG)</strong> "
        '<span class="cite">(Steg 3 – Beredning och beslut)</span>'
    ) in html
