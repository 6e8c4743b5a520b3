from django.db import migrations

WAITS_TASK = "Avisera det som ärendena väntar på sedan i går"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # Before the day's digest (07:15), so the waits the date brought are in it.
    morning, _ = CrontabSchedule.objects.get_or_create(
        minute="50", hour="6", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/Stockholm"
    )
    PeriodicTask.objects.get_or_create(
        name=WAITS_TASK, defaults={"task": "applications.tasks.notify_waits_of_open_cases", "crontab": morning}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=WAITS_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0009_wait_notices"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
