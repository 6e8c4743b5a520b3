import pytest
from rest_framework.test import APIClient

from api.models import ApiToken, hash_secret
from api.services import revoke_token

ENDPOINTS = ["cases", "decisions", "ledger", "reports", "indicators"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_no_token_is_401_with_a_swedish_reason(ystad, endpoint):
    response = APIClient().get(f"/api/v1/{endpoint}/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Autentiseringsuppgifter ej tillhandahållna."}
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_unknown_token_is_401(ystad):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    response = client.get("/api/v1/cases/")

    assert response.status_code == 401
    assert response.json() == {"detail": "API-nyckeln är okänd eller återkallad."}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_revoked_token_is_401(ystad, endpoint):
    revoke_token(ystad.users["municipal_admin"], ystad.token)

    response = ystad.client().get(f"/api/v1/{endpoint}/")

    assert response.status_code == 401
    assert response.json() == {"detail": "API-nyckeln är okänd eller återkallad."}


def test_token_keyword_is_accepted_as_well_as_bearer(ystad):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ystad.secret}")

    response = client.get("/api/v1/cases/")

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_header_without_a_secret_is_401(ystad):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer")

    response = client.get("/api/v1/cases/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Ogiltigt Authorization-huvud: ange ”Bearer <nyckel>”."}


def test_only_the_hash_of_the_secret_is_stored(ystad):
    token = ApiToken.objects.get(pk=ystad.token.pk)

    assert token.key_hash == hash_secret(ystad.secret)
    assert ystad.secret not in {token.key_hash, token.prefix, token.name}
    assert token.prefix == ystad.secret[:8]


def test_use_marks_the_token_used(ystad):
    assert ApiToken.objects.get(pk=ystad.token.pk).last_used_at is None

    ystad.client().get("/api/v1/cases/")

    assert ApiToken.objects.get(pk=ystad.token.pk).last_used_at is not None


def test_a_logged_in_session_does_not_open_the_api(ystad, client):
    client.force_login(ystad.users["municipal_admin"])

    response = client.get("/api/v1/cases/")

    assert response.status_code == 401


def test_api_writes_are_refused(ystad):
    response = ystad.client().post("/api/v1/cases/", {"title": "Ny"}, format="json")

    assert response.status_code == 405
