"""An id in a URL that cannot be a database id (past PostgreSQL's integer) is a 404, not an overflow and a 500;
schemathesis found these (tests/api_docs/test_fuzz.py)."""
from __future__ import annotations

import pytest

from .conftest import bearer_for
from .factories import make_teacher


@pytest.mark.parametrize("url", ["/api/me/sessions/2147483648", "/api/classes/99999999999999999999/roster"])
def test_an_id_too_big_for_the_database_is_a_404_not_an_overflow(app, client, url):
    with app.app_context():
        teacher = make_teacher()
    response = client.get(url, headers=bearer_for(app, teacher))
    assert response.status_code == 404 and response.is_json
