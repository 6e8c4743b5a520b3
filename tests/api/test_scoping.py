"""A token of one municipality sees its own rows and never another municipality's, on every endpoint."""

import pytest

ENDPOINTS = {
    "cases": "cases",
    "decisions": "decisions",
    "ledger": "entries",
    "reports": "obligations",
    "indicators": "indicators",
}


def ids(response):
    return sorted(row["id"] for row in response.json()["results"])


@pytest.mark.parametrize(("endpoint", "rows"), ENDPOINTS.items())
def test_list_shows_only_the_tokens_municipality(ystad, heby, endpoint, rows):
    response = ystad.client().get(f"/api/v1/{endpoint}/")

    assert response.status_code == 200
    assert ids(response) == sorted(row.pk for row in getattr(ystad, rows))
    assert response.json()["count"] == 1


@pytest.mark.parametrize(("endpoint", "rows"), ENDPOINTS.items())
def test_detail_of_own_row_is_shown(ystad, endpoint, rows):
    own = getattr(ystad, rows)[0]

    response = ystad.client().get(f"/api/v1/{endpoint}/{own.pk}/")

    assert response.status_code == 200
    assert response.json()["id"] == own.pk


@pytest.mark.parametrize(("endpoint", "rows"), ENDPOINTS.items())
def test_detail_of_another_municipalitys_row_is_404(ystad, heby, endpoint, rows):
    theirs = getattr(heby, rows)[0]

    response = ystad.client().get(f"/api/v1/{endpoint}/{theirs.pk}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_municipality_in_the_query_string_is_ignored(ystad, heby, endpoint):
    query = {"municipality": "heby", "municipality_id": heby.municipality.pk}

    response = ystad.client().get(f"/api/v1/{endpoint}/", query)

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert [row["id"] for row in response.json()["results"]] == [getattr(ystad, ENDPOINTS[endpoint])[0].pk]


@pytest.mark.parametrize("endpoint", ["decisions", "ledger", "reports", "indicators"])
def test_case_filter_with_another_municipalitys_case_finds_nothing(ystad, heby, endpoint):
    response = ystad.client().get(f"/api/v1/{endpoint}/", {"case": heby.cases[0].pk})

    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_non_numeric_id_is_404_not_500(ystad, endpoint):
    response = ystad.client().get(f"/api/v1/{endpoint}/abc/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Id ska vara ett positivt heltal."}
