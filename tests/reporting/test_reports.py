"""Reports: written by the project, submitted, accepted or sent back; refusals change nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.enums import Role
from applications.services import TransitionRefusedError
from audit.models import AuditEntry
from decisions.models import Decision, DecisionLine, DecisionYear
from municipalities.rulebook.validation import document_fingerprint
from notifications.models import Notification, NotificationKind
from projects import services as project_services
from projects.enums import ProjectRole
from projects.organisation import project_manager
from reporting import selectors, services
from reporting.models import ObligationStatus, Report
from tests.factories import UserFactory

D = datetime.date


@pytest.fixture
def norrkoping(running, time_machine):
    """Norrköping's running project with its obligations; the clock on the half-time report's due
    date, the first day it may be submitted."""
    case, users = running("norrkoping")
    services.generate_obligations(case)
    time_machine.move_to(datetime.datetime(2028, 5, 31, 10, tzinfo=datetime.UTC))
    half_time = case.reporting_obligations.get(kind="half_time")
    return case, users, half_time


def texts_for(obligation, text="Skrivet."):
    return [text] * len(selectors.report_headings(obligation))


def outcomes_for(obligation, amount="100000"):
    return dict.fromkeys(selectors.report_years(obligation), Decimal(amount))


def test_project_manager_is_the_applicant_from_the_start(running):
    case, users = running("ystad")

    assert list(case.project_members.values_list("role", "user")) == [(ProjectRole.MANAGER, users["applicant"].pk)]
    assert project_manager(case) == users["applicant"]


def test_submit_report_records_and_notifies_the_receivers(norrkoping):
    case, users, half_time = norrkoping
    preparer = users["preparer"]

    services.save_report(
        half_time, users["applicant"], texts=texts_for(half_time), outcomes=outcomes_for(half_time), submit=True
    )

    half_time.refresh_from_db()
    assert half_time.status == ObligationStatus.SUBMITTED
    assert half_time.report.submitted_by == users["applicant"]
    assert [(c.year, c.outcome) for c in half_time.report.cost_lines.all()] == [
        (2027, Decimal("100000.00")),
        (2028, Decimal("100000.00")),
    ]
    entry = AuditEntry.objects.for_object(case).get(action="report.submitted")
    assert (entry.from_state, entry.to_state, entry.actor, entry.data["report"]) == (
        "report:open",
        "report:submitted",
        users["applicant"],
        "Halvtidsuppföljning",
    )
    notification = Notification.objects.get(kind=NotificationKind.REPORT_SUBMITTED)
    assert notification.recipient == preparer
    assert notification.url == reverse("reporting:report", args=[case.pk, half_time.pk])


def test_submit_incomplete_report_names_the_fields_and_saves_nothing(norrkoping):
    _case, users, half_time = norrkoping
    texts = texts_for(half_time)
    texts[0] = "  "

    with pytest.raises(ValidationError) as refused:
        services.save_report(half_time, users["applicant"], texts=texts, outcomes={2027: Decimal(5)}, submit=True)

    assert refused.value.message_dict == {
        "text_0": ["Skriv något under rubriken innan rapporten lämnas in."],
        "outcome_2028": ["Ange utfallet för 2028 (0 om inget har använts)."],
    }
    half_time.refresh_from_db()
    assert half_time.status == ObligationStatus.OPEN
    assert not Report.objects.exists()


def test_draft_is_saved_without_everything_and_not_submitted(norrkoping):
    _case, users, half_time = norrkoping

    services.save_report(half_time, users["applicant"], texts=["Halvvägs.", "", ""], outcomes={2027: Decimal(5)})

    half_time.refresh_from_db()
    assert (half_time.status, half_time.report.submitted_at) == (ObligationStatus.OPEN, None)
    assert half_time.report.sections[0] == {"title": half_time.report.sections[0]["title"], "text": "Halvvägs."}
    assert not Notification.objects.exists()


def test_report_by_someone_outside_the_project_refused(norrkoping):
    case, _users, half_time = norrkoping
    outsider = UserFactory(municipality=case.municipality, roles=[Role.APPLICANT])

    with pytest.raises(TransitionRefusedError, match="Bara projektledaren eller projektägaren"):
        services.save_report(half_time, outsider, texts=texts_for(half_time), outcomes=outcomes_for(half_time))

    assert not Report.objects.exists()


def test_report_for_a_period_already_accepted_refused(norrkoping):
    _case, users, half_time = norrkoping
    services.save_report(
        half_time, users["applicant"], texts=texts_for(half_time), outcomes=outcomes_for(half_time), submit=True
    )
    services.review_report(half_time, users["preparer"], accept=True)

    with pytest.raises(TransitionRefusedError, match="Rapporten för perioden 2027-03-01–2028-05-31 är redan godkänd"):
        services.save_report(
            half_time, users["applicant"], texts=texts_for(half_time, "Ny text"), outcomes=outcomes_for(half_time)
        )

    assert Report.objects.get().sections[0]["text"] == "Skrivet."


def test_accept_report_notifies_the_project_manager(norrkoping):
    case, users, half_time = norrkoping
    services.save_report(
        half_time, users["applicant"], texts=texts_for(half_time), outcomes=outcomes_for(half_time), submit=True
    )

    services.review_report(half_time, users["preparer"], accept=True, comment="Bra.")

    half_time.refresh_from_db()
    assert (half_time.status, half_time.report.reviewed_by, half_time.report.review_comment) == (
        ObligationStatus.ACCEPTED,
        users["preparer"],
        "Bra.",
    )
    reviewed = Notification.objects.get(kind=NotificationKind.REPORT_REVIEWED)
    assert reviewed.recipient == users["applicant"]
    assert reviewed.text == f"{users['preparer']} har godkänt Halvtidsuppföljning för {case}."


def test_return_for_completion_needs_a_comment_then_the_report_comes_back(norrkoping):
    case, users, half_time = norrkoping
    applicant, preparer = users["applicant"], users["preparer"]
    services.save_report(
        half_time, applicant, texts=texts_for(half_time), outcomes=outcomes_for(half_time), submit=True
    )

    with pytest.raises(ValidationError, match="Skriv vad som behöver kompletteras"):
        services.review_report(half_time, preparer, accept=False, comment=" ")
    half_time.refresh_from_db()
    assert half_time.status == ObligationStatus.SUBMITTED

    services.review_report(half_time, preparer, accept=False, comment="Effekterna saknar siffror.")
    half_time.refresh_from_db()
    assert half_time.status == ObligationStatus.RETURNED

    services.save_report(
        half_time, applicant, texts=texts_for(half_time, "Med siffror."), outcomes=outcomes_for(half_time), submit=True
    )
    half_time.refresh_from_db()
    assert half_time.status == ObligationStatus.SUBMITTED
    assert [
        e.action for e in AuditEntry.objects.for_object(case).filter(action__startswith="report.").order_by("at", "id")
    ] == [
        "report.submitted",
        "report.returned",
        "report.submitted",
    ]


def test_review_by_wrong_role_or_of_an_open_report_refused(norrkoping):
    _case, users, half_time = norrkoping

    with pytest.raises(TransitionRefusedError, match="bara en inlämnad rapport granskas"):
        services.review_report(half_time, users["preparer"], accept=True)
    services.save_report(
        half_time, users["applicant"], texts=texts_for(half_time), outcomes=outcomes_for(half_time), submit=True
    )
    with pytest.raises(
        TransitionRefusedError, match="Bara Tjänstepersonsgruppen på kommunstyrelsens kontor tar emot rapporten"
    ):
        services.review_report(half_time, users["controller"], accept=True)

    half_time.refresh_from_db()
    assert half_time.status == ObligationStatus.SUBMITTED


def test_negative_outcome_refused(norrkoping):
    _case, users, half_time = norrkoping

    with pytest.raises(ValidationError) as refused:
        services.save_report(
            half_time, users["applicant"], texts=texts_for(half_time), outcomes={2027: Decimal(-1), 2028: Decimal(0)}
        )

    assert refused.value.message_dict == {"outcome_2027": ["Utfallet kan inte vara negativt."]}


def test_economy_rows_use_the_granted_split_and_carry_earlier_outcomes(running, time_machine):
    case, users = running("ystad")
    services.generate_obligations(case)
    # The walk granted what was applied for (§ 1); a later § of the same meeting grants this split.
    decision = Decision.objects.create(
        municipality=case.municipality,
        body="Kommunstyrelsen",
        meeting_date=D(2027, 2, 15),
        paragraph=12,
        kind="grant",
        reason="Beviljas.",
        recorded_by=users["decision_body"],
    )
    line = DecisionLine.objects.create(decision=decision, case=case, total_amount=Decimal(900000))
    for year, amount in [(2027, 300000), (2028, 400000), (2029, 200000)]:
        DecisionYear.objects.create(line=line, year=year, amount=Decimal(amount))
    first, second = case.reporting_obligations.order_by("due_date")[:2]
    time_machine.move_to(datetime.datetime(2027, 9, 1, 10, tzinfo=datetime.UTC))
    services.save_report(
        first, users["applicant"], texts=texts_for(first), outcomes={2027: Decimal(120000)}, submit=True
    )

    assert selectors.economy_rows(second) == [(2027, Decimal(300000), Decimal("120000.00"))]
    third = case.reporting_obligations.order_by("due_date")[2]
    assert selectors.economy_rows(third) == [
        (2027, Decimal(300000), Decimal("120000.00")),
        (2028, Decimal(400000), None),
    ]


def test_replanning_keeps_a_report_begun_as_draft(running):
    case, users = running("sundsvall")
    services.generate_obligations(case)
    first = case.reporting_obligations.order_by("due_date").first()
    services.save_report(first, users["applicant"], texts=texts_for(first), outcomes={})

    services.generate_obligations(case)

    assert case.reporting_obligations.filter(pk=first.pk).exists()
    assert case.reporting_obligations.filter(due_date=first.due_date).count() == 1


def test_new_project_manager_writes_the_reports_and_the_old_one_no_longer(norrkoping):
    case, users, half_time = norrkoping
    manager = UserFactory(municipality=case.municipality)
    project_services.set_project_organisation(case, users["preparer"], manager=manager)
    case.refresh_from_db()
    half_time = case.reporting_obligations.get(pk=half_time.pk)

    assert services.may_write_report(half_time, manager) == (True, "")
    assert services.may_write_report(half_time, users["applicant"])[0] is False


def test_save_project_plan_under_the_template_headings(running):
    case, users = running("norrkoping")
    headings = selectors.plan_headings(case)

    plan = services.save_project_plan(case, users["applicant"], [f"Text {i}" for i in range(len(headings))])

    assert [s["title"] for s in plan.sections] == headings
    assert plan.sections[0]["text"] == "Text 0"
    assert AuditEntry.objects.for_object(case).filter(action="project.plan").count() == 1


def test_project_plan_follows_the_rule_sets_template(running):
    case, users = running("ystad")
    document = case.ruleset_version.document
    document["stages"]["start"]["project_plan_template"] = ["Syfte", "Mätplan", "Budget per år"]
    type(case.ruleset_version).objects.filter(pk=case.ruleset_version_id).update(
        document=document, fingerprint=document_fingerprint(document)
    )
    case = type(case).objects.get(pk=case.pk)

    plan = services.save_project_plan(case, users["applicant"], ["Varför.", "Hur vi mäter.", "Pengarna."])

    assert [(s["title"], s["text"]) for s in plan.sections] == [
        ("Syfte", "Varför."),
        ("Mätplan", "Hur vi mäter."),
        ("Budget per år", "Pengarna."),
    ]


def test_indicator_values_in_a_report_go_to_the_measurement_plan(norrkoping):
    from evaluation.models import Indicator, IndicatorValue, MeasurementPlan

    case, users, half_time = norrkoping
    plan = MeasurementPlan.objects.create(
        case=case, goals="Högre närvaro.", activities="Läxhjälp.", updated_by=users["applicant"]
    )
    attendance = Indicator.objects.create(
        plan=plan, name="Närvaro", kind="effect", unit="%", baseline_value=Decimal(85)
    )

    report = services.save_report(
        half_time,
        users["applicant"],
        texts=texts_for(half_time),
        outcomes=outcomes_for(half_time),
        submit=True,
        measured={attendance.pk: {"target": Decimal("91.5"), "comparison": Decimal(86)}},
    )

    stored = IndicatorValue.objects.filter(indicator=attendance).order_by("group")
    assert [(v.group, v.value, v.period, v.report_id) for v in stored] == [
        ("comparison", Decimal("86.00"), half_time.period_end, report.pk),
        ("target", Decimal("91.50"), half_time.period_end, report.pk),
    ]
    assert selectors.report_indicators(half_time) == [
        (attendance, {"comparison": Decimal("86.00"), "target": Decimal("91.50")})
    ]


def test_a_named_project_manager_enters_indicator_values_through_the_report(norrkoping):
    from evaluation.models import Indicator, IndicatorValue, MeasurementPlan

    case, users, half_time = norrkoping
    manager = UserFactory(municipality=case.municipality)
    project_services.set_project_organisation(case, users["preparer"], manager=manager)
    plan = MeasurementPlan.objects.create(case=case, goals="Mål.", activities="Akt.", updated_by=users["applicant"])
    indicator = Indicator.objects.create(plan=plan, name="Närvaro", kind="effect")
    half_time = type(half_time).objects.get(pk=half_time.pk)

    services.save_report(
        half_time, manager, texts=texts_for(half_time), outcomes={}, measured={indicator.pk: {"target": Decimal(90)}}
    )

    assert IndicatorValue.objects.get().entered_by == manager
