"""Telling people what a case waits for, once each, and what happened to it
(applications.services.notices), after the change commits."""

import datetime

import pytest
from django.db import transaction

from accounts.enums import Role
from accounts.models import User
from applications.enums import CaseState as S
from applications.enums import StepOutcome
from applications.models import Case, WaitNotice
from applications.recipients import case_applicants, decision_letter_recipients, people_waited_on
from applications.selectors import waiting_for, waiting_on_user
from applications.services.lifecycle import run_transition
from applications.services.notices import notify_open_waits, wait_key
from applications.services.steps import complete_step
from audit.services import record
from demo.walk import walk_to
from notifications.models import Delivery, Notification, NotificationKind
from tests.factories import UserFactory


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


def fresh(case):
    return Case.objects.get(pk=case.pk)


def told(**filters):
    """(recipient, kind, text, url) of the notifications made, oldest first."""
    rows = Notification.objects.filter(**filters).order_by("id")
    return [(n.recipient, n.kind, n.text, n.url) for n in rows]


def to_the_signatures(case, users):
    """Ystad's preparation up to the heads' signatures: its steps before them done in order."""
    for group in (1, 2, 3):
        for step in fresh(case).current_steps("preparation"):
            if step.group == group and step.is_pending:
                person = users[step.actor_role]
                if step.actor_role == "board":
                    person = User.objects.get(unit=step.unit, role_assignments__role=Role.BOARD)
                complete_step(fresh(case), step.pk, person, outcome=StepOutcome.POSITIVE)
    return fresh(case)


# ---- Who is behind a wait ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("slug", "state"),
    [
        ("heby", S.SUBMITTED),
        ("heby", S.GRANTED),
        ("ale", S.IN_PREPARATION),
        ("sundsvall", S.IN_PREPARATION),
        ("ystad", S.IN_PREPARATION),
        ("ystad", S.READY_FOR_DECISION),
        ("norrkoping", S.SUBMITTED),
    ],
)
def test_the_people_behind_each_wait_are_those_the_case_page_says_it_waits_for(new_case, today, slug, state):
    case, users = new_case(slug)
    case = walk_to(case, state, users)
    if slug == "ystad" and state == S.IN_PREPARATION:
        case = to_the_signatures(case, users)  # a unit's head signs, whatever their role
    case = fresh(case)
    # Someone of another municipality holding every role is never waited on.
    UserFactory(roles=list(Role))
    everyone = list(User.objects.filter(municipality=case.municipality))

    waits = waiting_for(case)
    assert waits
    for waiting in waits:
        expected = {person for person in everyone if waiting.reason in waiting_on_user(case, person)}
        assert set(people_waited_on(case, waiting)) == expected, waiting


def test_the_applicant_role_is_waited_on_only_in_its_own_cases(new_case, today):
    case, users = new_case("heby")
    case = walk_to(case, S.RETURNED, users)
    stranger = UserFactory(municipality=case.municipality, roles=[Role.APPLICANT])

    (waiting,) = waiting_for(fresh(case))
    people = people_waited_on(fresh(case), waiting)
    assert users["applicant"] in people
    assert stranger not in people


# ---- Told once, after the change commits -------------------------------------------------------
def test_a_submission_tells_the_preparing_group_once(new_case, today, django_capture_on_commit_callbacks):
    case, users = new_case("heby")
    case = walk_to(case, S.DRAFT, users)
    from demo.walk import fill_application

    fill_application(case, users["applicant"])
    with django_capture_on_commit_callbacks(execute=True):
        run_transition(fresh(case), "submit", users["applicant"])
    case = fresh(case)
    assert told() == [
        (
            users["preparer"],
            NotificationKind.CASE_SUBMITTED,
            f"{case} väntar på dig: Ny ansökan att bereda.",
            f"/arenden/{case.pk}/#h-next",
        )
    ]
    # A later change that leaves the same wait tells nobody again.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        record(case, "comment.posted", actor=users["preparer"])
    assert Notification.objects.count() == 1


def test_a_draft_waits_for_its_writers_and_tells_nobody(new_case, today, django_capture_on_commit_callbacks):
    case, users = new_case("heby")
    colleague = UserFactory(municipality=case.municipality, roles=[Role.APPLICANT], unit=case.applicant_unit)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        record(fresh(case), "case.saved", actor=users["applicant"])
    assert colleague in people_waited_on(fresh(case), waiting_for(fresh(case))[0])
    assert (Notification.objects.count(), WaitNotice.objects.count()) == (0, 0)


def test_a_wait_that_comes_back_after_a_later_change_is_told_anew(new_case, today, django_capture_on_commit_callbacks):
    case, users = new_case("heby")
    case = walk_to(case, S.RETURNED, users)
    for name, user, details in [
        ("resubmit", users["applicant"], {}),
        ("start_preparation", users["preparer"], {}),
        ("return_for_completion", users["preparer"], {"reason": "Budget", "missing": ["Budget"]}),
        ("resubmit", users["applicant"], {}),
    ]:
        with django_capture_on_commit_callbacks(execute=True):  # each change commits on its own
            run_transition(fresh(case), name, user, **details)

    resubmitted = [n for n in told(recipient=users["preparer"]) if "Kompletterad ansökan att bereda." in n[2]]
    assert len(resubmitted) == 2


def test_whoever_makes_the_change_is_not_told_of_the_wait_it_leaves_them(
    new_case, today, django_capture_on_commit_callbacks
):
    case, users = new_case("heby")
    case = walk_to(case, S.SUBMITTED, users)
    with django_capture_on_commit_callbacks(execute=True):
        run_transition(fresh(case), "start_preparation", users["preparer"])
    case = fresh(case)
    (first,) = [s for s in case.current_steps("preparation") if s.actor_role == "preparer"]

    # The preparer began the preparation and its first step is theirs: they know. It is counted
    # as told, so a later change does not tell them either.
    assert told(recipient=users["preparer"]) == []
    (waiting,) = waiting_for(case)
    assert WaitNotice.objects.filter(case=case, user=users["preparer"], key=wait_key(waiting)).exists()

    with django_capture_on_commit_callbacks(execute=True):
        complete_step(case, first.pk, users["preparer"], outcome=StepOutcome.POSITIVE)
    case = fresh(case)
    (step,) = [s for s in case.current_steps("preparation") if s.actor_role == "management"]
    assert told(recipient=users["management"]) == [
        (
            users["management"],
            NotificationKind.STEP_ASSIGNED,
            f"{case} väntar på dig: Steg: {step}.",
            f"/arenden/{case.pk}/#h-steps-preparation",
        )
    ]


def test_a_return_for_completion_tells_the_applicants_once(new_case, today, django_capture_on_commit_callbacks):
    case, users = new_case("heby")
    case = walk_to(case, S.IN_PREPARATION, users)
    with django_capture_on_commit_callbacks(execute=True):
        run_transition(fresh(case), "return_for_completion", users["preparer"], reason="Budget", missing=["Budget"])

    # Told by the return itself, with what is missing; not again by the wait it leaves.
    kinds = [kind for _recipient, kind, _text, _url in told(recipient=users["applicant"])]
    assert kinds == [NotificationKind.CASE_RETURNED]


def test_a_rolled_back_change_tells_nobody(new_case, today, django_capture_on_commit_callbacks):
    case, users = new_case("heby")
    case = walk_to(case, S.SUBMITTED, users)

    def begin_then_fail():
        with transaction.atomic():
            run_transition(fresh(case), "start_preparation", users["preparer"])
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        begin_then_fail()
    assert (Notification.objects.count(), WaitNotice.objects.filter(case=case).count()) == (0, 0)


def test_the_wait_is_told_in_each_persons_language(new_case, today, django_capture_on_commit_callbacks):
    case, users = new_case("heby")
    case = walk_to(case, S.READY_FOR_DECISION, users)
    english = UserFactory(municipality=case.municipality, roles=[Role.DECISION_BODY], language="en")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        record(fresh(case), "comment.posted", actor=users["preparer"])

    texts = dict(Notification.objects.filter(kind=NotificationKind.READY_FOR_DECISION).values_list("recipient", "text"))
    case = fresh(case)
    assert texts == {
        users["decision_body"].pk: f"{case} väntar på dig: Ansökan väntar på beslut.",
        english.pk: f"{case} is waiting for you: The application is awaiting a decision.",
    }
    assert {n.url for n in Notification.objects.all()} == {f"/arenden/{case.pk}/#h-decisions"}


def test_heads_are_asked_to_sign_where_their_signature_is_a_step(new_case, today, django_capture_on_commit_callbacks):
    case, users = new_case("ystad")
    case = walk_to(case, S.IN_PREPARATION, users)
    with django_capture_on_commit_callbacks(execute=True):
        case = to_the_signatures(case, users)

    signing = [w for w in waiting_for(case) if w.signs_for_unit]
    assert signing
    heads = {person for waiting in signing for person in people_waited_on(case, waiting)}
    asked = Notification.objects.filter(kind=NotificationKind.SIGNATURE_REQUESTED)
    assert {n.recipient for n in asked} == heads
    assert {n.url for n in asked} == {f"/arenden/{case.pk}/#h-signatures"}


# ---- What happened: outcomes and the stage's followers -----------------------------------------
def test_a_grant_tells_the_applicants_in_fonden_and_plu_follows_it(new_case, today, django_capture_on_commit_callbacks):
    from decisions.models import DecisionKind
    from decisions.services import asked_total, record_decision

    case, users = new_case("sundsvall")
    case = walk_to(case, S.READY_FOR_DECISION, users)
    colleague = UserFactory(municipality=case.municipality, roles=[Role.APPLICANT], unit=case.applicant_unit)
    with django_capture_on_commit_callbacks(execute=True):
        record_decision(
            users["decision_body"],
            cases=[case],
            kind=DecisionKind.GRANT,
            meeting_date=datetime.date(2026, 9, 15),
            paragraph="12",
            reason="Uppfyller riktlinjen.",
            amounts={case.pk: (asked_total(case), {c.year: c.amount for c in case.costs.all()})},
        )
    case = fresh(case)
    granted = f"{case} har fått status ”beviljad”."
    decided = Notification.objects.filter(kind=NotificationKind.CASE_DECIDED).order_by("recipient_id")
    # The applicant gets the decision letter by e-mail (the decisions app): here, Fonden only.
    letter = decision_letter_recipients(case)
    assert users["applicant"] in letter
    assert colleague not in letter
    applicants = sorted(case_applicants(case), key=lambda person: person.pk)
    assert colleague in applicants
    assert [(n.recipient, n.text, n.delivery) for n in decided] == [
        (person, granted, Delivery.APP if person in letter else Delivery.NOW) for person in applicants
    ]
    assert told(kind=NotificationKind.CASE_FOLLOWED) == [
        (
            users["management"],
            NotificationKind.CASE_FOLLOWED,
            f"För kännedom: {case} har fått status ”beviljad”.",
            f"/arenden/{case.pk}/",
        )
    ]
    # Told of the grant, the applicants are not told again of the wait it leaves them.
    assert Notification.objects.filter(recipient=users["applicant"]).count() == 1


def test_without_informed_roles_nobody_follows(new_case, today, django_capture_on_commit_callbacks):
    case, users = new_case("heby")
    case = walk_to(case, S.IN_PREPARATION, users)
    with django_capture_on_commit_callbacks(execute=True):
        walk_to(fresh(case), S.REJECTED, users)
    assert told(kind=NotificationKind.CASE_FOLLOWED) == []
    rejected = told(kind=NotificationKind.CASE_DECIDED)
    assert users["applicant"] in case_applicants(fresh(case))
    assert [(recipient, text) for recipient, _kind, text, _url in rejected] == [
        (person, f"{fresh(case)} har fått status ”avslagen”.") for person in case_applicants(fresh(case))
    ]


def test_an_evaluation_tells_the_applicants(new_case, today, django_capture_on_commit_callbacks):
    case, users = new_case("heby")
    case = walk_to(case, S.FINAL_REPORT if fresh(case).rules.reporting.has_final_report else S.RUNNING, users)
    with django_capture_on_commit_callbacks(execute=True):
        case = walk_to(fresh(case), S.EVALUATED, users)
    evaluated = told(kind=NotificationKind.CASE_EVALUATED)
    # The one who handed in the evaluation made the change: the other applicants are told.
    others = [person for person in case_applicants(case) if person != users["preparer"]]
    assert others
    assert [(recipient, text) for recipient, _kind, text, _url in evaluated] == [
        (person, f"{case} har fått status ”utvärderat”.") for person in others
    ]


# ---- Waits that come with the date -------------------------------------------------------------
def test_a_report_whose_period_has_ended_is_told_once_with_a_link_to_it(new_case, time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")
    case, users = new_case("heby")
    case = walk_to(case, S.RUNNING, users)
    obligation = fresh(case).reporting_obligations.order_by("due_date").first()
    notify_open_waits()  # while the first period runs, no report is due
    assert told(kind=NotificationKind.REPORT_DUE) == []

    time_machine.move_to(datetime.datetime.combine(obligation.period_end, datetime.time(12), tzinfo=datetime.UTC))
    time_machine.shift(datetime.timedelta(days=1))
    first = notify_open_waits()
    second = notify_open_waits()

    due = told(kind=NotificationKind.REPORT_DUE)
    assert (first, second, len(due)) == (1, 0, 1)
    recipient, _kind, text, url = due[0]
    assert recipient == users["applicant"]  # the project manager until one is named
    assert text.startswith(f"{fresh(case)} väntar på dig: Rapport att lämna: {obligation.display_name} för perioden")
    assert url == f"/arenden/{case.pk}/rapporter/{obligation.pk}/"


def test_changes_held_back_are_told_as_waits_afterwards(new_case, today, django_capture_on_commit_callbacks):
    from applications.services.notices import held_back

    case, users = new_case("heby")
    with django_capture_on_commit_callbacks(execute=True), held_back():
        case = walk_to(case, S.READY_FOR_DECISION, users)
    assert Notification.objects.count() == 0

    assert notify_open_waits() == 1
    assert [n.recipient for n in Notification.objects.all()] == [users["decision_body"]]


@pytest.mark.django_db
def test_the_morning_task_is_scheduled_in_beat():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="applications.tasks.notify_waits_of_open_cases")
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("6", "50", "Europe/Stockholm")
