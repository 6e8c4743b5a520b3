"""The number of queries of a list page does not grow with its rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# The token, the count, the page, and one query per prefetched relation.
QUERIES = {"cases": 4, "decisions": 5, "ledger": 3, "reports": 3, "indicators": 4}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.json()["count"]


@pytest.mark.parametrize("endpoint", QUERIES)
def test_list_queries_do_not_grow_with_rows(tenant, endpoint):
    ystad = tenant("ystad", count=2)
    client = ystad.client()
    client.get(f"/api/v1/{endpoint}/")  # the token's last use is written once a minute; not counted below

    small, small_count = count_queries(client, f"/api/v1/{endpoint}/")
    ystad.add(8)
    large, large_count = count_queries(client, f"/api/v1/{endpoint}/")

    assert (small_count, large_count) == (2, 10)
    assert (small, large) == (QUERIES[endpoint], QUERIES[endpoint])
