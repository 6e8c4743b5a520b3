"""The OpenAPI schema and the documentation pages are public (they hold no data)."""

import json

from django.test import Client

PATHS = {
    "/api/v1/cases/",
    "/api/v1/cases/{id}/",
    "/api/v1/decisions/",
    "/api/v1/decisions/{id}/",
    "/api/v1/ledger/",
    "/api/v1/ledger/{id}/",
    "/api/v1/reports/",
    "/api/v1/reports/{id}/",
    "/api/v1/indicators/",
    "/api/v1/indicators/{id}/",
}


def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_openapi_3_listing_every_endpoint(db):
    document = schema(Client())

    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == PATHS
    assert set(document["components"]["securitySchemes"]) == {"apiToken"}
    assert document["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_schema_documents_the_filters(db):
    document = schema(Client())

    names = {p["name"] for p in document["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert names == {"page", "page_size", "state", "stage"}
    ledger = {p["name"] for p in document["paths"]["/api/v1/ledger/"]["get"]["parameters"]}
    assert ledger == {"page", "page_size", "kind", "year", "case"}


def test_docs_pages_use_our_own_static_files(db):
    for url in ("/api/docs/", "/api/redoc/"):
        response = Client().get(url)

        assert response.status_code == 200
        html = response.content.decode()
        assert "/static/drf_spectacular_sidecar/" in html
        assert "cdn.jsdelivr.net" not in html
        assert "unpkg.com" not in html
