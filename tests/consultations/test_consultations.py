import datetime

import pytest
from django.urls import reverse

from applications.enums import CaseState as S
from applications.services import TransitionRefusedError
from consultations.services import answer, delegate, delegation_allowed, request_consultation
from demo.walk import walk_to
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NEXT_MONTH = datetime.date(2026, 10, 15)


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


def prepared(new_case, slug):
    case, users = new_case(slug)
    return walk_to(case, S.IN_PREPARATION, users), users


def a_namnd(case):
    """The nämnd the board user represents (the first, see the ``people`` fixture)."""
    return case.municipality.units.filter(kind="namnd").order_by("pk").first()


@pytest.mark.parametrize(
    ("slug", "allowed"), [("heby", False), ("ale", False), ("sundsvall", True), ("ystad", False), ("norrkoping", False)]
)
def test_only_sundsvall_lets_the_board_delegate(new_case, today, slug, allowed):
    case, _users = new_case(slug)
    assert delegation_allowed(case) is allowed


def test_preparer_requests_and_board_answers_with_conditions(new_case, today):
    case, users = prepared(new_case, "ystad")
    namnd = a_namnd(case)
    [consultation] = request_consultation(
        case, users["preparer"], units=[namnd], question="Synpunkter?", deadline=NEXT_MONTH
    )
    assert Notification.objects.filter(recipient=users["board"], kind="consultation_requested").count() == 1

    answered = answer(consultation, users["board"], position="conditions", text="Om elevhälsan deltar.")

    assert (answered.position, answered.answer, answered.answered_by) == (
        "conditions",
        "Om elevhälsan deltar.",
        users["board"],
    )


def test_request_refused_for_wrong_role_past_deadline_and_no_units(new_case, today):
    case, users = prepared(new_case, "ystad")
    namnd = a_namnd(case)
    with pytest.raises(TransitionRefusedError, match="Bara Processgruppen kan skicka remisser"):
        request_consultation(case, users["applicant"], units=[namnd], question="?", deadline=NEXT_MONTH)
    with pytest.raises(TransitionRefusedError, match="Svarsdatum måste vara efter i dag"):
        request_consultation(case, users["preparer"], units=[namnd], question="?", deadline=datetime.date(2026, 9, 1))
    with pytest.raises(TransitionRefusedError, match="Välj minst en remissinstans"):
        request_consultation(case, users["preparer"], units=[], question="?", deadline=NEXT_MONTH)
    assert case.consultations.count() == 0


def test_answer_refused_after_the_case_is_decided(new_case, today):
    case, users = prepared(new_case, "heby")
    [consultation] = request_consultation(
        case, users["preparer"], units=[a_namnd(case)], question="?", deadline=NEXT_MONTH
    )
    walk_to(case, S.GRANTED, users)

    with pytest.raises(TransitionRefusedError) as refusal:
        answer(consultation, users["board"], position="support", text="")

    assert str(refusal.value) == "Remissvar tas inte längre emot när ärendet är beviljat."
    consultation.refresh_from_db()
    assert consultation.answered_at is None


def test_answer_refused_for_someone_without_the_role_and_of_another_municipality(new_case, people, today):
    case, users = prepared(new_case, "ystad")
    namnd = a_namnd(case)
    [consultation] = request_consultation(case, users["preparer"], units=[namnd], question="?", deadline=NEXT_MONTH)
    heby = people("heby")
    for outsider in (users["applicant"], heby["board"]):
        with pytest.raises(TransitionRefusedError, match=f"Bara {namnd.name} eller den som fått delegation kan svara"):
            answer(consultation, outsider, position="support", text="")


def test_sundsvall_board_delegates_to_a_named_official_who_answers(new_case, today):
    case, users = prepared(new_case, "sundsvall")
    namnd = a_namnd(case)
    official = UserFactory(municipality=case.municipality, full_name="Olle Tjänsteperson", unit=namnd)
    [consultation] = request_consultation(case, users["preparer"], units=[namnd], question="?", deadline=NEXT_MONTH)

    delegate(consultation, users["board"], official)
    with pytest.raises(TransitionRefusedError):
        answer(consultation, users["board"], position="support", text="")
    answered = answer(consultation, official, position="support", text="Tillstyrks på delegation.")

    assert (answered.delegate, answered.answered_by) == (official, official)


def test_ystad_board_cannot_delegate(new_case, today):
    case, users = prepared(new_case, "ystad")
    [consultation] = request_consultation(
        case, users["preparer"], units=[a_namnd(case)], question="?", deadline=NEXT_MONTH
    )
    with pytest.raises(TransitionRefusedError, match="Regelverket medger inte att ställningstagandet delegeras"):
        delegate(consultation, users["board"], users["preparer"])


def test_case_page_shows_consultation_and_answer_form_to_the_board(client, new_case, today):
    case, users = prepared(new_case, "ystad")
    namnd = a_namnd(case)
    request_consultation(case, users["preparer"], units=[namnd], question="Hur påverkas <skolan>?", deadline=NEXT_MONTH)
    client.force_login(users["board"])
    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "Hur påverkas &lt;skolan&gt;?" in html
    assert f'Lämna remissvar<span class="visually-hidden"> för {namnd.name}' in html
    client.force_login(users["applicant"])
    assert "Remisser" not in client.get(reverse("applications:detail", args=[case.pk])).content.decode()


def test_answer_through_the_page(client, new_case, today):
    case, users = prepared(new_case, "ystad")
    [consultation] = request_consultation(
        case, users["preparer"], units=[a_namnd(case)], question="?", deadline=NEXT_MONTH
    )
    client.force_login(users["board"])
    client.post(
        reverse("consultations:answer", args=[case.pk, consultation.pk]), {"position": "object", "answer": "Nej."}
    )
    consultation.refresh_from_db()
    assert (consultation.position, consultation.answer) == ("object", "Nej.")


def test_deadline_reminder_is_sent_once(new_case, today, mailoutbox, django_capture_on_commit_callbacks):
    from consultations.services import remind_deadlines_near
    from consultations.tasks import remind_consultation_deadlines

    case, users = prepared(new_case, "ystad")
    soon = datetime.date(2026, 9, 17)
    with django_capture_on_commit_callbacks(execute=True):
        request_consultation(case, users["preparer"], units=[a_namnd(case)], question="?", deadline=soon)
        request_consultation(case, users["preparer"], units=[a_namnd(case)], question="?", deadline=NEXT_MONTH)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = remind_consultation_deadlines.delay().get()
        second = remind_deadlines_near()

    assert (first, second) == (1, 0)
    reminders = Notification.objects.filter(kind="deadline_near")
    assert [n.recipient for n in reminders] == [users["board"]]
    assert [m.to for m in mailoutbox] == [[users["board"].email]]


def test_reminder_task_is_scheduled_in_beat():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="consultations.tasks.remind_consultation_deadlines")
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("7", "0", "Europe/Stockholm")
