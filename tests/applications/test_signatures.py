"""Signatures prove who signed: a unit is signed for only by its designated head or a named
deputy; a partner's signature is recorded from paper, marked so; any change voids them all."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Case, CaseAttachment, Signature
from applications.services import TransitionRefusedError
from applications.services.content import add_attachment, remove_attachment, save_case
from applications.services.signing import record_paper_signature, request_signatures, sign
from applications.signatures import missing_signatures, required_signatures
from audit.models import AuditEntry
from municipalities.models import OrganisationalUnit
from notifications.models import Notification
from tests.applications.conftest import filled_draft
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


def unit_of(requirement):
    return OrganisationalUnit.objects.get(pk=requirement.unit_id)


def pdf(name="undertecknad.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def nothing_signed(case):
    return (
        case.signatures.count(),
        AuditEntry.objects.for_object(case).filter(action__in=["case.signed", "case.signed_on_paper"]).count(),
    ) == (0, 0)


# ---- Who signs for a unit ---------------------------------------------------------------------------


def test_the_designated_head_signs_with_the_rule_sets_title(new_case, today):
    case, _users = filled_draft(new_case, "ale")
    first, _second = required_signatures(case)
    head = unit_of(first).head

    signature = sign(case, first.key, head)

    assert (signature.signer, signature.signer_capacity) == (head, f"sektorschef för {first.signed_for}")


def test_a_named_deputy_signs_in_the_heads_place(new_case, today):
    case, _users = filled_draft(new_case, "ale")
    first, _second = required_signatures(case)
    unit = unit_of(first)
    deputy = UserFactory(municipality=case.municipality, full_name="Dora Deputy")
    unit.deputies.add(deputy)

    signature = sign(case, first.key, deputy)

    assert (signature.signer, signature.signer_capacity) == (
        deputy,
        f"ersättare för sektorschefen för {first.signed_for}",
    )
    assert first.key not in {r.key for r in missing_signatures(case)}


@pytest.mark.parametrize("who", ["colleague_same_unit", "applicant", "head_of_other_unit", "other_municipality"])
def test_anyone_but_the_head_or_deputy_is_refused_and_nothing_written(new_case, people, today, who):
    case, users = filled_draft(new_case, "ale")
    first, second = required_signatures(case)
    signer = {
        "colleague_same_unit": lambda: UserFactory(municipality=case.municipality, unit=unit_of(first)),
        "applicant": lambda: users["applicant"],
        "head_of_other_unit": lambda: unit_of(second).head,
        "other_municipality": lambda: people("heby")["applicant"],
    }[who]()

    with pytest.raises(TransitionRefusedError) as refusal:
        sign(case, first.key, signer)

    assert str(refusal.value) == (
        f"Bara sektorschef för {first.signed_for} (Chef {first.signed_for}) eller en utsedd ersättare kan skriva under."
    )
    assert nothing_signed(case)


@pytest.mark.parametrize("who", ["colleague_same_unit", "applicant", "head_of_other_unit", "other_municipality"])
def test_a_direct_post_to_the_signing_url_by_anyone_else_writes_nothing(new_case, people, client, today, who):
    case, users = filled_draft(new_case, "ale")
    first, second = required_signatures(case)
    signer = {
        "colleague_same_unit": lambda: UserFactory(
            municipality=case.municipality, unit=unit_of(first), roles=["applicant"]
        ),
        "applicant": lambda: users["applicant"],
        "head_of_other_unit": lambda: unit_of(second).head,
        "other_municipality": lambda: people("heby")["applicant"],
    }[who]()
    client.force_login(signer)

    response = client.post(reverse("applications:sign", args=[case.pk]), {"requirement": first.key}, follow=True)

    if who == "other_municipality":
        assert response.status_code == 404  # another tenant's case is not found
    else:
        assert "eller en utsedd ersättare kan skriva under." in response.content.decode()
    assert nothing_signed(case)


def test_the_heads_post_to_the_signing_url_signs(new_case, client, today):
    case, _users = filled_draft(new_case, "ale")
    first, _second = required_signatures(case)
    head = unit_of(first).head
    client.force_login(head)

    response = client.post(reverse("applications:sign", args=[case.pk]), {"requirement": first.key}, follow=True)

    html = response.content.decode()
    assert f"Du har skrivit under för {first.signed_for}." in html
    assert f"{head}, sektorschef för {first.signed_for}" in html
    assert case.signatures.get().signer == head


def test_a_deputy_without_role_or_unit_sees_and_signs_for_the_forvaltning_above_the_verksamhet(new_case, client, today):
    case, users = filled_draft(new_case, "ystad")
    unit = {u.name: u for u in case.municipality.units.all()}
    save_case(
        case,
        users["applicant"],
        fields={"applicant_unit": unit["Elevhälsan"]},
        units=[unit["Individ- och familjeomsorgen"]],
    )
    social = unit["Socialförvaltningen"]
    deputy = UserFactory(municipality=case.municipality, full_name="Dora Deputy")
    social.deputies.add(deputy)
    client.force_login(deputy)

    page = client.get(reverse("applications:detail", args=[case.pk]))
    response = client.post(
        reverse("applications:sign", args=[case.pk]), {"requirement": f"unit:{social.pk}"}, follow=True
    )

    assert page.status_code == 200
    assert "Dora Deputy, ersättare för förvaltningschefen för Socialförvaltningen" in response.content.decode()
    assert case.signatures.get().signer == deputy


def test_a_unit_without_a_designated_head_cannot_be_signed_for(new_case, today):
    case, _users = filled_draft(new_case, "ale")
    first, _second = required_signatures(case)
    unit = unit_of(first)
    head = unit.head
    OrganisationalUnit.objects.filter(pk=unit.pk).update(head=None)

    with pytest.raises(TransitionRefusedError) as refusal:
        sign(case, first.key, head)

    assert str(refusal.value) == (
        f"{unit.name} har ingen utsedd sektorschef. Kommunens administratör utser chefen under ”Enheter och chefer”."
    )
    assert nothing_signed(case)


def test_asking_for_signatures_notifies_the_head_and_the_deputies(new_case, today):
    case, users = filled_draft(new_case, "ale")
    first, second = required_signatures(case)
    deputy = UserFactory(municipality=case.municipality, full_name="Dora Deputy")
    unit_of(second).deputies.add(deputy)

    asked = request_signatures(case, users["applicant"])

    assert asked == [unit_of(first).head, unit_of(second).head, deputy]
    assert Notification.objects.get(recipient=deputy).text == (
        f"{users['applicant']} ber dig skriva under ansökan {case} för {second.signed_for}."
    )


# ---- Which units sign: each rule set against its seed ---------------------------------------------------


def test_ystad_the_forvaltningschefer_sign_not_the_namnder(new_case, today):
    """Seed 003, Steg 3: "Ansökan undertecknas och godkänns av berörda förvaltningschefer"."""
    case, users = filled_draft(new_case, "ystad")
    unit = {u.name: u for u in case.municipality.units.all()}
    save_case(
        case,
        users["applicant"],
        fields={"applicant_unit": unit["Barn- och utbildningsnämnden"]},
        units=[unit["Elevhälsan"], unit["Individ- och familjeomsorgen"]],
    )

    requirements = required_signatures(Case.objects.get(pk=case.pk))

    assert [(r.signed_for, r.head_title) for r in requirements if r.unit_id] == [
        ("Barn- och utbildningsförvaltningen", "förvaltningschef"),
        ("Socialförvaltningen", "förvaltningschef"),
    ]
    assert [r.signed_for for r in requirements if r.actor_id] == ["Föreningen Fritid"]


def test_norrkoping_the_kontorschef_of_the_applying_kontor_signs(new_case, today):
    case, _users = filled_draft(new_case, "norrkoping")

    [requirement] = required_signatures(case)

    assert (requirement.signed_for, requirement.head_title) == (case.applicant_unit.name, "kontorschef")


# ---- A partner signs on paper ---------------------------------------------------------------------


def actor_requirement(case):
    return next(r for r in required_signatures(case) if r.actor_id)


def test_a_municipal_employee_cannot_sign_as_the_partner(new_case, today):
    case, users = filled_draft(new_case, "ystad")
    requirement = actor_requirement(case)

    with pytest.raises(TransitionRefusedError) as refusal:
        sign(case, requirement.key, users["applicant"])

    assert str(refusal.value) == (
        "Föreningen Fritid skriver under själv. Registrera ansökan som aktören har undertecknat på papper."
    )
    assert nothing_signed(case)


def test_the_partners_paper_signature_is_recorded_and_marked_so(new_case, client, today):
    case, users = filled_draft(new_case, "ystad")
    requirement = actor_requirement(case)
    applicant = users["applicant"]

    signature = record_paper_signature(
        case,
        requirement.key,
        applicant,
        signatory_name="Eva Ek",
        signatory_title="ordförande",
        signed_on=datetime.date(2026, 9, 15),
        document=pdf(),
    )

    assert (signature.method, signature.signer, signature.signatory_name, signature.recorded_by) == (
        "paper",
        None,
        "Eva Ek",
        applicant,
    )
    assert signature.signer_capacity == "ordförande för Föreningen Fritid"
    assert signature.recorded_by_capacity == "anställd i Ystads kommun"
    entry = AuditEntry.objects.for_object(case).get(action="case.signed_on_paper")
    assert (entry.actor, entry.data["signatory"]) == (applicant, "Eva Ek")
    client.force_login(users["preparer"])
    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "Eva Ek, ordförande för Föreningen Fritid" in html
    assert f"undertecknad på papper, registrerad av {applicant}, anställd i Ystads kommun" in html
    assert f"{applicant}, chef för Föreningen Fritid" not in html
    document = client.get(reverse("applications:signature_document", args=[case.pk, signature.pk]))
    assert b"".join(document.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"signatory_name": ""}, "signatory_name", "Det här fältet är obligatoriskt."),
        ({"signed_on": "2026-09-16"}, "signed_on", "Ange dagen då ansökan undertecknades"),
        (
            {"signed_on": "2026-01-01"},
            "signed_on",
            "Ansökan skapades 2026-09-15; den kan inte ha undertecknats före det.",
        ),
        ({"document": "word"}, "document", "Ladda upp den undertecknade ansökan som PDF."),
        ({"document": "fake"}, "document", "Filens innehåll är inte .pdf."),
    ],
)
def test_a_refused_paper_signature_is_shown_by_its_field_keeps_the_input_and_writes_nothing(
    new_case, client, today, changes, field, message
):
    case, users = filled_draft(new_case, "ystad")
    requirement = actor_requirement(case)
    prefix = f"actor-{requirement.actor_id}"
    data = {"signatory_name": "Eva Ek", "signatory_title": "ordförande", "signed_on": "2026-09-15"}
    data.update({k: v for k, v in changes.items() if k != "document"})
    document = {
        "word": SimpleUploadedFile("ansokan.docx", b"PK\x03\x04rest", content_type="application/octet-stream"),
        "fake": SimpleUploadedFile("ansokan.pdf", b"not a pdf", content_type="application/pdf"),
    }.get(changes.get("document"), pdf())
    client.force_login(users["applicant"])

    response = client.post(
        reverse("applications:paper_signature", args=[case.pk, requirement.actor_id]),
        {**{f"{prefix}-{k}": v for k, v in data.items()}, f"{prefix}-document": document},
    )

    assert response.status_code == 200
    form = next(row["paper_form"] for row in response.context["signature_rows"] if row["paper_form"])
    assert any(message in error for error in form.errors[field])
    assert form["signatory_title"].value() == "ordförande"  # what was typed is kept
    assert nothing_signed(case)


def test_a_paper_signature_is_recorded_only_by_a_participant_or_the_preparers(new_case, today):
    case, users = filled_draft(new_case, "ystad")
    requirement = actor_requirement(case)
    unit_requirement = next(r for r in required_signatures(case) if r.unit_id)
    arguments = {"signatory_name": "Eva Ek", "signatory_title": "", "signed_on": datetime.date(2026, 9, 15)}

    with pytest.raises(TransitionRefusedError, match="Bara sökande i ärendet eller Processgruppen"):
        record_paper_signature(case, requirement.key, users["board"], document=pdf(), **arguments)
    with pytest.raises(TransitionRefusedError, match="En enhets underskrift ges i Fonden av enhetens chef"):
        record_paper_signature(case, unit_requirement.key, users["applicant"], document=pdf(), **arguments)
    assert nothing_signed(case)

    signature = record_paper_signature(case, requirement.key, users["preparer"], document=pdf(), **arguments)
    assert signature.signer_capacity == "för Föreningen Fritid"


# ---- Any change voids every signature ------------------------------------------------------------------


def change(case, users, kind):
    applicant = users["applicant"]
    if kind == "content":
        save_case(case, applicant, fields={"title": "Nytt namn"})
    elif kind == "costs":
        costs = {cost.year: cost.amount + 1 for cost in case.costs.all()}
        save_case(case, applicant, fields={}, costs=costs)
    elif kind == "units":
        save_case(case, applicant, fields={}, units=[])
    elif kind == "actors":
        save_case(case, applicant, fields={}, external_actors=list(case.municipality.external_actors.all()))
    elif kind == "attachment_added":
        add_attachment(case, applicant, pdf("budget.pdf"), max_mb=10)
    elif kind == "attachment_removed":
        remove_attachment(case, applicant, case.attachments.get().pk)


@pytest.mark.parametrize(
    ("kind", "part"),
    [
        ("content", "innehållet"),
        ("costs", "kostnaderna"),
        ("units", "de medverkande"),
        ("actors", "de medverkande"),
        ("attachment_added", "bilagorna"),
        ("attachment_removed", "bilagorna"),
    ],
)
def test_any_change_after_signing_voids_every_signature_visibly(new_case, client, today, kind, part):
    case, users = filled_draft(new_case, "ale")
    if kind == "attachment_removed":
        add_attachment(case, users["applicant"], pdf("budget.pdf"), max_mb=10)
    for requirement in required_signatures(case):
        sign(case, requirement.key, unit_of(requirement).head)
    case = Case.objects.get(pk=case.pk)

    change(case, users, kind)

    reason = f"Ansökan ändrades efter underskriften: {part}."
    signatures = list(Signature.objects.filter(case=case))
    assert [(s.is_valid, s.void_reason) for s in signatures] == [(False, reason), (False, reason)]
    entries = AuditEntry.objects.for_object(case).filter(action="case.signature_voided")
    assert [e.reason for e in entries] == [reason, reason]
    head = signatures[0].signer
    assert Notification.objects.filter(recipient=head, text__contains=reason).exists()
    client.force_login(users["applicant"])
    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert html.count(f"<strong>ogiltig</strong>: {reason}") == 2


def test_a_change_voids_a_paper_signature_too(new_case, today):
    case, users = filled_draft(new_case, "ystad")
    requirement = actor_requirement(case)
    record_paper_signature(
        case,
        requirement.key,
        users["applicant"],
        signatory_name="Eva Ek",
        signatory_title="",
        signed_on=datetime.date(2026, 9, 15),
        document=pdf(),
    )

    add_attachment(case, users["applicant"], pdf("bilaga.pdf"), max_mb=10)

    assert Signature.objects.get(case=case).void_reason == "Ansökan ändrades efter underskriften: bilagorna."


def test_removing_an_attachment_through_the_page_is_recorded(new_case, client, today):
    case, users = filled_draft(new_case, "heby")
    attachment = add_attachment(case, users["applicant"], pdf("budget.pdf"), max_mb=10)
    client.force_login(users["preparer"])
    refused = client.post(reverse("applications:remove_attachment", args=[case.pk, attachment.pk]), follow=True)
    assert CaseAttachment.objects.filter(pk=attachment.pk).exists()
    assert "Bara sökande som deltar i ärendet kan ändra det." in refused.content.decode()

    client.force_login(users["applicant"])
    response = client.post(reverse("applications:remove_attachment", args=[case.pk, attachment.pk]), follow=True)

    assert "Bilagan budget.pdf är borttagen." in response.content.decode()
    assert not CaseAttachment.objects.filter(pk=attachment.pk).exists()
    entry = AuditEntry.objects.for_object(case).get(action="case.attachment_removed")
    assert (entry.actor, entry.data) == (users["applicant"], {"file": "budget.pdf"})


def test_a_change_to_the_structured_measurement_plan_voids_the_signatures(new_case, today):
    from evaluation.services import save_measurement_plan

    case, users = filled_draft(new_case, "ale")
    fields = {
        "goals": "Färre placeringar.",
        "activities": "Familjestöd.",
        "comparison": "control_group",
        "comparison_description": "Två jämförbara stadsdelar.",
    }
    save_measurement_plan(case, users["applicant"], fields=fields, indicators=[])
    for requirement in required_signatures(case):
        sign(case, requirement.key, unit_of(requirement).head)

    save_measurement_plan(case, users["applicant"], fields=dict(fields, goals="Fler i skolan."), indicators=[])

    assert [s.void_reason for s in Signature.objects.filter(case=case)] == [
        "Ansökan ändrades efter underskriften: innehållet."
    ] * 2


def test_a_signing_step_made_per_verksamhet_is_done_by_the_forvaltningschef(new_case, today):
    """A Ystad case whose preparation began before the rule set named whose head signs has one
    signing step per verksamhet: the förvaltningschef above it signs and does the step."""
    from applications.models import CaseStep
    from applications.selectors import may_complete_step
    from applications.services.lifecycle import run_transition
    from applications.services.steps import complete_step

    case, users = filled_draft(new_case, "ystad")
    unit = {u.name: u for u in case.municipality.units.all()}
    save_case(case, users["applicant"], fields={"applicant_unit": unit["Elevhälsan"]}, units=[])
    case = run_transition(case, "submit", users["applicant"])
    case = run_transition(case, "start_preparation", users["preparer"])
    buf = unit["Barn- och utbildningsförvaltningen"]
    CaseStep.objects.filter(case=case, key="underskrift").update(unit=unit["Elevhälsan"])
    for step in Case.objects.get(pk=case.pk).current_steps("preparation"):
        if step.action != "sign" and step.key != "klg_godkanner":
            complete_step(case, step.pk, users[step.actor_role], outcome="positive")
    case = Case.objects.get(pk=case.pk)
    step = case.steps.get(key="underskrift")
    elevhalsan_staff = case.municipality.members.get(unit=unit["Elevhälsan"])

    assert may_complete_step(step, elevhalsan_staff) == (
        False,
        "Steget görs av den utsedda chefen för Barn- och utbildningsförvaltningen eller en ersättare.",
    )
    assert may_complete_step(step, buf.head) == (True, "")
    sign(case, f"unit:{buf.pk}", buf.head)
    step.refresh_from_db()
    assert (step.status, step.done_by) == ("done", buf.head)
