"""Podium: speaking practice for schools."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Mapping

from flask import Flask

from .config import Config
from .routing import use_database_ids
from .security_headers import init_security_headers


def create_app(config: type | Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=Config.INSTANCE_DIR, instance_relative_config=False)
    load_config(app, config)
    init_security_headers(app)
    register_proxy_fix(app)
    register_extensions(app)
    register_storage(app)
    use_database_ids(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_commands(app)
    register_jobs(app)
    register_analytics(app)
    register_template_helpers(app)
    register_metrics(app)
    return app


def load_config(app: Flask, config: type | Mapping[str, Any] | None) -> None:
    app.config.from_object(Config)
    if isinstance(config, Mapping):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    Path(app.config["INSTANCE_DIR"]).mkdir(parents=True, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _development_secret_key(app)


def register_proxy_fix(app: Flask) -> None:
    """Behind nginx, take scheme and client address from one trusted proxy hop."""
    if app.config["BEHIND_PROXY"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        x_host = 1 if app.config["PROXY_SETS_FORWARDED_HOST"] else 0
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=x_host)


def _development_secret_key(app: Flask) -> str:
    """Outside production, keep a random key in the instance folder so logins survive restarts."""
    if app.config["ENV_NAME"] == "production":
        raise RuntimeError("SECRET_KEY must be set in production (PODIUM_ENV=production).")
    key_file = Path(app.config["INSTANCE_DIR"]) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        os.chmod(key_file, 0o600)
    return key_file.read_text().strip()


def register_extensions(app: Flask) -> None:
    from .auth.rate_limits import init_rate_limits
    from .extensions import csrf, db, login_manager, mail, migrate
    from .security import init_security

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    init_rate_limits(app)
    init_security(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _tune_sqlite(app)


def _tune_sqlite(app: Flask) -> None:
    from sqlalchemy import event

    from .extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # WAL lets the web server read while the worker writes; foreign keys are off by default in SQLite.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def register_storage(app: Flask) -> None:
    from .storage import init_app

    init_app(app)


def register_metrics(app: Flask) -> None:
    from .health.metrics import init_metrics

    init_metrics(app)


def register_blueprints(app: Flask) -> None:
    from .api_docs import bp as api_docs_bp
    from .auth import bp as auth_bp
    from .batch import bp as batch_bp
    from .classes import bp as classes_bp
    from .health import bp as health_bp
    from .school import bp as school_bp
    from .student import bp as student_bp
    from .teacher import bp as teacher_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(classes_bp)
    app.register_blueprint(student_bp, url_prefix="/student")
    app.register_blueprint(teacher_bp, url_prefix="/teacher")
    app.register_blueprint(batch_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(school_bp)
    app.register_blueprint(api_docs_bp)


def register_error_handlers(app: Flask) -> None:
    from .errors import register_error_handlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from .cli import register_cli

    register_cli(app)


def register_jobs(app: Flask) -> None:
    from .jobs import celery_init_app

    celery_init_app(app)


def register_analytics(app: Flask) -> None:
    from .analytics import init_app

    init_app(app)


def register_template_helpers(app: Flask) -> None:
    from .templating import init_templating

    init_templating(app)
