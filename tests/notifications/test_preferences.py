"""Each person chooses per kind how notifications reach them: e-mail at once, one e-mail a day, or
only in Fonden; and the settings page where they choose."""

import pytest
from django.urls import reverse

from accounts.enums import Role
from notifications.models import Delivery, Notification, NotificationKind, NotificationPreference
from notifications.services import notify, resend_unsent_emails, send_digests

pytestmark = pytest.mark.django_db


def choose(person, kind, delivery):
    NotificationPreference.objects.create(user=person, kind=kind, delivery=delivery)


def test_without_a_choice_each_notification_is_mailed_at_once(member, mailoutbox, django_capture_on_commit_callbacks):
    person = member("ale", Role.PREPARER)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(person, NotificationKind.CASE_SUBMITTED, "Ny ansökan att bereda.")
    assert notification.delivery == Delivery.NOW
    assert [m.to for m in mailoutbox] == [[person.email]]


def test_in_app_only_sends_no_email_ever(member, mailoutbox, django_capture_on_commit_callbacks):
    person = member("ale", Role.PREPARER)
    choose(person, NotificationKind.CASE_SUBMITTED, Delivery.APP)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(person, NotificationKind.CASE_SUBMITTED, "Ny ansökan att bereda.")

    assert notification.delivery == Delivery.APP
    assert (resend_unsent_emails(), send_digests()) == (0, 0)
    assert mailoutbox == []
    assert person.notifications.unread().count() == 1  # still shown in Fonden


def test_a_choice_for_one_kind_leaves_the_others_at_once(member, mailoutbox, django_capture_on_commit_callbacks):
    person = member("ale", Role.PREPARER)
    choose(person, NotificationKind.CASE_SUBMITTED, Delivery.APP)
    with django_capture_on_commit_callbacks(execute=True):
        notify(person, NotificationKind.CASE_SUBMITTED, "Ny ansökan.")
        notify(person, NotificationKind.MENTIONED, "Omnämnd.")
    assert [m.subject for m in mailoutbox] == ["Fonden: omnämnd i en kommentar"]


def test_the_daily_digest_sends_the_days_notifications_in_one_email_once(
    member, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to("2026-09-15 10:00 +02:00")
    person = member("ale", Role.PREPARER)
    other = member("ale", Role.PREPARER)
    for kind in (NotificationKind.CASE_SUBMITTED, NotificationKind.STEP_ASSIGNED):
        choose(person, kind, Delivery.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        notify(person, NotificationKind.CASE_SUBMITTED, "Ny ansökan att bereda.", url="/arenden/1/")
        notify(person, NotificationKind.STEP_ASSIGNED, "Steg: Kontrollera ansökan.", url="/arenden/2/#h-steps")
        notify(other, NotificationKind.CASE_SUBMITTED, "Ny ansökan att bereda.")
    assert [m.to for m in mailoutbox] == [[other.email]]  # the digest's are not mailed one by one
    mailoutbox.clear()

    time_machine.move_to("2026-09-16 07:15 +02:00")
    assert (send_digests(), send_digests()) == (1, 0)

    (digest,) = mailoutbox
    assert digest.to == [person.email]
    assert digest.subject == "Fonden: dina aviseringar 2026-09-16"
    assert "(2 aviseringar)" in digest.body
    assert "- Ny ansökan att bereda.\n  Idé eller ansökan inlämnad\n  http://127.0.0.1:8000/arenden/1/" in digest.body
    assert "- Steg: Kontrollera ansökan.\n  Steg att göra\n  http://127.0.0.1:8000/arenden/2/#h-steps" in digest.body
    assert "http://127.0.0.1:8000/aviseringar/installningar/" in digest.body
    assert not Notification.objects.filter(recipient=person, emailed_at__isnull=True).exists()


def test_the_digest_is_written_in_the_persons_language(member, mailoutbox, time_machine):
    time_machine.move_to("2026-09-16 07:15 +02:00")
    person = member("ale", Role.PREPARER, language="en")
    choose(person, NotificationKind.REPORT_DUE, Delivery.DIGEST)
    notify(person, NotificationKind.REPORT_DUE, "Report to hand in.")

    assert send_digests() == 1
    assert mailoutbox[0].subject == "Fonden: your notifications 2026-09-16"
    assert "(1 notification)" in mailoutbox[0].body
    assert "Report to hand in" in mailoutbox[0].body


def test_a_digest_the_mail_server_refused_is_sent_with_the_next_one(member, mailoutbox, monkeypatch):
    import smtplib

    from notifications import services

    person = member("ale", Role.PREPARER)
    choose(person, NotificationKind.CASE_WAITING, Delivery.DIGEST)
    notify(person, NotificationKind.CASE_WAITING, "Första.")

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(services, "send_mail", refuse)
    assert send_digests() == 0
    assert Notification.objects.get().email_error == "Connection unexpectedly closed"
    monkeypatch.undo()
    notify(person, NotificationKind.CASE_WAITING, "Andra.")

    assert send_digests() == 1
    assert "(2 aviseringar)" in mailoutbox[0].body


def test_the_digest_task_is_scheduled_every_morning():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="notifications.tasks.send_daily_digests")
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("7", "15", "Europe/Stockholm")


# ---- The settings page -------------------------------------------------------------------------
def test_the_settings_page_shows_each_kind_with_the_current_choice(client, member):
    person = member("ystad", Role.BOARD)
    choose(person, NotificationKind.DEADLINE_NEAR, Delivery.DIGEST)
    client.force_login(person)

    html = client.get(reverse("notifications:settings")).content.decode()
    assert html.count("<fieldset") == len(NotificationKind)
    assert '<legend class="col-md-5 col-form-label pt-0 fs-6 fw-semibold">Tidsfrist närmar sig</legend>' in html
    assert 'name="deadline_near" value="digest" id="id_deadline_near_1" checked' in html
    assert 'name="mentioned" value="now" id="id_mentioned_0" checked' in html
    # The notifications page links to it.
    assert reverse("notifications:settings") in client.get(reverse("notifications:list")).content.decode()


def test_saving_the_settings_stores_only_what_differs_from_at_once(client, member):
    person = member("ystad", Role.BOARD)
    other = member("ystad", Role.BOARD)
    choose(other, NotificationKind.MENTIONED, Delivery.APP)
    client.force_login(person)
    data = {kind.value: Delivery.NOW for kind in NotificationKind}
    data.update({NotificationKind.MENTIONED: Delivery.APP, NotificationKind.REPORT_DUE: Delivery.DIGEST})

    response = client.post(reverse("notifications:settings"), data, follow=True)

    assert "Dina val för aviseringar är sparade." in response.content.decode()
    assert NotificationPreference.objects.choices_of(person) == {"mentioned": "app", "report_due": "digest"}
    assert NotificationPreference.objects.choices_of(other) == {"mentioned": "app"}  # someone else's untouched


def test_a_missing_or_unknown_choice_is_refused_next_to_its_kind(client, member):
    person = member("ystad", Role.BOARD)
    client.force_login(person)
    data = {kind.value: Delivery.NOW for kind in NotificationKind}
    data["mentioned"] = "fax"
    del data["report_due"]

    response = client.post(reverse("notifications:settings"), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Valen är inte sparade" in html
    assert 'id="err-report_due">Välj hur aviseringarna ska nå dig.' in html
    assert 'id="err-mentioned">' in html
    assert NotificationPreference.objects.filter(user=person).count() == 0


def test_the_settings_page_needs_a_login(client):
    response = client.get(reverse("notifications:settings"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_old_notifications_keep_the_delivery_they_were_made_with(member):
    person = member("ale", Role.PREPARER)
    notification = notify(person, NotificationKind.MENTIONED, "Omnämnd.")
    choose(person, NotificationKind.MENTIONED, Delivery.APP)
    notification.refresh_from_db()
    assert notification.delivery == Delivery.NOW
