"""Fixtures: the app from the factory on PostgreSQL and SQLite, a clean database per test,
clients that carry CSRF tokens like a browser, and login helpers."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db, limiter
from app.storage import storage

from .factories import app_config
from .postgres import throwaway_postgres

DATA_DIR = Path(__file__).parent / "data"
# Stored objects whose keys hold database ids (app/storage/keys.py): emptied with the tables.
ID_KEYED_PREFIXES = ("sessions/", "parts/", "words/attempts/")
pytest_plugins = ["tests.program_audit"]


@pytest.fixture(scope="session")
def postgres_url():
    if os.environ.get("TEST_POSTGRES_URL"):
        yield os.environ["TEST_POSTGRES_URL"]
        return
    with throwaway_postgres() as url:
        yield url


@pytest.fixture(scope="session", params=["postgresql", "sqlite"])
def database_url(request, tmp_path_factory):
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    # A file, not :memory:, so a Celery worker process can share it.
    return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'podium.sqlite'}"


def make_test_app(database_url: str, tmp_path_factory, **overrides):
    instance = tmp_path_factory.mktemp("instance")
    config = app_config(
        SQLALCHEMY_DATABASE_URI=database_url,
        INSTANCE_DIR=str(instance),
        UPLOAD_DIR=str(instance / "uploads"),
        CELERY_BROKER_URL=f"sqla+sqlite:///{instance / 'broker.sqlite'}",
    ) | overrides
    app = create_app(config)
    with app.app_context():
        upgrade()  # the schema comes from the migrations, exactly as in production
    return app


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = make_test_app(database_url, tmp_path_factory)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request):
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    limiter.reset()  # rate-limit counts are per test, like the rows
    with app.app_context():
        db.session.remove()
        # Ids restart with the rows, so a later test's session 1 must not find this test's files.
        for prefix in ID_KEYED_PREFIXES:
            storage().delete_prefix(prefix)
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                # The table names come from our own metadata, not from input.
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))  # noqa: S608
        else:
            with db.engine.begin() as conn:
                for name in tables:
                    conn.execute(text(f"DELETE FROM {name}"))  # noqa: S608


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


class BrowserClient:
    """A test client that behaves like a browser: it reads the CSRF token from the
    last page it loaded and sends it with forms and fetch-style JSON requests."""

    def __init__(self, client):
        self.client = client
        self.csrf_token: str | None = None

    def get(self, *args, **kwargs):
        response = self.client.get(*args, **kwargs)
        match = re.search(rb'name="csrf-token" content="([^"]+)"', response.data)
        if match:
            self.csrf_token = match.group(1).decode()
        return response

    def _ensure_token(self):
        if self.csrf_token is None:
            self.get("/login")
        return self.csrf_token

    def post_form(self, url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self._ensure_token())
        return self.client.post(url, data=data, **kwargs)

    def send_json(self, method, url, payload=None, **kwargs):
        headers = {"X-CSRFToken": self._ensure_token(), **kwargs.pop("headers", {})}
        return self.client.open(url, method=method, json=payload, headers=headers, **kwargs)

    def __getattr__(self, name):
        return getattr(self.client, name)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def browser(app):
    return BrowserClient(app.test_client())


def login_as(client, user) -> None:
    """Session shortcut for tests that are not about logging in."""
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True


def bearer_for(app, user) -> dict[str, str]:
    from app.auth.tokens import issue_token

    with app.app_context():
        clear, _ = issue_token(db.session.merge(user), 3600)
        db.session.commit()
    return {"Authorization": f"Bearer {clear}"}
