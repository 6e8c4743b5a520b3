"""The decision letter reaches the applicant and the participating units' heads by e-mail, with
its PDF; it is recorded as expedierat, and a failed send is shown and tried again."""

import datetime
import smtplib

import pytest
from django.core.mail import EmailMessage
from django.urls import reverse

from accounts.enums import Role
from applications.enums import CaseState as S
from applications.models import Case
from applications.recipients import unit_heads
from audit.models import AuditEntry
from decisions import letters
from decisions.models import DecisionKind, DocumentKind, LetterDispatch
from decisions.services import asked_total, issue_decision_documents, record_decision
from demo.walk import walk_to
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MEETING = datetime.date(2026, 9, 15)


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


def decide(case, users, kind=DecisionKind.GRANT):
    amounts = {case.pk: (asked_total(case), {c.year: c.amount for c in case.costs.all()})}
    decision = record_decision(
        users["decision_body"],
        cases=[case],
        kind=kind,
        meeting_date=MEETING,
        paragraph="42",
        reason="Insatsen uppfyller riktlinjens kriterier.",
        amounts=amounts if kind == DecisionKind.GRANT else None,
    )
    return issue_decision_documents(decision, users["decision_body"])


@pytest.fixture
def ystad_ready(new_case, today):
    case, users = new_case("ystad")
    return walk_to(case, S.READY_FOR_DECISION, users), users


def refuse_to_send(*args, **kwargs):
    raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_the_letter_goes_to_the_applicant_and_each_units_head_with_its_pdf(
    ystad_ready, mailoutbox, django_capture_on_commit_callbacks
):
    case, users = ystad_ready
    heads = unit_heads(case)
    assert heads  # Ystad's förvaltningschefer
    heads[0].language = "en"
    heads[0].save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        documents = decide(case, users)

    (letter,) = [d for d in documents if d.kind == DocumentKind.LETTER]
    case = Case.objects.get(pk=case.pk)
    letter_mails = [m for m in mailoutbox if m.attachments]
    assert [m.to for m in letter_mails] == [[users["applicant"].email], *[[head.email] for head in heads]]
    subjects = {m.to[0]: m.subject for m in letter_mails}
    assert subjects[users["applicant"].email] == f"Beslut i ärende {case.number}"
    assert subjects[heads[0].email] == f"Decision in case {case.number}"
    for mail in letter_mails:
        assert mail.attachments == [(letter.filename, bytes(letter.content), "application/pdf")]
        assert f"http://127.0.0.1:8000/arenden/{case.pk}/" in mail.body
    assert "har fattat beslut i ärendet" in letter_mails[0].body

    dispatches = LetterDispatch.objects.filter(case=case)
    assert all(d.sent_at is not None and d.attempts == 1 for d in dispatches)
    sent = AuditEntry.objects.for_object(case).filter(action="decision.letter_sent").order_by("id")
    assert [(e.actor, e.data["email"]) for e in sent] == [
        (users["decision_body"], person.email) for person in [users["applicant"], *heads]
    ]
    assert sent[0].reason == (
        f"till {users['applicant']} <{users['applicant'].email}> med e-post, {letter.title} (PDF) bifogad"
    )


def test_the_case_page_shows_the_letter_as_expedierat(ystad_ready, client, django_capture_on_commit_callbacks):
    case, users = ystad_ready
    with django_capture_on_commit_callbacks(execute=True):
        decide(case, users)
    client.force_login(users["applicant"])
    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()

    assert "Beslutsbrevet expedieras" in html
    assert f"{users['applicant']} &lt;{users['applicant'].email}&gt;" in html
    assert f"av {users['decision_body']}, med e-post" in html
    assert "Skicka" not in html.split("Beslutsbrevet expedieras")[1].split("</table>")[1][:200]


def test_a_rejection_sends_its_letter_too(new_case, today, mailoutbox, django_capture_on_commit_callbacks):
    case, users = new_case("heby")
    case = walk_to(case, S.READY_FOR_DECISION, users)
    with django_capture_on_commit_callbacks(execute=True):
        decide(case, users, kind=DecisionKind.REJECT)
    assert [m.to for m in mailoutbox if m.attachments] == [[users["applicant"].email]]


def test_a_decision_on_a_running_project_has_no_letter_and_plu_is_told_of_it(
    new_case, today, django_capture_on_commit_callbacks
):
    from notifications.models import Notification, NotificationKind

    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)
    with django_capture_on_commit_callbacks(execute=True):
        decision = record_decision(
            users["decision_body"],
            cases=[case],
            kind=DecisionKind.DESIGN_CHANGE,
            meeting_date=datetime.date.today(),
            paragraph="7",
            reason="Målgruppen nås bättre så.",
            change="Insatsen flyttar till skolorna.",
        )
        issue_decision_documents(decision, users["decision_body"])
    assert LetterDispatch.objects.count() == 0
    followed = Notification.objects.filter(kind=NotificationKind.CASE_FOLLOWED)
    assert [(n.recipient, n.text) for n in followed] == [
        (users["management"], f"För kännedom: {Case.objects.get(pk=case.pk)}: Upplägget ändrat genom beslut.")
    ]


def test_a_failed_send_is_shown_and_tried_again_until_it_goes(
    ystad_ready, client, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    case, users = ystad_ready
    monkeypatch.setattr(EmailMessage, "send", refuse_to_send)
    with django_capture_on_commit_callbacks(execute=True):
        decide(case, users)

    dispatch = LetterDispatch.objects.filter(case=case).first()
    assert (dispatch.sent_at, dispatch.attempts, dispatch.last_error) == (None, 1, "Connection unexpectedly closed")
    assert not AuditEntry.objects.for_object(case).filter(action="decision.letter_sent").exists()
    client.force_login(users["preparer"])
    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "Utskicket misslyckades, försöker igen" in html
    assert "1 försök; senaste fel: Connection unexpectedly closed" in html
    assert "igen nu</button>" in html

    assert letters.resend_unsent_letters() == 0  # still down
    dispatch.refresh_from_db()
    assert dispatch.attempts == 2

    monkeypatch.undo()
    count = LetterDispatch.objects.filter(case=case).count()
    assert letters.resend_unsent_letters() == count
    assert letters.resend_unsent_letters() == 0
    assert len([m for m in mailoutbox if m.attachments]) == count
    assert AuditEntry.objects.for_object(case).filter(action="decision.letter_sent").count() == count
    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "Utskicket misslyckades" not in html


def test_an_old_failure_is_no_longer_retried_by_beat(ystad_ready, monkeypatch, time_machine):
    case, users = ystad_ready
    monkeypatch.setattr(EmailMessage, "send", refuse_to_send)
    decide(case, users)  # not committed in this test: nothing tried yet
    time_machine.shift(letters.RESEND_WITHIN + datetime.timedelta(hours=1))
    monkeypatch.undo()
    assert letters.resend_unsent_letters() == 0


def test_the_preparing_group_may_send_it_again_at_once_others_may_not(
    ystad_ready, client, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    case, users = ystad_ready
    monkeypatch.setattr(EmailMessage, "send", refuse_to_send)
    with django_capture_on_commit_callbacks(execute=True):
        (letter,) = [d for d in decide(case, users) if d.kind == DocumentKind.LETTER]
    monkeypatch.undo()
    url = reverse("decisions:resend_letter", args=[letter.pk])

    client.force_login(users["applicant"])
    assert client.post(url).status_code == 403
    client.force_login(UserFactory(roles=[Role.PREPARER]))  # of another municipality
    assert client.post(url).status_code == 404
    assert LetterDispatch.objects.filter(sent_at__isnull=False).count() == 0

    client.force_login(users["preparer"])
    response = client.post(url, follow=True)
    assert response.redirect_chain[0][0] == f"/arenden/{case.pk}/#h-decisions"
    assert "Beslutsbrevet är skickat igen." in response.content.decode()
    assert LetterDispatch.objects.filter(sent_at__isnull=True).count() == 0
    # Everything has gone out: nothing more to send.
    response = client.post(url, follow=True)
    assert "Beslutsbrevet är redan expedierat till alla mottagare." in response.content.decode()


def test_the_letter_resend_is_scheduled_in_beat():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="decisions.tasks.resend_unsent_decision_letters")
    assert (task.interval.every, task.interval.period) == (15, "minutes")
