"""A report is named by its kind where it is shown, in the reader's language. The name column
keeps only a rule set's name of a fixed reporting date; the kind labels stored so far (in Swedish,
or in English where an English user's request planned the reports) are cleared."""

from django.db import migrations, models

# The kinds' labels as they were stored, in both languages.
STORED_LABELS = {
    "progress": ["Lägesrapport", "Progress report"],
    "half_time": ["Halvtidsuppföljning", "Mid-term follow-up"],
    "yearly": ["Årlig uppföljning", "Yearly follow-up"],
    "final": ["Slutrapport", "Final report"],
}


def name_by_kind(apps, schema_editor):
    ReportingObligation = apps.get_model("reporting", "ReportingObligation")
    for kind, labels in STORED_LABELS.items():
        ReportingObligation.objects.filter(kind=kind, name__in=labels).update(name="")


def name_by_label(apps, schema_editor):
    ReportingObligation = apps.get_model("reporting", "ReportingObligation")
    for kind, labels in STORED_LABELS.items():
        ReportingObligation.objects.filter(kind=kind, name="").update(name=labels[0])


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0006_attachment_from_core"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reportingobligation",
            name="name",
            field=models.CharField(blank=True, max_length=100, verbose_name="rapporteringsdatumets namn"),
        ),
        migrations.RunPython(name_by_kind, name_by_label),
    ]
