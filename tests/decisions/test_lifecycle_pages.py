"""The case page's form for decisions on a granted project: offered to the body the rule set
names, instead of bare transition buttons; a refusal is shown beside its field with what was
typed kept, and nothing is stored."""

import re

import pytest
from django.urls import reverse

from applications.enums import CaseState as S
from applications.models import Case
from applications.services.content import create_case
from audit.models import AuditEntry
from decisions.models import Decision, IssuedDocument
from demo.walk import walk_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


@pytest.fixture
def running(people, today):
    users = people("sundsvall")
    case = walk_to(create_case(users["applicant"], title="Fritid för alla"), S.RUNNING, users)
    return case, users


def page(client, case):
    return client.get(reverse("applications:detail", args=[case.pk])).content.decode()


def test_decision_form_offered_to_ledningsgruppen_instead_of_buttons(client, running):
    case, users = running
    client.force_login(users["decision_body"])

    html = page(client, case)

    assert "Protokollför beslut om projektet" in html
    assert reverse("decisions:lifecycle", args=[case.pk]) in html
    for label in ("Avbryta", "Förlänga", "Ändra upplägget", "Nytt slutdatum", "Vad i upplägget ändras"):
        assert label in html
    assert reverse("applications:transition", args=[case.pk, "extend"]) not in html
    assert reverse("applications:transition", args=[case.pk, "abort"]) not in html


@pytest.mark.parametrize("role", ["applicant", "preparer", "council", "board"])
def test_decision_form_not_offered_to_other_roles(client, running, role):
    case, users = running
    client.force_login(users[role])

    assert "Protokollför beslut om projektet" not in page(client, case)


def test_design_change_through_the_page(client, running):
    case, users = running
    client.force_login(users["decision_body"])

    response = client.post(
        reverse("decisions:lifecycle", args=[case.pk]),
        {
            "lifecycle-kind": "design_change",
            "lifecycle-meeting_date": "2026-09-15",
            "lifecycle-paragraph": "31",
            "lifecycle-change": "Insatsen flyttas till skolorna.",
            "lifecycle-reason": "Målgruppen nås bättre där.",
        },
    )

    assert response.status_code == 302
    decision = Decision.objects.get(kind="design_change")
    assert (str(decision), decision.change) == ("Ledningsgruppen 2026-09-15 § 31", "Insatsen flyttas till skolorna.")
    assert Case.objects.get(pk=case.pk).state == S.RUNNING
    assert IssuedDocument.objects.filter(decision=decision, kind="decision").count() == 1
    html = page(client, case)
    assert "Upplägget ändrat genom beslut" in html
    assert "Ledningsgruppen 2026-09-15 § 31: Insatsen flyttas till skolorna." in html
    assert "Protokollsutdrag Ledningsgruppen 2026-09-15 § 31" in html


def test_refused_decision_shows_the_reason_by_its_field_and_keeps_the_input(client, running):
    case, users = running
    client.force_login(users["decision_body"])
    history = AuditEntry.objects.for_object(case).count()

    response = client.post(
        reverse("decisions:lifecycle", args=[case.pk]),
        {
            "lifecycle-kind": "extend",
            "lifecycle-meeting_date": "2026-09-14",
            "lifecycle-paragraph": "5",
            "lifecycle-new_end": "2029-06-30",
            "lifecycle-reason": "Fler deltagare behöver tid.",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Beslutet är inte protokollfört: rätta det som är markerat." in html
    error = re.search(r'id="error_\d+_id_lifecycle-meeting_date"[^>]*>\s*<strong>(.*?)</strong>', html, re.S)
    assert error is not None
    assert error.group(1) == (
        f"Sammanträdesdagen 2026-09-14 ligger före den dag ansökan {case.number} kom in, 2026-09-15."
    )
    assert 'value="2026-09-14"' in html
    assert 'value="2029-06-30"' in html
    assert "Fler deltagare behöver tid.</textarea>" in html
    assert (Case.objects.get(pk=case.pk).state, Decision.objects.exclude(kind="grant").count()) == (S.RUNNING, 0)
    assert AuditEntry.objects.for_object(case).count() == history


def test_missing_fields_are_named_by_the_form(client, running):
    case, users = running
    client.force_login(users["decision_body"])

    response = client.post(reverse("decisions:lifecycle", args=[case.pk]), {"lifecycle-kind": "abort"})

    html = response.content.decode()
    assert response.status_code == 200
    for field in ("meeting_date", "paragraph", "reason"):
        assert f"id_lifecycle-{field}" in html
    for message in ("Ange sammanträdesdagen.", "Ange paragrafnummer (§).", "Skriv beslutets motivering."):
        assert message in html
    assert Decision.objects.exclude(kind="grant").count() == 0


def test_decision_by_the_applicant_through_the_page_refused(client, running):
    case, users = running
    client.force_login(users["applicant"])

    response = client.post(
        reverse("decisions:lifecycle", args=[case.pk]),
        {
            "lifecycle-kind": "abort",
            "lifecycle-meeting_date": "2026-09-15",
            "lifecycle-paragraph": "1",
            "lifecycle-reason": "Vi vill avsluta.",
        },
        follow=True,
    )

    assert "Du kan inte fatta något beslut om ärendet när dess status är ”pågår”." in response.content.decode()
    assert (Case.objects.get(pk=case.pk).state, Decision.objects.exclude(kind="grant").count()) == (S.RUNNING, 0)


def test_another_municipality_gets_not_found(client, running, people):
    case, _users = running
    client.force_login(people("ystad")["decision_body"])

    response = client.post(reverse("decisions:lifecycle", args=[case.pk]), {"lifecycle-kind": "abort"})

    assert response.status_code == 404
