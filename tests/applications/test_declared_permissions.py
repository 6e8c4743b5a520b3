"""Pages that declare their permission: a grant, a refusal for the wrong role, and 404 (or a
refusal, for a page of the user's own municipality) for another municipality."""

import pytest
from django.urls import reverse

from decisions.rules import DECIDE_GROUP, ISSUE_BASIS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_fund_page_grants_a_preparer_and_refuses_an_applicant_with_the_reason(client, people):
    users = people("ystad")

    client.force_login(users["preparer"])
    granted = client.get(reverse("funds:detail", args=["ystad"]))
    client.force_login(users["applicant"])
    refused = client.get(reverse("funds:detail", args=["ystad"]))

    assert granted.status_code == 200
    assert refused.status_code == 403
    assert "Fondens sida är till för kommunens medarbetare i fondens arbete." in refused.content.decode()


def test_fund_page_and_export_of_another_municipality_are_not_found(client, people):
    ale = people("ale")
    people("ystad")
    client.force_login(ale["controller"])

    assert client.get(reverse("funds:detail", args=["ystad"])).status_code == 404
    assert client.get(reverse("funds:export", args=["ystad"])).status_code == 404


def test_creating_the_fund_is_refused_to_a_preparer_and_granted_to_the_controller(client, people):
    users = people("heby")

    client.force_login(users["preparer"])
    refused = client.post(reverse("funds:create", args=["heby"]), {"name": ""})
    client.force_login(users["controller"])
    granted = client.post(reverse("funds:create", args=["heby"]), {"name": ""})

    assert refused.status_code == 403
    assert "Bara controller eller kommunens administratör bokför i fonden." in refused.content.decode()
    assert granted.status_code == 302


def test_rule_set_versions_grant_the_municipal_admin_and_refuse_a_preparer(client, people):
    users = people("ale")

    client.force_login(users["municipal_admin"])
    granted = client.get(reverse("municipalities:versions", args=["ale"]))
    client.force_login(users["preparer"])
    refused = client.get(reverse("municipalities:versions", args=["ale"]))

    assert granted.status_code == 200
    assert refused.status_code == 403
    assert "Bara kommunens administratör får ändra regelverket." in refused.content.decode()


def test_rule_set_pages_of_another_municipality_are_not_found(client, people):
    ale = people("ale")
    people("ystad")
    client.force_login(ale["municipal_admin"])

    assert client.get(reverse("municipalities:versions", args=["ystad"])).status_code == 404
    assert client.get(reverse("municipalities:ruleset", args=["ystad"])).status_code == 404


def test_priorities_grant_the_preparer_and_refuse_an_applicant_and_the_system_admin(client, people):
    users = people("ystad")
    system_admin = UserFactory(municipality=None, is_superuser=True, is_staff=True)

    client.force_login(users["preparer"])
    granted = client.get(reverse("reviews:priorities"))
    client.force_login(users["applicant"])
    refused = client.get(reverse("reviews:priorities"))
    client.force_login(system_admin)
    of_no_municipality = client.get(reverse("reviews:priorities"))

    assert granted.status_code == 200
    assert refused.status_code == 403
    assert "Bara den beredande gruppen, controllern och beslutande organ ser prioriteringen." in (
        refused.content.decode()
    )
    assert of_no_municipality.status_code == 403


def test_meeting_grants_the_decision_body_and_refuses_an_applicant(client, people):
    users = people("sundsvall")

    client.force_login(users["decision_body"])
    granted = client.get(reverse("decisions:meeting"))
    client.force_login(users["applicant"])
    refused = client.get(reverse("decisions:meeting"))

    assert granted.status_code == 200
    assert refused.status_code == 403
    assert "Sammanträdet förbereds av beslutande organ och den beredande gruppen." in refused.content.decode()


def test_group_decision_says_why_not_to_the_preparer_and_where_the_rule_set_has_none(people):
    heby = people("heby")
    ystad = people("ystad")

    assert DECIDE_GROUP.check(heby["decision_body"], heby["decision_body"].municipality) == (True, "")
    allowed, reason = DECIDE_GROUP.check(heby["preparer"], heby["preparer"].municipality)
    assert allowed is False
    assert reason.startswith("Bara ")
    assert DECIDE_GROUP.check(ystad["decision_body"], ystad["decision_body"].municipality) == (
        False,
        "Regelverket medger inte att flera ärenden beslutas som en helhet.",
    )


def test_issuing_the_basis_is_refused_to_another_municipalitys_holder_of_the_role(new_case, people):
    case, users = new_case("heby")
    ale = people("ale")

    assert ISSUE_BASIS.check(users["management"], case) == (True, "")
    assert ISSUE_BASIS.check(ale["management"], case)[0] is False


def test_exports_refuse_an_applicant_and_grant_a_controller(client, people):
    users = people("ystad")

    client.force_login(users["applicant"])
    refused = client.get(reverse("exports:index"))
    client.force_login(users["controller"])
    granted = client.get(reverse("exports:index"))

    assert refused.status_code == 403
    assert "None" not in refused.content.decode()
    assert granted.status_code == 200


def test_reporting_dates_grant_the_municipal_admin_and_refuse_a_controller(client, people):
    users = people("ystad")

    client.force_login(users["municipal_admin"])
    granted = client.get(reverse("reporting:dates"))
    client.force_login(users["controller"])
    refused = client.get(reverse("reporting:dates"))

    assert granted.status_code == 200
    assert refused.status_code == 403
    assert "Bara kommunens administratör kan sätta rapporteringsdatum." in refused.content.decode()


def test_start_page_offers_the_rule_set_versions_to_the_municipal_admin_only(client, people):
    users = people("ale")
    versions = reverse("municipalities:versions", args=["ale"])

    client.force_login(users["municipal_admin"])
    admin_page = client.get(reverse("start")).content.decode()
    client.force_login(users["preparer"])
    preparer_page = client.get(reverse("start")).content.decode()

    assert versions in admin_page
    assert versions not in preparer_page


def test_start_page_offers_every_municipality_to_the_system_admin_only(client, people):
    users = people("ale")
    system_admin = UserFactory(municipality=None, is_superuser=True, is_staff=True)
    listing = reverse("municipalities:list")

    client.force_login(system_admin)
    admin_page = client.get(reverse("start")).content.decode()
    client.force_login(users["preparer"])
    preparer_page = client.get(reverse("start")).content.decode()

    assert f'href="{listing}"' in admin_page
    assert "Du har ingen roll än" not in admin_page
    assert f'href="{listing}">Alla kommuner' not in preparer_page
