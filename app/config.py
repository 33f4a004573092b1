"""Settings, read from the environment with defaults that run offline on one machine."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_PATH = Path(os.environ.get("PODIUM_INSTANCE_DIR", PROJECT_ROOT / "instance"))


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_PATH / 'podium.sqlite'}")
    # Heroku-style URLs name the old driver; psycopg 3 is the one installed.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    ENV_NAME = os.environ.get("PODIUM_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    INSTANCE_DIR = str(INSTANCE_PATH)
    UPLOAD_DIR = os.environ.get("PODIUM_UPLOAD_DIR", str(INSTANCE_PATH / "uploads"))
    # Where recordings are stored: empty for UPLOAD_DIR on this machine, file:///folder, or
    # s3://bucket/prefix (endpoint, region and credentials from boto3's own AWS_* settings).
    STORAGE_URL = os.environ.get("STORAGE_URL", "")
    # "path" for MinIO and most self-hosted stores; "auto" lets boto3 choose (AWS S3).
    STORAGE_S3_ADDRESSING_STYLE = os.environ.get("STORAGE_S3_ADDRESSING_STYLE", "auto")

    BEHIND_PROXY = _env_bool("PODIUM_BEHIND_PROXY")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("PODIUM_HTTPS")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _env_bool("PODIUM_HTTPS")
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    # CSRF is checked by our own before_request so bearer-token requests can skip it.
    WTF_CSRF_CHECK_DEFAULT = False
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    PASSWORD_MIN_LENGTH = 8
    API_TOKEN_TTL_SECONDS = _env_int("API_TOKEN_TTL_SECONDS", 24 * 3600)
    # A request body over this is refused with 413 before it is read.
    MAX_CONTENT_LENGTH = _env_int("MAX_UPLOAD_BYTES", 200 * 1024 * 1024)

    ANALYSIS_MAX_SECONDS = _env_int("ANALYSIS_MAX_SECONDS", 600)
    ANALYSIS_MAX_BYTES = _env_int("ANALYSIS_MAX_BYTES", 50 * 1024 * 1024)
    ANALYSIS_MIN_SPEECH_SECONDS = float(os.environ.get("ANALYSIS_MIN_SPEECH_SECONDS", 1.0))
    AUDIO_RETENTION_DAYS = _env_int("AUDIO_RETENTION_DAYS", 365)
    # "base" (default) or "tiny.en" (less memory, about half the time); both ship on PyPI.
    # Base made 15 % fewer transcription errors on learners' speech (docs/benchmarks.md).
    WHISPER_MODEL = os.environ.get("WHISPER_MODEL", "base")
    WHISPER_MODEL_DIR = os.environ.get("WHISPER_MODEL_DIR", "")
    WHISPER_MODEL_SHA256 = os.environ.get("WHISPER_MODEL_SHA256", "")
    AZURE_SPEECH_KEY = os.environ.get("AZURE_SPEECH_KEY", "")
    AZURE_SPEECH_REGION = os.environ.get("AZURE_SPEECH_REGION", "")
    OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "")
    OPENAI_BASE_URL = os.environ.get("OPENAI_BASE_URL", "")
    OPENAI_MODEL = os.environ.get("OPENAI_MODEL", "gpt-4o-mini")
    OPENAI_TIMEOUT_SECONDS = float(os.environ.get("OPENAI_TIMEOUT_SECONDS", 20))

    # Embedded default: Celery keeps its queue in a SQLite file, so no broker server is needed.
    CELERY_BROKER_URL = os.environ.get(
        "CELERY_BROKER_URL", f"sqla+sqlite:///{INSTANCE_PATH / 'celery-broker.sqlite'}"
    )
    CELERY_TASK_ALWAYS_EAGER = _env_bool("CELERY_TASK_ALWAYS_EAGER")

    INACTIVE_DAYS_DEFAULT = 7
    LIVE_STUCK_FACTOR = 2

    @classmethod
    def is_production(cls) -> bool:
        return cls.ENV_NAME == "production"


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    CELERY_TASK_ALWAYS_EAGER = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing keeps the suite quick
