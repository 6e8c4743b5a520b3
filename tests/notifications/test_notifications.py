import pytest
from django.urls import reverse

from accounts.enums import Role
from notifications.models import Notification, NotificationKind
from notifications.services import notify, send_notification_email

pytestmark = pytest.mark.django_db


def test_notify_stores_and_mails_after_commit(member, mailoutbox, django_capture_on_commit_callbacks):
    person = member("ale", Role.PREPARER)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(person, NotificationKind.REVIEWER_ASSIGNED, "Du är bedömare.", url="/arenden/1/")

    assert [m.to for m in mailoutbox] == [[person.email]]
    assert mailoutbox[0].subject == "Fonden: tilldelad som bedömare"
    assert "Du är bedömare.\n\nhttp://127.0.0.1:8000/arenden/1/" in mailoutbox[0].body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_email_is_sent_once_even_if_asked_twice(member, mailoutbox):
    person = member("ale", Role.PREPARER)
    notification = notify(person, NotificationKind.MENTIONED, "Omnämnd.")
    assert (send_notification_email(notification.pk), send_notification_email(notification.pk)) == (True, False)
    assert len(mailoutbox) == 1


def test_rolled_back_change_sends_no_email(member, mailoutbox, django_capture_on_commit_callbacks):
    from django.db import transaction

    person = member("ale", Role.PREPARER)

    def notify_then_fail():
        with transaction.atomic():
            notify(person, NotificationKind.MENTIONED, "Omnämnd.")
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        notify_then_fail()
    assert (Notification.objects.count(), mailoutbox) == (0, [])


def test_unread_count_in_header_and_mark_all_read(client, member):
    person = member("ystad", Role.BOARD)
    other = member("ystad", Role.BOARD)
    notify(person, NotificationKind.CONSULTATION_REQUESTED, "Remiss till dig.")
    notify(person, NotificationKind.DEADLINE_NEAR, "Snart sista dag.")
    notify(other, NotificationKind.DEADLINE_NEAR, "Inte din.")
    client.force_login(person)

    html = client.get(reverse("notifications:list")).content.decode()
    assert '2<span class="visually-hidden"> olästa</span>' in html
    assert "Remiss till dig." in html
    assert "Inte din." not in html

    client.post(reverse("notifications:mark_all_read"))
    assert person.notifications.unread().count() == 0
    assert other.notifications.unread().count() == 1


def test_mail_server_down_leaves_the_email_unsent_and_it_is_sent_later(
    member, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    import smtplib

    from notifications import services

    person = member("ale", Role.PREPARER)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(services, "send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(person, NotificationKind.DEADLINE_NEAR, "Rapporten ska lämnas.")

    notification.refresh_from_db()
    assert (notification.emailed_at, notification.email_attempts) == (None, 1)
    assert notification.email_error == "Connection unexpectedly closed"
    assert services.resend_unsent_emails() == 0  # still down: still unsent
    notification.refresh_from_db()
    assert (notification.emailed_at, notification.email_attempts) == (None, 2)

    monkeypatch.undo()
    assert services.resend_unsent_emails() == 1
    assert services.resend_unsent_emails() == 0
    assert [m.to for m in mailoutbox] == [[person.email]]
    notification.refresh_from_db()
    assert (notification.email_attempts, notification.email_error) == (3, "")


def test_notify_each_writes_in_each_receivers_language(member, mailoutbox, django_capture_on_commit_callbacks):
    from django.utils.translation import gettext_lazy

    from notifications.services import notify_each

    swede = member("ale", Role.PREPARER)
    english = member("ale", Role.PREPARER, language="en")
    message = gettext_lazy("Påminnelse: %(name)s för %(case)s ska lämnas senast %(due)s.")
    values = {"name": "Slutrapport", "case": "KS 2027/0001", "due": "2027-12-31"}

    with django_capture_on_commit_callbacks(execute=True):
        notify_each([swede, english, swede], NotificationKind.DEADLINE_NEAR, message, values)

    texts = dict(Notification.objects.values_list("recipient", "text"))
    assert texts == {
        swede.pk: "Påminnelse: Slutrapport för KS 2027/0001 ska lämnas senast 2027-12-31.",
        english.pk: "Reminder: Slutrapport for KS 2027/0001 is due by 2027-12-31.",
    }
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects == {swede.email: "Fonden: tidsfrist närmar sig", english.email: "Fonden: deadline approaching"}


def test_resend_task_is_scheduled_in_beat():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="notifications.tasks.resend_unsent_notification_emails")
    assert (task.interval.every, task.interval.period) == (15, "minutes")
