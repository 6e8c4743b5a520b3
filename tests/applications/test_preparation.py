"""Signatures the rule sets ask for, the completeness return with its list, and what changed
between two submissions."""

import pytest
from django.urls import reverse

from applications.enums import CaseState as S
from applications.models import Case
from applications.services import TransitionRefusedError
from applications.services.content import save_case
from applications.services.lifecycle import run_transition
from applications.services.signing import sign
from applications.services.steps import complete_step
from applications.signatures import missing_signatures, required_signatures
from applications.snapshots import changes_between, word_diff
from audit.models import AuditEntry
from demo.walk import person_at, sign_for, walk_to
from municipalities.models import OrganisationalUnit
from notifications.models import Notification
from tests.applications.conftest import filled_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


def head_of(case, unit_id):
    """The unit's designated head, who signs for it."""
    return OrganisationalUnit.objects.get(pk=unit_id, municipality=case.municipality).head


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("heby", []),
        ("sundsvall", []),
        ("ale", [("unit", "before_submission"), ("unit", "before_submission")]),
        # The applicant's nämnd and the partner verksamhet both belong to Barn- och
        # utbildningsförvaltningen: its förvaltningschef signs once (seed 003, Steg 3).
        ("ystad", [("unit", "in_preparation"), ("actor", "in_preparation")]),
        ("norrkoping", [("unit", "before_submission")]),
    ],
)
def test_required_signatures_follow_the_rule_set(new_case, today, slug, expected):
    case, _users = filled_draft(new_case, slug)

    assert [(r.key.split(":")[0], r.when) for r in required_signatures(case)] == expected


def test_ale_cannot_submit_until_every_sector_head_signed(new_case, today):
    case, users = filled_draft(new_case, "ale")
    first, second = required_signatures(case)
    sign(case, first.key, head_of(case, first.unit_id))

    with pytest.raises(TransitionRefusedError) as refusal:
        run_transition(case, "submit", users["applicant"])

    assert str(refusal.value) == (f"Det saknas eller är fel i 1 fält: Underskrift saknas från: {second.signed_for}.")
    sign(case, second.key, head_of(case, second.unit_id))
    assert run_transition(case, "submit", users["applicant"]).state == S.SUBMITTED


def test_signature_records_signer_capacity_time_and_fingerprint(new_case, today):
    case, _users = filled_draft(new_case, "norrkoping")
    [requirement] = required_signatures(case)
    head = head_of(case, requirement.unit_id)

    signature = sign(case, requirement.key, head)

    assert (signature.signer, signature.signer_capacity, len(signature.fingerprint)) == (
        head,
        f"kontorschef för {requirement.signed_for}",
        64,
    )
    entry = AuditEntry.objects.for_object(case).get(action="case.signed")
    assert entry.data["fingerprint"] == signature.fingerprint


def test_signature_by_someone_without_the_role_or_of_another_unit_is_refused(new_case, today):
    case, users = filled_draft(new_case, "ale")
    first, second = required_signatures(case)

    with pytest.raises(TransitionRefusedError) as by_preparer:
        sign(case, first.key, users["preparer"])
    with pytest.raises(TransitionRefusedError) as by_other_head:
        sign(case, second.key, head_of(case, first.unit_id))
    with pytest.raises(TransitionRefusedError) as by_applicant:
        sign(case, first.key, users["applicant"])

    assert str(by_preparer.value) == (
        f"Bara sektorschef för {first.signed_for} (Chef {first.signed_for}) eller en utsedd ersättare kan skriva under."
    )
    assert str(by_other_head.value) == (
        f"Bara sektorschef för {second.signed_for} (Chef {second.signed_for}) "
        "eller en utsedd ersättare kan skriva under."
    )
    assert str(by_applicant.value) == str(by_preparer.value)
    assert case.signatures.count() == 0


def test_editing_after_signing_voids_the_signature_visibly(new_case, today, client):
    case, users = filled_draft(new_case, "ale")
    first, _second = required_signatures(case)
    head = head_of(case, first.unit_id)
    sign(case, first.key, head)

    save_case(case, users["applicant"], fields={"title": "Nytt namn"})

    signature = case.signatures.get()
    assert (signature.voided_at is not None, signature.void_reason) == (
        True,
        "Ansökan ändrades efter underskriften: innehållet.",
    )
    assert [r.key for r in missing_signatures(case)] == [r.key for r in required_signatures(case)]
    client.force_login(users["applicant"])
    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "<strong>ogiltig</strong>: Ansökan ändrades efter underskriften: innehållet." in html


def test_saving_unchanged_content_keeps_the_signature(new_case, today):
    case, users = filled_draft(new_case, "ale")
    first, _second = required_signatures(case)
    sign(case, first.key, head_of(case, first.unit_id))

    save_case(case, users["applicant"], fields={"title": case.title})

    assert case.signatures.get().voided_at is None


def ystad_at_the_signing_step(new_case, *, sign_first=False):
    """A Ystad case in preparation with every step before the heads' signing step done; with
    ``sign_first`` the head has signed before the nämnder's step was done."""
    case, users = new_case("ystad")
    case = walk_to(case, S.IN_PREPARATION, users)
    sign_step = next(s for s in case.current_steps("preparation") if s.action == "sign")
    head = head_of(case, sign_step.unit_id)
    if sign_first:
        sign(case, f"unit:{sign_step.unit_id}", head)
    for step in case.current_steps("preparation"):
        if step.group < sign_step.group:
            actor = person_at(case, step.actor_role, step.unit_id, users)  # a nämnd's step: its own representative
            complete_step(case, step.pk, actor, outcome="positive")
    return Case.objects.get(pk=case.pk), sign_step, head


def test_ystad_heads_signature_is_the_units_approval_step(new_case, today):
    """Seed 003, Steg 3: "Ansökan undertecknas och godkänns av berörda förvaltningschefer": one
    act. The head's signature does the unit's step, in the head's name."""
    case, sign_step, head = ystad_at_the_signing_step(new_case)

    with pytest.raises(TransitionRefusedError) as refusal:
        complete_step(case, sign_step.pk, head, outcome="positive")
    sign(case, f"unit:{sign_step.unit_id}", head)

    assert str(refusal.value) == (
        f"Godkännandet för {sign_step.unit.name} ges genom underskriften under Underskrifter; "
        "här registreras bara ett nej."
    )
    sign_step.refresh_from_db()
    assert (sign_step.status, sign_step.outcome, sign_step.done_by, sign_step.comment) == (
        "done",
        "positive",
        head,
        "Godkänd genom underskriften 2026-09-15 10:00.",
    )
    entry = AuditEntry.objects.filter(action="case.step").latest("pk")
    assert (entry.actor, entry.data["step"], entry.data["outcome"]) == (head, str(sign_step), "positive")


def test_ystad_signature_given_early_approves_when_the_step_comes(new_case, today):
    """A head who signed while the nämnder were still commenting has approved: the step is done,
    in the head's name, once the steps before it are."""
    _case, sign_step, head = ystad_at_the_signing_step(new_case, sign_first=True)

    sign_step.refresh_from_db()

    assert (sign_step.status, sign_step.done_by, sign_step.comment) == (
        "done",
        head,
        "Godkänd genom underskriften 2026-09-15 10:00.",
    )


def test_ystad_signature_before_its_turn_leaves_the_step_pending(new_case, today):
    case, users = new_case("ystad")
    case = walk_to(case, S.IN_PREPARATION, users)
    sign_step = next(s for s in case.current_steps("preparation") if s.action == "sign")

    sign(case, f"unit:{sign_step.unit_id}", head_of(case, sign_step.unit_id))

    sign_step.refresh_from_db()
    assert sign_step.status == "pending"


def test_ystad_head_who_does_not_approve_answers_nej_without_signing(new_case, today):
    case, sign_step, head = ystad_at_the_signing_step(new_case)

    declined = complete_step(case, sign_step.pk, head, outcome="negative", comment="Förvaltningen står inte bakom.")

    assert (declined.status, declined.done_by) == ("declined", head)
    assert not case.signatures.exists()


def test_ystad_signing_step_form_offers_only_a_nej_and_the_history_reads_as_swedish(client, new_case, today):
    case, sign_step, head = ystad_at_the_signing_step(new_case)
    client.force_login(head)
    page = reverse("applications:detail", args=[case.pk])

    before = client.get(page).content.decode()
    sign(case, f"unit:{sign_step.unit_id}", head)
    after = client.get(page).content.decode()

    form = before[before.index(f'action="/arenden/{case.pk}/steg/{sign_step.pk}/"') :].split("</form>")[0]
    assert 'value="negative"' in form
    assert 'value="positive"' not in form
    assert "Chefen godkänner ansökan genom att skriva under den under Underskrifter" in form
    # No space before the colon: "Steg genomfört: …", as Swedish is written.
    assert f"<strong>Steg genomfört</strong>: {sign_step} (ja) – {head}: <q>Godkänd genom underskriften" in after


def test_return_for_completion_lists_what_is_missing_and_notifies(new_case, today, client):
    case, users = new_case("heby")
    case = walk_to(case, S.IN_PREPARATION, users)
    section = case.rules.application.sections[2].title

    case = run_transition(
        case, "return_for_completion", users["preparer"], reason="Komplettera målgruppen.", missing=[section]
    )

    assert case.completion_request["missing"] == [section]
    notification = Notification.objects.get(recipient=users["applicant"])
    assert notification.text == f"{case} behöver kompletteras: {section}"
    client.force_login(users["applicant"])
    html = client.get(reverse("applications:edit", args=[case.pk])).content.decode()
    assert "Begärd komplettering" in html
    assert f"<li>{section}</li>" in html


def test_return_through_the_page_accepts_only_known_parts(new_case, today, client):
    case, users = new_case("heby")
    case = walk_to(case, S.SUBMITTED, users)
    section = case.rules.application.sections[0].title
    client.force_login(users["preparer"])

    client.post(
        reverse("applications:transition", args=[case.pk, "return_for_completion"]),
        {"expected_state": "submitted", "reason": "Se listan.", "missing": [section, "<påhittat>"]},
    )

    assert Case.objects.get(pk=case.pk).completion_request["missing"] == [section]


def test_resubmission_shows_what_changed(new_case, today, client):
    case, users = new_case("heby")
    case = walk_to(case, S.IN_PREPARATION, users)
    section = case.rules.application.sections[0]
    case = run_transition(case, "return_for_completion", users["preparer"], reason="Mer.", missing=[section.title])
    sections = dict(case.sections, **{section.key: "Helt ny <b>text</b> om problemet."})
    save_case(case, users["applicant"], fields={"sections": sections})
    run_transition(case, "resubmit", users["applicant"])

    client.force_login(users["preparer"])
    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()

    assert "Ändringar sedan förra inlämningen" in html
    assert "<ins>Helt ny &lt;b&gt;text&lt;/b&gt; om problemet.</ins>" in html
    assert Case.objects.get(pk=case.pk).completion_request == {}


def test_word_diff_marks_removed_and_added_words():
    assert word_diff("tre barn i skolan", "fyra barn i förskolan") == (
        "<del>tre</del> <ins>fyra</ins> barn i <del>skolan</del> <ins>förskolan</ins>"
    )


def test_changes_between_lists_only_changed_parts():
    old = [["Namn", "A"], ["Metod", "samma"]]
    new = [["Namn", "B"], ["Metod", "samma"]]
    assert [(label, str(diff)) for label, diff in changes_between(old, new)] == [("Namn", "<del>A</del> <ins>B</ins>")]


def test_walk_signs_where_the_rule_set_asks(new_case, today):
    case, users = filled_draft(new_case, "norrkoping")
    sign_for(case, users, when="before_submission")
    assert missing_signatures(case) == []


def test_applicant_asks_the_other_heads_to_sign(new_case, today):
    case, users = filled_draft(new_case, "ale")
    first, second = required_signatures(case)
    from applications.services.signing import request_signatures

    asked = request_signatures(case, users["applicant"])

    assert asked == [head_of(case, first.unit_id), head_of(case, second.unit_id)]
    notification = Notification.objects.get(recipient=asked[1])
    assert (notification.kind, notification.text) == (
        "signature_requested",
        f"{users['applicant']} ber dig skriva under ansökan {case} för {second.signed_for}.",
    )


def test_signature_from_another_municipality_or_after_decision_is_refused(new_case, people, today):
    case, users = filled_draft(new_case, "norrkoping")
    [requirement] = required_signatures(case)
    heby = people("heby")
    with pytest.raises(TransitionRefusedError, match=r"eller en utsedd ersättare kan skriva under\."):
        sign(case, requirement.key, heby["applicant"])

    sign_for(case, users, when="before_submission")
    case = walk_to(Case.objects.get(pk=case.pk), S.GRANTED, users)
    case.signatures.update(voided_at="2026-09-15T10:00:00+02:00")  # as if an earlier text had been signed
    with pytest.raises(TransitionRefusedError, match=r"Ansökan kan inte skrivas under när ärendet är beviljat\."):
        sign(case, requirement.key, head_of(case, requirement.unit_id))
