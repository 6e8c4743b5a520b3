"""No state without its content: "slutrapport inlämnad" is reached by submitting the final report,
"utvärderat" needs the evaluation the rule set requires, Heby (no final report) goes from its last
annual report to utvärderat, and a report opens on its period's last day (or the rule set's early
window). Every refusal leaves nothing behind."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.enums import CaseState as S
from applications.models import Case
from applications.services import TransitionRefusedError
from applications.services.lifecycle import run_transition
from audit.models import AuditEntry
from evaluation.models import Evaluation
from evaluation.services import EvaluationRefusedError, save_evaluation, submit_evaluation
from notifications.models import Notification, NotificationKind
from reporting import selectors, services
from reporting.models import ObligationStatus, Report

D = datetime.date
END = D(2029, 8, 31)  # the running fixture's project: 2027-03-01 → 2029-08-31
EVALUATION = {
    "effects": "Närvaron steg från 85 till 91 procent.",
    "process": "Läxhjälp tre kvällar i veckan.",
    "costs": "Inom budget.",
    "conclusion": "Implementera.",
    "recommendation": "implement",
}


def at(time_machine, day):
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC))


def texts_for(obligation):
    return ["Skrivet."] * len(selectors.report_headings(obligation))


def outcomes_for(obligation):
    return dict.fromkeys(selectors.report_years(obligation), Decimal("100000"))


def submit(obligation, user):
    return services.save_report(
        obligation, user, texts=texts_for(obligation), outcomes=outcomes_for(obligation), submit=True
    )


def final_of(case):
    return case.reporting_obligations.get(kind="final")


def history(case):
    return list(AuditEntry.objects.for_object(case).order_by("id").values_list("action", flat=True))


def snapshot(case):
    case = Case.objects.get(pk=case.pk)
    return (
        case.state,
        len(history(case)),
        Report.objects.filter(obligation__case=case).count(),
        list(case.reporting_obligations.values_list("status", flat=True)),
    )


@pytest.fixture
def project(running):
    def build(slug):
        case, users = running(slug)
        services.generate_obligations(case)
        return Case.objects.get(pk=case.pk), users

    return build


# ---- Slutrapport inlämnad ------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["ale", "norrkoping", "sundsvall", "ystad"])
def test_submitting_the_final_report_makes_the_case_final_report(project, time_machine, slug):
    case, users = project(slug)
    at(time_machine, END)

    submit(final_of(case), users["applicant"])

    case.refresh_from_db()
    assert case.state == S.FINAL_REPORT
    assert final_of(case).status == ObligationStatus.SUBMITTED
    entry = AuditEntry.objects.for_object(case).get(action="case.submit_final_report")
    assert (entry.from_state, entry.to_state, entry.actor) == (S.RUNNING, S.FINAL_REPORT, users["applicant"])
    assert entry.data["content"] == "Slutrapport för perioden 2027-03-01–2029-08-31"
    assert history(case)[-2:] == ["report.submitted", "case.submit_final_report"]


def test_progress_report_leaves_the_case_running(project, time_machine):
    case, users = project("ystad")
    first = case.reporting_obligations.order_by("due_date").first()
    at(time_machine, first.period_end)

    submit(first, users["applicant"])

    assert Case.objects.get(pk=case.pk).state == S.RUNNING


def test_final_report_before_its_period_ends_refused_and_nothing_written(project, time_machine):
    case, users = project("norrkoping")
    at(time_machine, END - datetime.timedelta(days=1))
    before = snapshot(case)

    with pytest.raises(ValidationError) as refused:
        submit(final_of(case), users["applicant"])

    assert refused.value.message_dict["__all__"] == [
        "Rapporten för perioden 2027-03-01–2029-08-31 kan lämnas in från och med 2029-08-31. "
        "Spara den som utkast så länge."
    ]
    assert snapshot(case) == before


def test_sundsvall_final_report_may_come_30_days_early_not_31(project, time_machine):
    case, users = project("sundsvall")
    final = final_of(case)
    at(time_machine, END - datetime.timedelta(days=31))
    before = snapshot(case)

    with pytest.raises(ValidationError, match="från och med 2029-08-01"):
        submit(final, users["applicant"])
    assert snapshot(case) == before

    at(time_machine, END - datetime.timedelta(days=30))
    submit(final, users["applicant"])
    assert Case.objects.get(pk=case.pk).state == S.FINAL_REPORT


def test_final_report_refused_while_an_abort_is_proposed(project, time_machine):
    case, users = project("ystad")
    at(time_machine, END)
    run_transition(case, "propose_abort", users[case.rules.abort_proposer_role], reason="Metoden fungerar inte.")
    case = Case.objects.get(pk=case.pk)
    before = snapshot(case)

    with pytest.raises(ValidationError) as refused:
        submit(final_of(case), users["applicant"])

    assert refused.value.message_dict["__all__"] == [
        "Slutrapporten lämnas in när beslutet om det föreslagna avbrottet är fattat."
    ]
    assert snapshot(case) == before


def test_draft_may_be_saved_before_the_period_ends(project, time_machine):
    case, users = project("norrkoping")
    at(time_machine, D(2027, 4, 1))

    services.save_report(final_of(case), users["applicant"], texts=texts_for(final_of(case)), outcomes={})

    assert Report.objects.get(obligation=final_of(case)).submitted_at is None
    assert Case.objects.get(pk=case.pk).state == S.RUNNING


@pytest.mark.parametrize("slug", ["heby", "ale", "norrkoping", "sundsvall", "ystad"])
def test_bare_final_report_transition_refused_by_url(client, project, slug):
    case, users = project(slug)
    client.force_login(users["applicant"])
    before = snapshot(case)

    response = client.post(
        reverse("applications:transition", args=[case.pk, "submit_final_report"]),
        {"expected_state": case.state, "reason": ""},
        follow=True,
    )

    assert "Ärendet blir ”slutrapport inlämnad” när slutrapporten lämnas in på rapportens sida" in (
        response.content.decode()
    )
    assert snapshot(case) == before


def test_bare_final_report_transition_refused_in_the_service(project):
    case, users = project("ystad")
    before = snapshot(case)

    with pytest.raises(TransitionRefusedError, match="lämnas in på rapportens sida"):
        run_transition(case, "submit_final_report", users["applicant"])

    assert snapshot(case) == before


@pytest.mark.parametrize("slug", ["heby", "ale", "norrkoping", "sundsvall", "ystad"])
def test_no_button_says_lamna_slutrapport(client, project, slug):
    case, users = project(slug)
    for role in ("applicant", "preparer"):
        client.force_login(users[role])
        content = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
        assert "Lämna slutrapport" not in content


def test_report_page_says_from_when_it_can_be_submitted(client, project, time_machine):
    case, users = project("norrkoping")
    at(time_machine, D(2029, 8, 1))
    client.force_login(users["applicant"])

    content = client.get(reverse("reporting:report", args=[case.pk, final_of(case).pk])).content.decode()

    assert "Rapporten kan lämnas in från och med 2029-08-31." in content


# ---- Utvärderat ---------------------------------------------------------------------------------


@pytest.fixture
def final_report_in(project, time_machine):
    def build(slug):
        case, users = project(slug)
        at(time_machine, END)
        submit(final_of(case), users["applicant"])
        return Case.objects.get(pk=case.pk), users

    return build


def evaluate_refused(case, user):
    before = snapshot(case)
    with pytest.raises(TransitionRefusedError) as refused:
        run_transition(case, "evaluate", user)
    assert snapshot(case) == before
    return str(refused.value)


def test_evaluated_needs_the_final_evaluation_written_and_submitted(final_report_in):
    case, users = final_report_in("norrkoping")
    preparer = users["preparer"]

    assert evaluate_refused(case, preparer) == (
        "Slututvärderingen är inte skriven. Den skrivs och lämnas in under Utvärdering."
    )
    save_evaluation(case, "final", users["applicant"], fields=EVALUATION)
    assert evaluate_refused(case, preparer) == (
        "Slututvärderingen är skriven men inte inlämnad. Den skrivs och lämnas in under Utvärdering."
    )
    submit_evaluation(case, "final", users["applicant"])

    case = run_transition(case, "evaluate", preparer)

    assert case.state == S.EVALUATED
    assert history(case)[-2:] == ["evaluation.submitted", "case.evaluate"]


def test_evaluate_by_the_wrong_role_refused(final_report_in):
    case, users = final_report_in("ystad")
    save_evaluation(case, "final", users["applicant"], fields=EVALUATION)
    submit_evaluation(case, "final", users["applicant"])

    assert evaluate_refused(case, users["applicant"]) == "Bara Processgruppen kan göra detta."


def test_evaluate_before_the_final_report_refused(project):
    case, users = project("ale")

    assert evaluate_refused(case, users["preparer"]).startswith(
        "Slutrapporten är inte inlämnad. Den lämnas in på rapportens sida under Uppföljning."
    )


def test_evaluate_refused_while_the_final_report_is_back_for_completion(final_report_in):
    case, users = final_report_in("ystad")
    save_evaluation(case, "final", users["applicant"], fields=EVALUATION)
    submit_evaluation(case, "final", users["applicant"])
    services.review_report(final_of(case), users["decision_body"], accept=False, comment="Ekonomin saknas.")

    assert evaluate_refused(case, users["preparer"]) == (
        "Slutrapporten är skickad tillbaka för komplettering och inte inlämnad på nytt."
    )


def test_final_evaluation_before_the_final_report_refused(project):
    case, users = project("sundsvall")
    save_evaluation(case, "final", users["applicant"], fields=EVALUATION)

    with pytest.raises(EvaluationRefusedError, match="Slututvärderingen lämnas in när projektets sista rapport"):
        submit_evaluation(case, "final", users["applicant"])

    assert Evaluation.objects.get(case=case).submitted_at is None


def test_evaluation_submitted_by_someone_outside_the_project_refused(final_report_in):
    case, users = final_report_in("norrkoping")
    save_evaluation(case, "final", users["applicant"], fields=EVALUATION)

    with pytest.raises(EvaluationRefusedError, match=r"^Bara projektet och den beredande gruppen skriver"):
        submit_evaluation(case, "final", users["board"])

    assert Evaluation.objects.get(case=case).submitted_at is None


def test_evaluation_not_written_cannot_be_submitted(final_report_in):
    case, users = final_report_in("ale")

    with pytest.raises(EvaluationRefusedError, match=r"^Skriv och spara utvärderingen innan den lämnas in\.$"):
        submit_evaluation(case, "final", users["applicant"])


def test_evaluation_changed_after_submission_must_be_submitted_again(final_report_in):
    case, users = final_report_in("sundsvall")
    save_evaluation(case, "final", users["applicant"], fields=EVALUATION)
    submit_evaluation(case, "final", users["applicant"])

    save_evaluation(case, "final", users["applicant"], fields={**EVALUATION, "conclusion": "Delvis."})

    assert Evaluation.objects.get(case=case).submitted_at is None
    assert evaluate_refused(case, users["preparer"]).startswith("Slututvärderingen är skriven men inte inlämnad")


def test_evaluation_frozen_once_the_case_is_evaluated(final_report_in):
    case, users = final_report_in("sundsvall")
    save_evaluation(case, "final", users["applicant"], fields=EVALUATION)
    submit_evaluation(case, "final", users["applicant"])
    run_transition(case, "evaluate", users["preparer"])

    with pytest.raises(EvaluationRefusedError, match="kan inte ändras när projektet är utvärderat"):
        save_evaluation(case, "final", users["applicant"], fields={**EVALUATION, "conclusion": "Ändrad."})

    assert Evaluation.objects.get(case=case).conclusion == "Implementera."


def test_evaluation_submitted_from_its_page(client, final_report_in):
    case, users = final_report_in("norrkoping")
    save_evaluation(case, "final", users["applicant"], fields=EVALUATION)
    client.force_login(users["applicant"])

    page = client.get(reverse("evaluation:evaluation", args=[case.pk, "final"])).content.decode()
    assert "Lämna in utvärderingen" in page
    response = client.post(reverse("evaluation:evaluation_submit", args=[case.pk, "final"]), follow=True)

    assert "Utvärderingen är inlämnad." in response.content.decode()
    assert Evaluation.objects.get(case=case).submitted_by == users["applicant"]


# ---- Heby: evaluated within the annual report, no final report -----------------------------------


def test_heby_goes_from_its_last_annual_report_to_evaluated(project, time_machine):
    case, users = project("heby")
    last = case.reporting_obligations.order_by("-period_end").first()
    assert (last.kind, last.period_end) == ("yearly", END)
    assert not case.reporting_obligations.filter(kind="final").exists()
    preparer = users["preparer"]

    assert evaluate_refused(case, preparer) == (
        "Den sista rapporten, Årlig uppföljning för perioden 2029-01-01–2029-08-31, är inte inlämnad."
    )
    at(time_machine, END)
    submit(last, users["applicant"])
    assert Case.objects.get(pk=case.pk).state == S.RUNNING  # no "slutrapport inlämnad" in Heby
    assert evaluate_refused(case, preparer) == (
        "Slututvärderingen är inte skriven. Den skrivs och lämnas in under Utvärdering."
    )
    save_evaluation(case, "final", users["applicant"], fields={**EVALUATION, "frame_adjustment": Decimal(400000)})
    submit_evaluation(case, "final", users["applicant"])

    case = run_transition(case, "evaluate", preparer)

    assert case.state == S.EVALUATED
    entry = AuditEntry.objects.for_object(case).get(action="case.evaluate")
    assert (entry.from_state, entry.to_state, entry.actor) == (S.RUNNING, S.EVALUATED, preparer)


def test_heby_has_no_final_report_transition_even_from_a_service(project):
    case, users = project("heby")
    before = snapshot(case)

    with pytest.raises(TransitionRefusedError, match="Regelverket har ingen slutrapport"):
        run_transition(case, "submit_final_report", users["applicant"], content="Slutrapport")

    assert snapshot(case) == before


# ---- Ale: evaluated once a year and at the end ----------------------------------------------------


def test_ale_two_year_project_gets_one_yearly_evaluation_and_the_final(running):
    case, _users = running("ale")
    Case.objects.filter(pk=case.pk).update(period_end=D(2029, 2, 28))

    obligations = services.generate_obligations(Case.objects.get(pk=case.pk))

    assert [(o.kind, o.display_name, o.period_start, o.due_date, o.receiver_role) for o in obligations] == [
        ("yearly", "Årlig uppföljning", D(2027, 3, 1), D(2028, 2, 29), "preparer"),
        ("final", "Slutrapport", D(2027, 3, 1), D(2029, 2, 28), "preparer"),
    ]


# ---- Sundsvall: PLU gets the reports for information --------------------------------------------


def test_sundsvall_plu_is_told_of_each_report_and_sees_it(client, project, time_machine):
    case, users = project("sundsvall")
    plu = users["management"]
    first = case.reporting_obligations.order_by("due_date").first()
    at(time_machine, first.period_end)

    submit(first, users["applicant"])
    services.review_report(first, users["decision_body"], accept=True)

    assert list(Notification.objects.filter(recipient=plu).order_by("id").values_list("kind", flat=True)) == [
        NotificationKind.REPORT_SUBMITTED,
        NotificationKind.REPORT_REVIEWED,
    ]
    client.force_login(plu)
    page = client.get(reverse("reporting:report", args=[case.pk, first.pk])).content.decode()
    assert "för kännedom till Plan- och utvecklingsutskottet (PLU)" in page
    assert "Skrivet." in page


def test_sundsvall_plu_receives_but_does_not_accept(project, time_machine):
    case, users = project("sundsvall")
    first = case.reporting_obligations.order_by("due_date").first()
    at(time_machine, first.period_end)
    submit(first, users["applicant"])

    with pytest.raises(TransitionRefusedError, match=r"^Bara Ledningsgruppen tar emot rapporten\.$"):
        services.review_report(first, users["management"], accept=True)

    assert case.reporting_obligations.get(pk=first.pk).status == ObligationStatus.SUBMITTED


def test_without_informed_roles_management_is_not_told(project, time_machine):
    case, users = project("norrkoping")
    half_time = case.reporting_obligations.get(kind="half_time")
    at(time_machine, half_time.period_end)

    submit(half_time, users["applicant"])

    assert not Notification.objects.filter(recipient=users["management"]).exists()


# ---- Refused forms keep what was typed ------------------------------------------------------------


def test_report_refused_as_too_early_comes_back_with_what_was_typed(client, project, time_machine):
    case, users = project("norrkoping")
    half_time = case.reporting_obligations.get(kind="half_time")
    at(time_machine, half_time.period_end - datetime.timedelta(days=3))
    client.force_login(users["applicant"])
    data = {f"text_{i}": f"Mitt svar {i}" for i in range(len(selectors.report_headings(half_time)))}
    data |= {f"outcome_{year}": "123 456" for year in selectors.report_years(half_time)}
    before = snapshot(case)

    response = client.post(
        reverse("reporting:report", args=[case.pk, half_time.pk]),
        data | {"economy_comment": "Se bilaga.", "action": "submit"},
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "kan lämnas in från och med 2028-05-31" in content
    assert "Mitt svar 0" in content
    assert "Mitt svar 1" in content
    assert 'value="123 456"' in content
    assert "Se bilaga." in content
    assert snapshot(case) == before


def test_review_without_comment_comes_back_with_the_error_by_the_field(client, project, time_machine):
    case, users = project("norrkoping")
    half_time = case.reporting_obligations.get(kind="half_time")
    at(time_machine, half_time.period_end)
    submit(half_time, users["applicant"])
    client.force_login(users["preparer"])
    before = snapshot(case)

    response = client.post(
        reverse("reporting:review", args=[case.pk, half_time.pk]), {"comment": "   ", "action": "return"}
    )

    assert response.status_code == 400
    assert "Skriv vad som behöver kompletteras." in response.content.decode()
    assert snapshot(case) == before


def test_review_by_the_wrong_role_comes_back_with_the_reason(client, project, time_machine):
    case, users = project("norrkoping")
    half_time = case.reporting_obligations.get(kind="half_time")
    at(time_machine, half_time.period_end)
    submit(half_time, users["applicant"])
    client.force_login(users["controller"])
    before = snapshot(case)

    response = client.post(
        reverse("reporting:review", args=[case.pk, half_time.pk]), {"comment": "Fint jobbat.", "action": "accept"}
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "Bara Tjänstepersonsgruppen på kommunstyrelsens kontor tar emot rapporten." in content
    assert snapshot(case) == before
