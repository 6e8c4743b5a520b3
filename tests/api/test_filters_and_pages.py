import pytest

from applications.enums import CaseState

BAD = [
    ("cases", "state", "nonsense"),
    ("cases", "stage", "later"),
    ("decisions", "kind", "maybe"),
    ("decisions", "year", "abc"),
    ("decisions", "year", "1999"),
    ("decisions", "case", "-1"),
    ("ledger", "year", "3000"),
    ("ledger", "kind", "gift"),
    ("ledger", "case", "x"),
    ("reports", "status", "late"),
    ("reports", "kind", "weekly"),
    ("reports", "due_from", "2027-13-01"),
    ("reports", "due_to", "igår"),
    ("indicators", "case", "1.5"),
]


@pytest.mark.parametrize(("endpoint", "parameter", "value"), BAD)
def test_nonsense_filter_is_400_naming_the_parameter(ystad, endpoint, parameter, value):
    response = ystad.client().get(f"/api/v1/{endpoint}/", {parameter: value})

    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert response.json()["detail"].startswith(f"Ogiltigt värde för parametern ”{parameter}”: ")


def test_state_filter_message_lists_the_valid_states(ystad):
    response = ystad.client().get("/api/v1/cases/", {"state": "nonsense"})

    assert ", ".join(CaseState.values) in response.json()["detail"]


def test_year_filter_message_gives_the_range(ystad):
    response = ystad.client().get("/api/v1/ledger/", {"year": "abc"})

    assert response.json() == {
        "detail": "Ogiltigt värde för parametern ”year”: ange ett heltal från 2000 till 2100.",
        "parameter": "year",
    }


def test_state_filter_selects_cases_in_that_state(ystad):
    state = ystad.cases[0].state

    matching = ystad.client().get("/api/v1/cases/", {"state": state})
    other = ystad.client().get("/api/v1/cases/", {"state": CaseState.WITHDRAWN})

    assert [row["id"] for row in matching.json()["results"]] == [ystad.cases[0].pk]
    assert other.json()["results"] == []


def test_year_filter_selects_ledger_entries_of_that_year(ystad):
    same = ystad.client().get("/api/v1/ledger/", {"year": 2027})
    other = ystad.client().get("/api/v1/ledger/", {"year": 2030})

    assert [row["id"] for row in same.json()["results"]] == [ystad.entries[0].pk]
    assert other.json()["results"] == []


def test_page_past_the_end_is_404_with_a_reason(ystad):
    response = ystad.client().get("/api/v1/cases/", {"page": 2})

    assert response.status_code == 404
    assert response.json() == {"detail": "Sidan ”2” finns inte: Sidan innehåller inga resultat"}


def test_page_that_is_not_a_number_is_404_not_500(ystad):
    response = ystad.client().get("/api/v1/cases/", {"page": "abc"})

    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_pages_split_the_rows(tenant):
    ystad = tenant("ystad", count=3)

    first = ystad.client().get("/api/v1/decisions/", {"page_size": 2})
    second = ystad.client().get("/api/v1/decisions/", {"page_size": 2, "page": 2})

    assert first.json()["count"] == 3
    assert len(first.json()["results"]) == 2
    assert first.json()["next"].endswith("/api/v1/decisions/?page=2&page_size=2")
    assert [row["id"] for row in second.json()["results"]] == [ystad.decisions[2].pk]
    assert second.json()["next"] is None


@pytest.mark.parametrize("page_size", ["abc", "0", "1001", "-5"])
def test_page_size_out_of_range_is_a_400_naming_it(ystad, page_size):
    response = ystad.client().get("/api/v1/cases/", {"page_size": page_size})

    assert response.status_code == 400
    assert response.json()["parameter"] == "page_size"
