"""What each rule set says its application and its preparation hold, against its seed: Heby's
kommunledningsgrupp prepares and issues the basis for KS, and asks for the name, the period and
the cost per year once."""

import re
import subprocess

import pytest
from django.urls import reverse

from applications.enums import CaseState as S
from applications.models import Case
from applications.services import TransitionRefusedError, complete_step, run_transition, waiting_for
from applications.walk import complete_open_steps, walk_to
from audit.models import AuditEntry
from core.formatting import format_kronor
from decisions.models import IssuedDocument
from decisions.services import issue_application, issue_decision_basis

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
    numbered = re.findall(r"(\d+)\. ", basis.split("Ansökans innehåll enligt riktlinjen")[1].split("Beredning")[0])
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
    assert "ledningsgruppen för TSI" not in case.rules.document["bodies"]["management"]["duties"]


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
