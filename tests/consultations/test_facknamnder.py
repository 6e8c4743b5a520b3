"""Sundsvall's facknämnder take one position each: a remiss answer is the nämnd's gate step, a
representative speaks only for their own nämnd, and the position is never delegated to someone
who takes part in the case (jäv)."""

import datetime

import pytest
from django.urls import reverse

from applications.enums import CaseState as S
from applications.enums import StepStatus
from applications.models import Case, Signature
from applications.services import TransitionRefusedError
from applications.services.lifecycle import run_transition
from applications.services.steps import complete_step
from audit.models import AuditEntry
from consultations.models import Consultation
from consultations.services import answer, delegate, delegation_candidates, request_consultation
from demo.walk import walk_to
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NEXT_MONTH = datetime.date(2026, 10, 15)


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


@pytest.fixture
def sundsvall(new_case, today):
    """A Sundsvall application in preparation. The applicant works at Barn- och
    utbildningsförvaltningen (under Barn- och utbildningsnämnden); Individ- och
    arbetslivsförvaltningen (under Socialnämnden) takes part. Each nämnd has its gate step."""
    case, users = new_case("sundsvall")
    case = walk_to(case, S.IN_PREPARATION, users)
    units = {unit.name: unit for unit in case.municipality.units.all()}
    social, school = units["Socialnämnden"], units["Barn- och utbildningsnämnden"]
    representatives = {
        "social": case.municipality.members.get(role_assignments__role="board", unit=social),
        "school": case.municipality.members.get(role_assignments__role="board", unit=school),
    }
    return case, users, {"social": social, "school": school}, representatives


def gate_step(case, namnd):
    return Case.objects.get(pk=case.pk).steps.get(key="facknamnd_tar_stallning", unit=namnd)


def remiss(case, users, namnd):
    [consultation] = request_consultation(
        case, users["preparer"], units=[namnd], question="Ska ansökan gå vidare?", deadline=NEXT_MONTH
    )
    return consultation


def test_each_affected_namnd_has_its_own_gate_step(sundsvall):
    case, _users, _namnder, _reps = sundsvall
    steps = Case.objects.get(pk=case.pk).steps.filter(key="facknamnd_tar_stallning")
    assert sorted(step.unit.name for step in steps) == ["Barn- och utbildningsnämnden", "Socialnämnden"]
    assert all(step.gate and step.status == StepStatus.PENDING for step in steps)


def test_tillstyrker_completes_the_namnds_gate_step_and_is_in_the_history(client, sundsvall):
    case, users, namnder, reps = sundsvall
    consultation = remiss(case, users, namnder["social"])

    answer(consultation, reps["social"], position="support", text="Insatsen stärker vårt uppdrag.")

    step = gate_step(case, namnder["social"])
    assert (step.status, step.outcome, step.done_by) == (StepStatus.DONE, "positive", reps["social"])
    assert step.comment == "tillstyrker. Insatsen stärker vårt uppdrag."
    assert gate_step(case, namnder["school"]).status == StepStatus.PENDING
    entry = AuditEntry.objects.for_object(case).filter(action="case.step").order_by("id").last()
    assert (entry.actor, entry.data["step"], entry.data["outcome"], entry.data["source"]) == (
        reps["social"],
        "Berörd facknämnd tar ställning (Socialnämnden)",
        "positive",
        "remissvar från Socialnämnden",
    )
    client.force_login(users["preparer"])
    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "Berörd facknämnd tar ställning (Socialnämnden) (ja) – remissvar från Socialnämnden" in html


def test_tillstyrker_med_villkor_is_positive_and_avstyrker_is_negative_and_stops_the_case(sundsvall):
    case, users, namnder, reps = sundsvall
    answer(remiss(case, users, namnder["social"]), reps["social"], position="conditions", text="Om IFO deltar.")
    answer(remiss(case, users, namnder["school"]), reps["school"], position="object", text="Inte nu.")

    assert gate_step(case, namnder["social"]).status == StepStatus.DONE
    assert (gate_step(case, namnder["school"]).status, gate_step(case, namnder["school"]).outcome) == (
        StepStatus.DECLINED,
        "negative",
    )
    complete_step(
        case,
        Case.objects.get(pk=case.pk).steps.get(key="natverket_bereder").pk,
        users["preparer"],
        outcome="positive",
        expertise={"name": "Anna Forskare", "organisation": "Mittuniversitetet", "contribution": "Kalkylen."},
    )
    with pytest.raises(TransitionRefusedError, match="Ett steg som måste sluta positivt blev nej"):
        run_transition(Case.objects.get(pk=case.pk), "mark_ready_for_decision", users["preparer"])
    assert Case.objects.get(pk=case.pk).state == S.IN_PREPARATION


def test_the_delegates_answer_completes_the_gate_step(sundsvall):
    case, users, namnder, reps = sundsvall
    official = UserFactory(municipality=case.municipality, full_name="Olle Ledamot", unit=namnder["social"])
    consultation = remiss(case, users, namnder["social"])
    delegate(consultation, reps["social"], official)

    answer(consultation, official, position="support", text="")

    step = gate_step(case, namnder["social"])
    assert (step.status, step.done_by) == (StepStatus.DONE, official)
    entry = AuditEntry.objects.for_object(case).filter(action="case.step").order_by("id").last()
    assert entry.data["source"] == "remissvar på delegation från Socialnämnden"


def test_representative_of_another_namnd_cannot_answer_and_nothing_is_written(client, sundsvall):
    case, users, namnder, reps = sundsvall
    consultation = remiss(case, users, namnder["social"])
    entries = AuditEntry.objects.count()

    with pytest.raises(TransitionRefusedError) as refusal:
        answer(consultation, reps["school"], position="support", text="")
    assert str(refusal.value) == "Bara Socialnämnden eller den som fått delegation kan svara."

    client.force_login(reps["school"])
    response = client.post(
        reverse("consultations:answer", args=[case.pk, consultation.pk]),
        {"position": "support", "answer": "Ja."},
        follow=True,
    )
    assert "Bara Socialnämnden eller den som fått delegation kan svara." in response.content.decode()
    consultation.refresh_from_db()
    assert (consultation.position, consultation.answered_at) == ("", None)
    assert gate_step(case, namnder["social"]).status == StepStatus.PENDING
    assert AuditEntry.objects.count() == entries


def test_board_member_without_a_namnd_cannot_answer(sundsvall):
    case, users, namnder, _reps = sundsvall
    loose = UserFactory(municipality=case.municipality, roles=["board"])
    consultation = remiss(case, users, namnder["social"])

    with pytest.raises(TransitionRefusedError, match="Bara Socialnämnden eller den som fått delegation kan svara"):
        answer(consultation, loose, position="support", text="")


def test_representative_cannot_take_another_namnds_gate_step(client, sundsvall):
    case, _users, namnder, reps = sundsvall
    step = gate_step(case, namnder["social"])

    with pytest.raises(TransitionRefusedError) as refusal:
        complete_step(case, step.pk, reps["school"], outcome="positive")
    assert str(refusal.value) == "Steget görs av Socialnämnden: bara den nämndens representanter kan göra det."

    client.force_login(reps["school"])
    client.post(reverse("applications:step", args=[case.pk, step.pk]), {"outcome": "positive"})
    assert gate_step(case, namnder["social"]).status == StepStatus.PENDING

    done = complete_step(case, step.pk, reps["social"], outcome="positive")
    assert done.status == StepStatus.DONE


def test_delegation_list_holds_the_namnds_own_people_and_nobody_taking_part(client, sundsvall):
    case, users, namnder, reps = sundsvall
    school = namnder["school"]
    forvaltning = case.applicant_unit  # Barn- och utbildningsförvaltningen, under the nämnd
    member = UserFactory(municipality=case.municipality, full_name="Mia Ledamot", unit=school)
    signer = UserFactory(municipality=case.municipality, full_name="Sigge Undertecknare", unit=school)
    Signature.objects.create(
        case=case, requirement=f"unit:{forvaltning.pk}", signed_for=forvaltning.name, signer=signer,
        signer_capacity="förvaltningschef", fingerprint="0" * 64,
    )  # fmt: skip
    colleague = UserFactory(municipality=case.municipality, full_name="Kalle Kollega", unit=forvaltning)
    outsider = UserFactory(municipality=case.municipality, full_name="Otto Annan", unit=namnder["social"])
    consultation = remiss(case, users, school)

    candidates = delegation_candidates(Consultation.objects.select_related("case", "unit").get(pk=consultation.pk))

    assert member in candidates
    assert reps["school"] in candidates
    for excluded in (users["applicant"], signer, colleague, outsider):
        assert excluded not in candidates
    client.force_login(reps["school"])
    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert f'<option value="{member.pk}">Mia Ledamot' in html
    for excluded in (users["applicant"], signer, colleague, outsider):
        assert f'<option value="{excluded.pk}">' not in html


def test_delegating_to_the_applicant_is_refused_and_the_applicant_cannot_answer(client, sundsvall):
    case, users, namnder, reps = sundsvall
    consultation = remiss(case, users, namnder["school"])
    entries = AuditEntry.objects.count()

    with pytest.raises(TransitionRefusedError) as refusal:
        delegate(consultation, reps["school"], users["applicant"])
    assert "deltar i ärendet och är jävig" in str(refusal.value)

    client.force_login(reps["school"])
    response = client.post(
        reverse("consultations:delegate", args=[case.pk, consultation.pk]),
        {"delegate": users["applicant"].pk},
        follow=True,
    )
    assert "deltar i ärendet och är jävig" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.delegate is None

    client.force_login(users["applicant"])
    response = client.post(
        reverse("consultations:answer", args=[case.pk, consultation.pk]),
        {"position": "support", "answer": "Vi tillstyrker vår egen ansökan."},
        follow=True,
    )
    assert "Bara Barn- och utbildningsnämnden eller den som fått delegation kan svara." in response.content.decode()
    consultation.refresh_from_db()
    assert (consultation.position, consultation.answered_by, consultation.delegate) == ("", None, None)
    assert gate_step(case, namnder["school"]).status == StepStatus.PENDING
    assert AuditEntry.objects.count() == entries


def test_a_delegate_who_takes_part_in_the_case_cannot_answer(sundsvall):
    case, users, namnder, _reps = sundsvall
    consultation = remiss(case, users, namnder["school"])
    Consultation.objects.filter(pk=consultation.pk).update(delegate=users["applicant"])  # set before the jäv rule

    with pytest.raises(TransitionRefusedError) as refusal:
        answer(consultation, users["applicant"], position="support", text="")

    assert str(refusal.value) == "Du deltar i ärendet och är jävig: du kan inte svara för Barn- och utbildningsnämnden."
    assert gate_step(case, namnder["school"]).status == StepStatus.PENDING


def test_delegating_outside_the_namnd_is_refused(sundsvall):
    case, users, namnder, reps = sundsvall
    outsider = UserFactory(municipality=case.municipality, full_name="Otto Annan", unit=namnder["social"])
    consultation = remiss(case, users, namnder["school"])

    with pytest.raises(TransitionRefusedError) as refusal:
        delegate(consultation, reps["school"], outsider)

    assert str(refusal.value) == (
        "Otto Annan hör inte till Barn- och utbildningsnämnden: delegation ges bara till nämndens egna ledamöter "
        "och tjänstepersoner."
    )
    consultation.refresh_from_db()
    assert consultation.delegate is None


def test_a_namnd_takes_one_position_a_second_answer_is_refused(client, sundsvall):
    case, users, namnder, reps = sundsvall
    first = remiss(case, users, namnder["social"])
    second = remiss(case, users, namnder["social"])
    answer(first, reps["social"], position="support", text="")

    with pytest.raises(TransitionRefusedError) as refusal:
        answer(second, reps["social"], position="object", text="Ändrat oss.")

    assert str(refusal.value) == (
        "Socialnämnden har redan tagit ställning i ärendet (Berörd facknämnd tar ställning, ja / tillstyrkt / klart)."
    )
    second.refresh_from_db()
    assert second.answered_at is None
    assert gate_step(case, namnder["social"]).outcome == "positive"


def test_remiss_answer_after_the_namnd_took_its_step_directly_is_refused(sundsvall):
    case, users, namnder, reps = sundsvall
    consultation = remiss(case, users, namnder["school"])
    complete_step(case, gate_step(case, namnder["school"]).pk, reps["school"], outcome="negative", comment="Nej.")

    with pytest.raises(TransitionRefusedError, match="Barn- och utbildningsnämnden har redan tagit ställning"):
        answer(consultation, reps["school"], position="support", text="")

    consultation.refresh_from_db()
    assert consultation.answered_at is None
