"""A project's organisation: set by those who may, one person per party, everyone of the
case's municipality; the history keeps before and after."""

import pytest
from django.core.exceptions import ValidationError

from applications.services import TransitionRefusedError
from audit.models import AuditEntry
from projects import services
from projects.models import ProjectMember
from projects.organisation import project_manager
from tests.factories import UserFactory


def test_set_project_organisation_records_before_and_after(running):
    case, users = running("ystad")
    units = list(case.municipality.units.filter(kind="forvaltning"))
    manager = UserFactory(municipality=case.municipality, full_name="Mia Projektledare")
    owner = UserFactory(municipality=case.municipality, full_name="Olle Förvaltningschef")
    group = [UserFactory(municipality=case.municipality, unit=unit) for unit in units]

    services.set_project_organisation(case, users["applicant"], manager=manager, owners=[owner], group=group)

    assert project_manager(case) == manager
    assert sorted(case.project_members.values_list("role", flat=True)) == ["group", "group", "manager", "owner"]
    assert set(case.project_members.filter(role="group").values_list("unit", flat=True)) == {u.pk for u in units}
    entry = AuditEntry.objects.for_object(case).get(action="project.organisation")
    assert entry.data["before"]["manager"] == [str(users["applicant"])]
    assert entry.data["after"]["manager"] == ["Mia Projektledare"]


def test_set_project_organisation_two_people_for_one_party_refused(running):
    case, users = running("ystad")
    unit = case.municipality.units.filter(kind="forvaltning").first()
    first, second = (UserFactory(municipality=case.municipality, unit=unit) for _ in range(2))

    with pytest.raises(ValidationError) as refused:
        services.set_project_organisation(case, users["applicant"], manager=users["applicant"], group=[first, second])

    assert list(refused.value.message_dict) == ["group"]
    assert "en person per part" in refused.value.message_dict["group"][0]
    assert list(case.project_members.values_list("role", flat=True)) == ["manager"]


def test_set_project_organisation_person_of_another_municipality_refused(running):
    case, users = running("ystad")
    stranger = UserFactory(full_name="Sara Annanstans")

    with pytest.raises(ValidationError) as refused:
        services.set_project_organisation(case, users["applicant"], manager=stranger)

    assert refused.value.message_dict == {"manager": ["Sara Annanstans hör inte till Ystads kommun."]}


def test_set_project_organisation_by_an_outsider_refused(running):
    case, users = running("ystad")

    with pytest.raises(TransitionRefusedError, match="Bara de sökande, projektägaren eller Processgruppen"):
        services.set_project_organisation(case, users["controller"], manager=users["controller"])

    assert project_manager(case) == users["applicant"]


def test_project_members_unique_manager():
    assert any(c.name == "one_project_manager_per_project" for c in ProjectMember._meta.constraints)
