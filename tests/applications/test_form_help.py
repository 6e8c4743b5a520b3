"""The application form marks what the submission needs, and a refused submission answers with an
error summary that counts the problems and links to each field, with what was typed kept."""

import re

import pytest
from django.urls import reverse

from applications.checks import (
    application_problems,
    declaration_field,
    goal_list_required,
    required_to_submit,
    section_field,
)
from applications.enums import CaseState as S
from applications.forms import ApplicationForm
from demo.walk import fill_application, walk_to

pytestmark = pytest.mark.django_db

SLUGS = ["heby", "ale", "sundsvall", "ystad", "norrkoping"]


@pytest.fixture
def today(time_machine):
    """Inside Ystad's application window, with its decision rounds ahead."""
    time_machine.move_to("2026-09-15 10:00 +02:00")


def draft(new_case, slug):
    case, users = new_case(slug)
    return walk_to(case, S.DRAFT, users), users


@pytest.mark.parametrize("slug", SLUGS)
def test_every_field_the_check_asks_for_is_marked_required(new_case, slug, today):
    case, _users = draft(new_case, slug)
    form = ApplicationForm(case=case)
    marked = {name for name, field in form.fields.items() if getattr(field, "required_to_submit", False)}

    asked = {problem.field for problem in application_problems(case)}

    # A goal list's problem names its first goal; the list (its legend) carries the mark.
    lists = {
        f"goal-{g.key}-{g.goals[0].key}": goal_list_required(g.key)
        for g in case.rules.application.goal_lists
        if g.goals
    }
    asked = {lists.get(name, name) for name in asked}
    # Not a field: the application window (the whole form), the signatures (on the case page), and
    # the collaboration rule, which units or external actors may meet (its help text says how).
    assert asked - {"__all__", "signatures", "units"} <= marked | (required_to_submit(case) - set(form.fields))
    assert marked <= required_to_submit(case)


def test_heby_form_marks_its_sections_and_declarations_in_sight_and_for_assistive_technology(client, new_case, today):
    case, users = draft(new_case, "heby")
    client.force_login(users["applicant"])

    html = client.get(reverse("applications:edit", args=[case.pk])).content.decode()

    rules = case.rules
    names = [section_field(s.key) for s in rules.application.sections] + [
        declaration_field(d.key) for d in rules.application.declarations
    ]
    names += ["applicant_unit", "period_start", "period_end"]
    for name in names:
        control = re.search(rf'<(?:textarea|input|select)[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'aria-required="true"' in control, name
        # The mark follows the label, so the label's text stays the field's name.
        assert re.search(
            rf'<label\s+for="id_{name}"[^>]*>[^<]*</label><span class="asteriskField" aria-hidden="true">\*</span>',
            html,
        ), name
    assert 'class="asteriskField">*</span> = krävs för att lämna in; ett utkast kan sparas utan</p>' in html
    # The cost per year is asked as a group: its legend carries the mark, in words too.
    assert "<legend>Kostnad per år" in html
    assert (
        'Kostnad per år<span class="asteriskField" aria-hidden="true">*</span>'
        '<span class="visually-hidden"> (obligatoriskt)</span>' in html
    )


def test_sundsvalls_optional_section_is_not_marked(client, new_case, today):
    case, users = draft(new_case, "sundsvall")
    optional = next(s for s in case.rules.application.sections if not s.required)
    client.force_login(users["applicant"])

    html = client.get(reverse("applications:edit", args=[case.pk])).content.decode()

    control = re.search(rf'<textarea[^>]*name="{section_field(optional.key)}"[^>]*>', html).group(0)
    assert "aria-required" not in control


def test_refused_submission_shows_the_summary_first_with_a_link_to_each_field_and_keeps_what_was_typed(
    client, new_case, today
):
    case, users = draft(new_case, "heby")
    case = fill_application(case, users["applicant"])
    rules = case.rules
    missing_section, missing_declaration = rules.application.sections[2], rules.application.declarations[1]
    form = ApplicationForm(case=case)
    data = {}
    for name, value in form.initial.items():
        if name not in form.fields or value in (None, False, ""):
            continue
        if isinstance(value, list):
            data[name] = [str(item) for item in value]
        else:
            data[name] = "on" if value is True else str(value)
    del data[declaration_field(missing_declaration.key)]
    data[section_field(missing_section.key)] = ""
    data[section_field(rules.application.sections[0].key)] = "Nytt: läxhjälp tre dagar i veckan."
    data["period_end"] = ""
    client.force_login(users["applicant"])

    response = client.post(reverse("applications:edit", args=[case.pk]), {**data, "submit": "1"})

    html = response.content.decode()
    summary = html[
        html.index('<div class="error-summary') : html.index("</div>", html.index('<div class="error-summary'))
    ]
    assert html.index('<div class="error-summary') < html.index("<h1")
    assert 'tabindex="-1" data-error-summary' in summary
    assert '<h2 class="h5 alert-heading" id="error-summary-title">Formuläret har 3 fel</h2>' in summary
    assert "Ansökan är sparad men kunde inte lämnas in: rätta det som är markerat." in summary
    assert re.findall(r'<a href="([^"]+)" data-focus-target>', summary) == [
        "#id_period_end",
        f"#id_{section_field(missing_section.key)}",
        f"#id_{declaration_field(missing_declaration.key)}",
    ]
    assert "Nytt: läxhjälp tre dagar i veckan.</textarea>" in html
    assert html.count('class="error-summary') == 1  # not again above the fields


def test_missing_signatures_link_to_the_signatures_on_the_case_page(new_case, today):
    case, users = draft(new_case, "ale")
    case = fill_application(case, users["applicant"])
    problems = application_problems(case)
    assert [p.field for p in problems] == ["signatures"]
    form = ApplicationForm({}, case=case)
    form.is_valid()

    form.add_problems(problems)

    assert form.error_links == {problems[0].message: reverse("applications:detail", args=[case.pk]) + "#h-signatures"}
