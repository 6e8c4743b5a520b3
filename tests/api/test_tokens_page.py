"""The municipal admin's page for API tokens."""

import pytest

from accounts.enums import Role
from api.models import ApiToken, hash_secret
from api.services import create_token
from audit.models import AuditEntry


@pytest.fixture
def admin(member):
    return member("ystad", Role.MUNICIPAL_ADMIN)


def test_admin_creates_a_token_and_sees_the_secret_once(client, admin):
    client.force_login(admin)

    response = client.post("/api/tokens/", {"name": "Power BI"})

    assert response.status_code == 200
    secret = response.context["secret"]
    token = ApiToken.objects.get()
    assert (token.name, token.municipality, token.created_by) == ("Power BI", admin.municipality, admin)
    assert token.key_hash == hash_secret(secret)
    assert secret in response.content.decode()
    assert secret not in client.get("/api/tokens/").content.decode()
    entry = AuditEntry.objects.get(action="api_token_created")
    assert (entry.actor, entry.object_id, entry.municipality) == (admin, str(token.pk), admin.municipality)


def test_token_without_a_name_is_refused(client, admin):
    client.force_login(admin)

    response = client.post("/api/tokens/", {"name": ""})

    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


def test_admin_revokes_a_token(client, admin):
    token, _ = create_token(admin, admin.municipality, "Power BI")
    client.force_login(admin)

    response = client.post(f"/api/tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = AuditEntry.objects.get(action="api_token_revoked")
    assert (entry.actor, entry.object_id) == (admin, str(token.pk))


def test_admin_lists_only_the_municipalitys_tokens(client, admin, member):
    heby_admin = member("heby", Role.MUNICIPAL_ADMIN)
    create_token(admin, admin.municipality, "Ystads BI")
    create_token(heby_admin, heby_admin.municipality, "Hebys BI")
    client.force_login(admin)

    response = client.get("/api/tokens/")

    assert response.status_code == 200
    assert [token.name for token in response.context["tokens"]] == ["Ystads BI"]


def test_admin_cannot_revoke_another_municipalitys_token(client, admin, member):
    heby_admin = member("heby", Role.MUNICIPAL_ADMIN)
    token, _ = create_token(heby_admin, heby_admin.municipality, "Hebys BI")
    client.force_login(admin)

    response = client.post(f"/api/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEntry.objects.filter(action="api_token_revoked").exists()


@pytest.mark.parametrize("role", [Role.CONTROLLER, Role.PREPARER, Role.APPLICANT])
def test_other_roles_are_refused(client, member, role):
    client.force_login(member("ystad", role))

    listing = client.get("/api/tokens/")
    creating = client.post("/api/tokens/", {"name": "Power BI"})

    assert (listing.status_code, creating.status_code) == (403, 403)
    assert ApiToken.objects.count() == 0


def test_other_roles_cannot_revoke(client, admin, member):
    token, _ = create_token(admin, admin.municipality, "Power BI")
    client.force_login(member("ystad", Role.CONTROLLER))

    response = client.post(f"/api/tokens/{token.pk}/revoke/")

    assert response.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_is_sent_to_login(client, rulesets):
    response = client.get("/api/tokens/")

    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")


def test_revoke_needs_post(client, admin):
    token, _ = create_token(admin, admin.municipality, "Power BI")
    client.force_login(admin)

    response = client.get(f"/api/tokens/{token.pk}/revoke/")

    assert response.status_code == 405
