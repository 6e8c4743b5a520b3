import datetime
from zoneinfo import ZoneInfo

import pytest

from applications.enums import CaseState
from applications.models import Case
from demo.walk import walk_to
from notifications.models import Notification
from tests.applications.conftest import new_case, organisation, people, rulesets, shipped_documents  # noqa: F401 - shared fixtures

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def running(new_case, time_machine):  # noqa: F811 - the shared fixture, by name
    """A running project of the municipality, 2027-03-01 → 2029-08-31 (30 months)."""

    def build(slug):
        time_machine.move_to(datetime.datetime(2027, 2, 15, 10, tzinfo=STOCKHOLM))
        case, users = new_case(slug)
        case = walk_to(case, CaseState.RUNNING, users)
        Case.objects.filter(pk=case.pk).update(
            period_start=datetime.date(2027, 3, 1), period_end=datetime.date(2029, 8, 31)
        )
        Notification.objects.all().delete()  # the walk's own notifications are not under test
        return Case.objects.get(pk=case.pk), users

    return build
