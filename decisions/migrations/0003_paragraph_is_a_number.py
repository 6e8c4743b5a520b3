import re

from django.db import migrations, models


def paragraphs_to_digits(apps, schema_editor):
    """Paragraphs typed as "§ 212", "§212" or " 212 " become "212" before the column turns into
    a number. A paragraph without digits stops the migration, naming the decision, rather than
    guess its number."""
    Decision = apps.get_model("decisions", "Decision")
    for decision in Decision.objects.all():
        digits = re.search(r"\d+", decision.paragraph or "")
        if digits is None:
            raise ValueError(f"Beslut {decision.pk}: paragrafen {decision.paragraph!r} är inget nummer.")
        if digits.group(0) != decision.paragraph:
            decision.paragraph = str(int(digits.group(0)))
            decision.save(update_fields=["paragraph"])


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0002_meeting_jobs"),
    ]

    operations = [
        migrations.RunPython(paragraphs_to_digits, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="decision",
            name="paragraph",
            field=models.PositiveIntegerField(verbose_name="paragraf"),
        ),
    ]
