"""The project organisation (ProjectMember) moves to the projects app, keeping its rows: the table
is renamed to the new app's name here, and the model leaves this app's state without touching the
database; projects.0001_initial takes it into its state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0004_schedule_calendar_reminders"),
    ]

    operations = [
        migrations.AlterModelTable(name="projectmember", table="projects_projectmember"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ProjectMember")],
            database_operations=[],
        ),
    ]
