"""A remiss waits for the nämnd asked (its representatives), or for the official it delegated to,
with its deadline, until it is answered; nobody else, and nobody of another municipality."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import User
from applications.enums import CaseState as S
from applications.models import Case
from applications.selectors import waiting_items
from consultations.services import answer, delegate, request_consultation
from demo.walk import walk_to
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DEADLINE = datetime.date(2026, 10, 15)


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


def asked(new_case, slug):
    """A case in preparation that the preparer has sent on remiss to the first nämnd."""
    case, users = new_case(slug)
    case = walk_to(case, S.IN_PREPARATION, users)
    namnd = case.municipality.units.filter(kind="namnd").order_by("pk").first()
    [consultation] = request_consultation(case, users["preparer"], units=[namnd], question="?", deadline=DEADLINE)
    return case, users, consultation


def consultations_waiting(user):
    user = User.objects.get(pk=user.pk)
    return [
        (item.case.pk, item.waiting.reason, item.waiting.due)
        for item in waiting_items(user)
        if item.waiting.kind == "consultation"
    ]


def test_remiss_waits_for_the_namnd_with_its_deadline_and_links_to_the_answer(new_case, today):
    case, users, consultation = asked(new_case, "ystad")

    (item,) = [item for item in waiting_items(users["board"]) if item.waiting.kind == "consultation"]

    assert (item.case.pk, item.waiting.reason, item.waiting.due) == (
        case.pk,
        "Remiss att besvara för Barn- och utbildningsnämnden, senast 2026-10-15.",
        DEADLINE,
    )
    assert item.url == reverse("applications:detail", args=[case.pk]) + f"#consultation-{consultation.pk}"
    assert item.waiting.days_left == 30


def test_remiss_waits_for_nobody_of_another_namnd_role_or_municipality(new_case, people, today):
    case, users, _consultation = asked(new_case, "ystad")
    other_namnd = case.municipality.units.filter(kind="namnd").order_by("pk").last()
    other_representative = UserFactory(municipality=case.municipality, roles=["board"], unit=other_namnd)
    elsewhere = people("ale")

    assert consultations_waiting(other_representative) == []
    assert consultations_waiting(users["preparer"]) == []
    assert consultations_waiting(elsewhere["board"]) == []


def test_answered_remiss_waits_no_more(new_case, today):
    _case, users, consultation = asked(new_case, "ystad")

    answer(consultation, users["board"], position="support", text="")

    assert consultations_waiting(users["board"]) == []


def test_delegated_remiss_waits_for_the_official_who_then_sees_the_case(new_case, today):
    case, users, consultation = asked(new_case, "sundsvall")
    official = UserFactory(municipality=case.municipality, full_name="Olle Tjänsteperson", unit=consultation.unit)
    assert not Case.objects.visible_to(official).exists()

    delegate(consultation, users["board"], official)

    assert consultations_waiting(official) == [
        (case.pk, f"Remiss att besvara för {consultation.unit.name}, senast 2026-10-15.", DEADLINE)
    ]
    assert consultations_waiting(users["board"]) == []
    assert list(Case.objects.visible_to(official)) == [case]


def test_late_remiss_is_marked_with_how_late(new_case, today, time_machine):
    _case, users, _consultation = asked(new_case, "ystad")
    time_machine.move_to("2026-10-20 10:00 +02:00")

    (item,) = [item for item in waiting_items(users["board"]) if item.waiting.kind == "consultation"]

    assert item.waiting.overdue_days == 5
