"""The municipality's admin designates each unit's head and deputies, who alone sign for it."""

import pytest
from django.urls import reverse

from accounts.enums import Role
from audit.models import AuditEntry
from municipalities.models import Municipality, OrganisationalUnit
from municipalities.services import UnitHeadRefusedError, designate_unit_head
from tests.factories import OrganisationalUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ystad_unit(rulesets):
    return OrganisationalUnitFactory(municipality=Municipality.objects.get(slug="ystad"), name="Socialförvaltningen")


def test_the_admin_designates_a_head_and_deputies(client, member, ystad_admin, ystad_unit):
    head = member("ystad", full_name="Helena Huvudman")
    deputy = member("ystad", Role.APPLICANT, full_name="Erik Ersättare")
    client.force_login(ystad_admin)

    page = client.get(reverse("municipalities:units", args=["ystad"]))
    response = client.post(
        reverse("municipalities:unit_head", args=["ystad", ystad_unit.pk]),
        {"head": head.pk, "deputies": [deputy.pk]},
        follow=True,
    )

    assert page.status_code == 200
    assert "Socialförvaltningen" in page.content.decode()
    html = response.content.decode()
    assert "Chef och ersättare för Socialförvaltningen är sparade." in html
    assert "Helena Huvudman" in html
    unit = OrganisationalUnit.objects.get(pk=ystad_unit.pk)
    assert (unit.head, list(unit.deputies.all())) == (head, [deputy])
    entry = AuditEntry.objects.for_object(unit).get(action="unit.head_designated")
    assert (entry.actor, entry.data["after"]) == (
        ystad_admin,
        {"head": "Helena Huvudman", "deputies": ["Erik Ersättare"]},
    )


def test_the_menu_offers_the_units_page_to_the_admin_only(client, member, ystad_admin):
    url = reverse("municipalities:units", args=["ystad"])
    client.force_login(ystad_admin)
    assert url in client.get(reverse("applications:list")).content.decode()
    client.force_login(member("ystad", Role.PREPARER))
    assert url not in client.get(reverse("applications:list")).content.decode()


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.PREPARER, Role.DECISION_BODY, Role.MANAGEMENT])
def test_other_roles_may_not_designate(client, member, ystad_unit, role):
    user = member("ystad", role)
    client.force_login(user)

    listing = client.get(reverse("municipalities:units", args=["ystad"]))
    response = client.post(
        reverse("municipalities:unit_head", args=["ystad", ystad_unit.pk]), {"head": user.pk, "deputies": []}
    )

    assert (listing.status_code, response.status_code) == (403, 403)
    assert OrganisationalUnit.objects.get(pk=ystad_unit.pk).head is None
    with pytest.raises(UnitHeadRefusedError, match=r"Bara kommunens administratör kan utse chefer och ersättare\."):
        designate_unit_head(ystad_unit, user, head=user, deputies=[])


def test_another_municipalitys_units_are_not_found(client, member, ystad_unit):
    heby_admin = member("heby", Role.MUNICIPAL_ADMIN)
    client.force_login(heby_admin)

    listing = client.get(reverse("municipalities:units", args=["ystad"]))
    through_own_slug = client.post(
        reverse("municipalities:unit_head", args=["heby", ystad_unit.pk]), {"head": heby_admin.pk}
    )
    through_their_slug = client.post(
        reverse("municipalities:unit_head", args=["ystad", ystad_unit.pk]), {"head": heby_admin.pk}
    )

    assert (listing.status_code, through_own_slug.status_code, through_their_slug.status_code) == (404, 404, 404)
    assert OrganisationalUnit.objects.get(pk=ystad_unit.pk).head is None


@pytest.mark.parametrize("field", ["head", "deputies"])
def test_a_person_of_another_municipality_is_refused_by_the_field(client, member, ystad_admin, ystad_unit, field):
    stranger = member("heby", Role.APPLICANT, full_name="Sven Främling")
    client.force_login(ystad_admin)
    data = {"head": stranger.pk} if field == "head" else {"deputies": [stranger.pk]}

    response = client.post(reverse("municipalities:unit_head", args=["ystad", ystad_unit.pk]), data)

    assert response.status_code == 200
    message = (
        "Välj en person som är anställd i kommunen."
        if field == "head"
        else "Välj personer som är anställda i kommunen."
    )
    assert response.context["form"].errors[field] == [message]
    unit = OrganisationalUnit.objects.get(pk=ystad_unit.pk)
    assert (unit.head, list(unit.deputies.all())) == (None, [])
    assert not AuditEntry.objects.filter(action="unit.head_designated").exists()


def test_the_service_refuses_a_stranger_and_the_head_as_own_deputy(member, ystad_admin, ystad_unit):
    stranger = member("heby")
    head = member("ystad")

    with pytest.raises(UnitHeadRefusedError) as as_head:
        designate_unit_head(ystad_unit, ystad_admin, head=stranger, deputies=[])
    with pytest.raises(UnitHeadRefusedError) as as_deputy:
        designate_unit_head(ystad_unit, ystad_admin, head=head, deputies=[stranger])
    with pytest.raises(UnitHeadRefusedError) as own_deputy:
        designate_unit_head(ystad_unit, ystad_admin, head=head, deputies=[head])

    assert (as_head.value.field, str(as_head.value)) == ("head", f"{stranger} är inte anställd i Ystads kommun.")
    assert (as_deputy.value.field, own_deputy.value.field) == ("deputies", "deputies")
    assert str(own_deputy.value) == "Chefen kan inte också vara sin egen ersättare."
    assert OrganisationalUnit.objects.get(pk=ystad_unit.pk).head is None
