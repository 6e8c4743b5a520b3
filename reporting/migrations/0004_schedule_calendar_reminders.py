from django.db import migrations

CALENDAR_TASK = "Påminn om tidsfrister för besked och ansökningsperioder"
RESEND_TASK = "Skicka e-post som inte kunde skickas"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    morning, _ = CrontabSchedule.objects.get_or_create(
        minute="35", hour="6", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/Stockholm"
    )
    PeriodicTask.objects.get_or_create(
        name=CALENDAR_TASK, defaults={"task": "reporting.tasks.send_calendar_reminders", "crontab": morning}
    )
    every_quarter, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=RESEND_TASK,
        defaults={"task": "notifications.tasks.resend_unsent_notification_emails", "interval": every_quarter},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[CALENDAR_TASK, RESEND_TASK]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_reports_and_project_organisation"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
