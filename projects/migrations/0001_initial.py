
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _relabel(apps, old, new):
    """The content type follows the model, so permissions granted on it stay granted."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model="projectmember").update(app_label=new)


def move_content_type(apps, schema_editor):
    _relabel(apps, "reporting", "projects")


def move_content_type_back(apps, schema_editor):
    _relabel(apps, "projects", "reporting")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # The table and its rows come from reporting, which renamed it to projects_projectmember.
        ('contenttypes', '0002_remove_content_type_name'),
        ('reporting', '0005_move_projectmember_to_projects'),
        ('applications', '0006_merge_parallel_work'),
        ('municipalities', '0002_unit_head_and_deputies'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ProjectMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('owner', 'projektägare'), ('manager', 'projektledare'), ('group', 'projektgrupp'), ('steering', 'projektstyrgrupp')], max_length=20, verbose_name='roll')),
                        ('added_at', models.DateTimeField(auto_now_add=True)),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='project_members', to='applications.case')),
                        ('external_actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='municipalities.externalactor', verbose_name='företräder extern aktör')),
                        ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='municipalities.organisationalunit', verbose_name='företräder enhet')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='project_roles', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'projektmedlem',
                        'verbose_name_plural': 'projektorganisation',
                        'ordering': ['case', 'role', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('case', 'role', 'user'), name='one_role_per_person_and_project'), models.UniqueConstraint(condition=models.Q(('role', 'manager')), fields=('case',), name='one_project_manager_per_project')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
