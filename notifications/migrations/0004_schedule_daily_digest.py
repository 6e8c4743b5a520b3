from django.db import migrations

DIGEST_TASK = "Skicka dagens sammanfattning av aviseringar"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # In the morning, after the reminders of the day (06:30–07:00) have been made.
    morning, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/Stockholm"
    )
    PeriodicTask.objects.get_or_create(
        name=DIGEST_TASK, defaults={"task": "notifications.tasks.send_daily_digests", "crontab": morning}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=DIGEST_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_delivery_choices_and_digest"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
