"""The factory, configuration and production guard rails."""
import subprocess
import sys

import pytest

from app import create_app
from app.config import PROJECT_ROOT


def test_production_refuses_to_start_without_secret_key(tmp_path):
    config = {"ENV_NAME": "production", "SECRET_KEY": None, "INSTANCE_DIR": str(tmp_path),
              "UPLOAD_DIR": str(tmp_path / "u"), "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


def test_development_secret_key_is_generated_once_and_kept(tmp_path):
    config = {"SECRET_KEY": None, "INSTANCE_DIR": str(tmp_path), "UPLOAD_DIR": str(tmp_path / "u"),
              "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    first, second = create_app(config), create_app(config)
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] and len(first.config["SECRET_KEY"]) >= 32


def test_database_url_defaults_to_sqlite_in_instance_and_accepts_postgres(monkeypatch):
    from app import config as config_module

    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config_module._database_url().startswith("sqlite:///") and "podium.sqlite" in config_module._database_url()
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/podium")
    assert config_module._database_url() == "postgresql+psycopg://u:p@db/podium"


def test_secure_cookie_when_https_configured(tmp_path):
    app = create_app({"SESSION_COOKIE_SECURE": True, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path),
                      "UPLOAD_DIR": str(tmp_path / "u"), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_wsgi_module_builds_the_app(tmp_path):
    env = {"PODIUM_INSTANCE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", "import wsgi; print(wsgi.app.name)"], env=env,
                         capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert out.returncode == 0 and out.stdout.strip() == "app", out.stderr


def test_every_table_comes_from_a_migration_with_a_message():
    from pathlib import Path

    versions = list((Path(__file__).parent.parent / "migrations" / "versions").glob("*.py"))
    assert versions
    for path in versions:
        text = path.read_text()
        assert '"""' in text and not text.split('"""')[1].strip().startswith("empty message"), path.name


def test_migrations_match_the_models(app):
    """Autogenerate finds nothing to add: the models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []
