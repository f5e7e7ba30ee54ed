"""Every endpoint and page × every demo role → the expected status (see permission_matrix.py)."""

import pytest

from tests.conftest import ROLES
from tests.matrix import ROWS

CASES = [
    pytest.param(row, role, id=f"{row.id} as {role}") for row in ROWS for role in [*ROLES, "anon"]
]


@pytest.mark.parametrize(("row", "role"), CASES)
def test_the_matrix_holds(row, role, demo, api_as, web_as):
    url = row.url(demo)
    body = row.body(demo) if row.body else None
    if row.api:
        client = api_as(None if role == "anon" else role)
        response = getattr(client, row.method.lower())(url, body, format="json")
    else:
        client = web_as(None if role == "anon" else role)
        response = getattr(client, row.method.lower())(url, body or {})
    expected = row.expect[role]
    assert response.status_code == expected, (
        f"{row.method} {url} as {role}: expected {expected}, got {response.status_code}: "
        f"{getattr(response, 'data', None) or response.content[:300]!r}"
    )
    if row.api and expected == 404:
        # Outside your scope, an object simply is not there: nothing of it may leak.
        assert response.json() == {"status": 404, "code": "not_found", "detail": "Not found."}
