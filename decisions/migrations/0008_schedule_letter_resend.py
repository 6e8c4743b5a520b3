from django.db import migrations

RESEND_TASK = "Skicka beslutsbrev som inte kunde skickas"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_quarter, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=RESEND_TASK,
        defaults={"task": "decisions.tasks.resend_unsent_decision_letters", "interval": every_quarter},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=RESEND_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0007_letter_dispatch"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
