"""A report is named by its kind where it is shown, in the reader's language; only a rule set's
own name for a fixed reporting date is stored, and shown as written. The standard headings of a
project plan and a report are translated where they are shown."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from reporting.models import ReportingObligation
from reporting.selectors import DEFAULT_PLAN_HEADINGS
from reporting.services import generate_obligations, save_project_plan

pytestmark = pytest.mark.django_db


def test_reports_are_stored_by_kind_and_named_in_the_readers_language(running):
    case, _users = running("norrkoping")

    obligations = generate_obligations(case)

    assert [(o.kind, o.name) for o in obligations] == [("half_time", ""), ("final", "")]
    assert [str(o.display_name) for o in obligations] == ["Halvtidsuppföljning", "Slutrapport"]
    with translation.override("en"):
        assert [str(o.display_name) for o in obligations] == ["Mid-term follow-up", "Final report"]


def test_a_rule_sets_fixed_date_keeps_its_own_name(running):
    case, _users = running("ystad")

    obligations = generate_obligations(case)

    fixed = [o for o in obligations if o.name]
    assert {o.name for o in fixed} == {"Delårsbokslut 2", "Årsbokslut"}
    with translation.override("en"):
        assert {str(o.display_name) for o in fixed} == {"Delårsbokslut 2", "Årsbokslut"}
        assert str(obligations[-1].display_name) == "Final report"


def test_the_report_page_in_english_names_the_report_in_english(client, running):
    case, users = running("norrkoping")
    final = generate_obligations(case)[-1]
    client.force_login(users["applicant"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    html = client.get(reverse("reporting:report", args=[case.pk, final.pk])).content.decode()

    assert f'<h1 class="h2">Final report: {case.title}</h1>' in html


def test_migration_clears_the_kind_labels_stored_in_either_language(running):
    case, _users = running("norrkoping")
    half_time, final = generate_obligations(case)
    ReportingObligation.objects.filter(pk=half_time.pk).update(name="Halvtidsuppföljning")
    ReportingObligation.objects.filter(pk=final.pk).update(name="Final report")
    migration = importlib.import_module("reporting.migrations.0007_report_names_by_kind")

    migration.name_by_kind(apps, None)

    assert list(ReportingObligation.objects.filter(case=case).values_list("name", flat=True)) == ["", ""]


def test_the_standard_plan_headings_are_translated_where_they_are_shown(client, running):
    case, users = running("heby")  # Heby's rule set has no plan template: the standard headings
    save_project_plan(case, users["applicant"], [f"Text {index}" for index in range(len(DEFAULT_PLAN_HEADINGS))])
    pages = {}
    # The applicant writes the plan (the form's labels); the controller reads it (the saved headings).
    for role in ("applicant", "controller"):
        client.force_login(users[role])
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        pages[role] = client.get(reverse("reporting:project", args=[case.pk])).content.decode()

    for html in pages.values():
        assert "Background and purpose" in html
        assert "Bakgrund och syfte" not in html
    assert 'name="text_0"' in pages["applicant"]
    assert '<h3 class="h6">Background and purpose</h3><p>Text 0</p>' in pages["controller"]
