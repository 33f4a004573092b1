"""Helpers for the teacher-portal tests: a logged-in browser-like client (sessions come from tests.factories)."""
from __future__ import annotations

import pytest

from app.models import User
from tests.conftest import BrowserClient, login_as


def signed_in(app, user: User | None) -> BrowserClient:
    """A client logged in as *user* (anonymous for None) that already holds a CSRF token."""
    client = BrowserClient(app.test_client())
    if user is not None:
        login_as(client.client, user)
    client.get("/teacher/" if user is not None else "/login")
    assert client.csrf_token, "the page should carry a CSRF token"
    return client


@pytest.fixture
def signin(app):
    return lambda user=None: signed_in(app, user)
