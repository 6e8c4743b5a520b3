"""A unit's missing signature waits for its designated head and deputies: before submission once
the applicant has asked (or a change voided the signature), during preparation from the start;
never for anyone else, and not twice where the signing is a step of the stage."""

import pytest

from accounts.models import User
from applications.enums import CaseState as S
from applications.models import Case
from applications.selectors import waiting_for, waiting_items
from applications.services.content import save_case
from applications.services.signing import request_signatures, sign
from applications.signatures import required_signatures
from audit.models import AuditEntry
from demo.walk import walk_to
from municipalities.models import OrganisationalUnit
from tests.applications.conftest import filled_draft
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


def signatures_waiting(user):
    user = User.objects.get(pk=user.pk)
    return [(i.case.pk, i.waiting.reason, i.url) for i in waiting_items(user) if i.waiting.kind == "signature"]


def test_head_is_waited_on_once_the_applicant_asks_for_signatures(new_case, today):
    case, users = filled_draft(new_case, "ale")
    first, second = required_signatures(case)
    head = OrganisationalUnit.objects.get(pk=first.unit_id).head
    assert signatures_waiting(head) == []  # a draft still being written is not yet to sign

    request_signatures(case, users["applicant"])

    assert signatures_waiting(head) == [
        (case.pk, f"Ansökan ska skrivas under för {first.signed_for}.", f"/arenden/{case.pk}/#h-signatures")
    ]
    assert AuditEntry.objects.for_object(case).filter(action="case.signatures_requested").count() == 1
    (waiting,) = [w for w in waiting_for(Case.objects.get(pk=case.pk)) if w.unit_id == first.unit_id]
    assert waiting.who == f"sektorschef för {first.signed_for}"
    assert signatures_waiting(users["applicant"]) == []
    assert signatures_waiting(OrganisationalUnit.objects.get(pk=second.unit_id).head)[0][0] == case.pk


def test_deputy_is_waited_on_and_a_signature_ends_the_wait(new_case, today):
    case, users = filled_draft(new_case, "ale")
    first, _second = required_signatures(case)
    unit = OrganisationalUnit.objects.get(pk=first.unit_id)
    deputy = UserFactory(municipality=case.municipality, full_name="Dora Deputy")
    unit.deputies.add(deputy)
    request_signatures(case, users["applicant"])
    assert len(signatures_waiting(deputy)) == 1

    sign(case, first.key, unit.head)

    assert signatures_waiting(deputy) == []
    assert signatures_waiting(unit.head) == []


def test_a_change_after_signing_waits_for_the_head_again(new_case, today):
    case, users = filled_draft(new_case, "ale")
    first, _second = required_signatures(case)
    head = OrganisationalUnit.objects.get(pk=first.unit_id).head
    sign(case, first.key, head)  # signed unasked

    save_case(Case.objects.get(pk=case.pk), users["applicant"], fields={"title": "Ny titel"})

    assert [reason for _pk, reason, _url in signatures_waiting(head)] == [
        f"Ansökan ska skrivas under för {first.signed_for}."
    ]


def test_a_head_of_another_municipality_or_unit_is_not_waited_on(new_case, people, today):
    case, users = filled_draft(new_case, "ale")
    request_signatures(case, users["applicant"])
    elsewhere = people("norrkoping")
    other_head = OrganisationalUnit.objects.filter(municipality__slug="norrkoping", head__isnull=False).first().head

    assert signatures_waiting(other_head) == []
    assert signatures_waiting(elsewhere["preparer"]) == []
    assert signatures_waiting(users["preparer"]) == []


def test_submitted_application_no_longer_waits_for_before_submission_signatures(new_case, today):
    case, users = filled_draft(new_case, "norrkoping")
    request_signatures(case, users["applicant"])

    case = walk_to(case, S.SUBMITTED, users)  # the walk signs, as submission needs

    assert [w for w in waiting_for(Case.objects.get(pk=case.pk)) if w.kind == "signature"] == []


def test_ystad_signing_is_waited_on_by_its_step_not_twice(new_case, today):
    case, users = new_case("ystad")

    case = walk_to(case, S.IN_PREPARATION, users)

    assert [w for w in waiting_for(Case.objects.get(pk=case.pk)) if w.kind == "signature"] == []
