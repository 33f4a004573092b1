"""The site answers only to its own host names once TRUSTED_HOSTS is set, and believes a proxy's
X-Forwarded-Host only when told the proxy sets it."""
from __future__ import annotations

import pytest

from .conftest import make_test_app


@pytest.fixture
def make_app(database_url, tmp_path_factory):
    made = []

    def build(**overrides):
        made.append(make_test_app(database_url, tmp_path_factory, **overrides))
        return made[-1]

    yield build
    for app in made:
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()


def test_a_host_outside_trusted_hosts_is_refused_before_routing(make_app):
    client = make_app(TRUSTED_HOSTS=["podium.example.org"]).test_client()
    assert client.get("/login", headers={"Host": "podium.example.org"}).status_code == 200
    refused = client.get("/api/me", headers={"Host": "evil.example"})
    assert refused.status_code == 400 and refused.is_json and refused.json["message"]


@pytest.mark.parametrize("sets_host, expected", [(False, "podium.example.org"), (True, "evil.example")])
def test_x_forwarded_host_is_believed_only_when_configured(make_app, sets_host, expected):
    app = make_app(BEHIND_PROXY=True, PROXY_SETS_FORWARDED_HOST=sets_host)
    seen = {}

    @app.get("/_host-probe")
    def probe():
        from flask import request

        seen["host"] = request.host
        return ""

    app.test_client().get("/_host-probe", headers={"Host": "podium.example.org", "X-Forwarded-Host": "evil.example"})
    assert seen["host"] == expected

