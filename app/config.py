"""Settings, read from the environment with defaults that run offline on one machine."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_PATH = Path(os.environ.get("PODIUM_INSTANCE_DIR", PROJECT_ROOT / "instance"))


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


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
    # The proxy's X-Forwarded-Host is believed only when the proxy is known to set it (the sample nginx site
    # passes Host itself and sets no X-Forwarded-Host, so a client could otherwise choose the host).
    PROXY_SETS_FORWARDED_HOST = _env_bool("PODIUM_PROXY_SETS_FORWARDED_HOST")
    # Host names this site answers to, comma-separated (a leading dot allows subdomains); any other Host header
    # is refused with 400 before routing (Flask's TRUSTED_HOSTS). Unset: every host, as on a developer's machine.
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()] or None
    # Outside production PODIUM_HTTPS marks the cookies Secure; production always does (app/security_headers.py).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("PODIUM_HTTPS")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _env_bool("PODIUM_HTTPS")
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    # Adults may stay logged in on their own device for at most 30 days; children on shared school
    # computers get no remember-me cookie unless a school turns STUDENT_REMEMBER_ME on.
    REMEMBER_COOKIE_DURATION = timedelta(days=min(30, _env_int("REMEMBER_COOKIE_DAYS", 30)))
    STUDENT_REMEMBER_ME = _env_bool("STUDENT_REMEMBER_ME")
    # In production browsers are told to reach us over HTTPS only, for this long (a year by default).
    HSTS_MAX_AGE_SECONDS = _env_int("HSTS_MAX_AGE_SECONDS", 365 * 24 * 3600)
    # CSRF is checked by our own before_request so bearer-token requests can skip it.
    WTF_CSRF_CHECK_DEFAULT = False
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    PASSWORD_MIN_LENGTH = 8
    PASSWORD_MAX_LENGTH = 128
    # OWASP's scrypt minimum (N=2^17, r=8, p=1: 128 MiB and about half a second per hash).
    # The test configuration sets a fast method.
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt:131072:8:1")
    # zxcvbn's 0-4 guessability score an adult's password must reach ("safely unguessable" is 3).
    ADULT_PASSWORD_MIN_SCORE = _env_int("ADULT_PASSWORD_MIN_SCORE", 3)
    # Words in a password made for a child (from app/accounts/child_words.txt).
    CHILD_PASSWORD_WORDS = 3
    BULK_STUDENTS_MAX = _env_int("BULK_STUDENTS_MAX", 100)

    # After this many wrong passwords in a row an account refuses every password for a while,
    # the wait doubling with each further wrong password up to the maximum.
    LOGIN_LOCKOUT_THRESHOLD = _env_int("LOGIN_LOCKOUT_THRESHOLD", 5)
    LOGIN_LOCKOUT_BASE_SECONDS = _env_int("LOGIN_LOCKOUT_BASE_SECONDS", 30)
    LOGIN_LOCKOUT_MAX_SECONDS = _env_int("LOGIN_LOCKOUT_MAX_SECONDS", 15 * 60)
    # Per client address (Flask-Limiter). Memory is per process: production sets a Redis URI so the
    # limits hold across gunicorn workers and hosts. Log-in and join limits count failures only, so a
    # class logging in at once behind the school's one address is never refused.
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # If Redis cannot be reached, each process counts on its own instead of failing every log-in.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = False  # Retry-After is written on 429 answers only (app/auth/rate_limits.py)
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;100 per hour")
    SIGNUP_RATE_LIMIT = os.environ.get("SIGNUP_RATE_LIMIT", "30 per hour")
    JOIN_RATE_LIMIT = os.environ.get("JOIN_RATE_LIMIT", "10 per minute;100 per hour")
    LINK_RATE_LIMIT = os.environ.get("LINK_RATE_LIMIT", "10 per minute;50 per hour")

    # The site's address for links made outside a request (command line); pages use the request's host.
    SITE_URL = os.environ.get("SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '5000')}")
    INVITE_DAYS = _env_int("INVITE_DAYS", 7)
    PASSWORD_RESET_MINUTES = _env_int("PASSWORD_RESET_MINUTES", 60)
    # Email is sent only when MAIL_SERVER is set (Flask-Mail); otherwise links are shown to the admin.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _env_int("MAIL_PORT", 587)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Podium <no-reply@localhost>")
    MAIL_SUPPRESS_SEND = False
    API_TOKEN_TTL_SECONDS = _env_int("API_TOKEN_TTL_SECONDS", 24 * 3600)
    # JSON lists come in pages (app/pagination.py): this many items unless ?per_page= asks for up to the most.
    API_PER_PAGE = _env_int("API_PER_PAGE", 50)
    API_MAX_PER_PAGE = _env_int("API_MAX_PER_PAGE", 200)
    # Any request body over this is refused with 413 before it is read; the routes that take a
    # recording or a batch allow that upload's own limit instead (app/limits/body.py).
    MAX_CONTENT_LENGTH = _env_int("REQUEST_MAX_BYTES", 1024 * 1024)

    ANALYSIS_MAX_SECONDS = _env_int("ANALYSIS_MAX_SECONDS", 600)
    ANALYSIS_MAX_BYTES = _env_int("ANALYSIS_MAX_BYTES", 50 * 1024 * 1024)
    ANALYSIS_MIN_SPEECH_SECONDS = _env_float("ANALYSIS_MIN_SPEECH_SECONDS", 1.0)
    # A tricky word said again is one word: this much speech is enough to score it.
    WORD_MIN_SPEECH_SECONDS = _env_float("WORD_MIN_SPEECH_SECONDS", 0.2)
    # Retention (app/privacy/retention.py, docs/privacy.md). A school may keep recordings for its own
    # number of days (app/school/settings.py); parts of a recording never sent go after
    # ABANDONED_PARTS_DAYS, a batch upload's files after BATCH_RETENTION_DAYS; reports and transcripts
    # after REPORT_RETENTION_DAYS (0 keeps them), audit events after AUDIT_RETENTION_DAYS (0 keeps them).
    # Beat sends the purge every PURGE_INTERVAL_SECONDS.
    AUDIO_RETENTION_DAYS = _env_int("AUDIO_RETENTION_DAYS", 365)
    ABANDONED_PARTS_DAYS = _env_int("ABANDONED_PARTS_DAYS", 7)
    BATCH_RETENTION_DAYS = _env_int("BATCH_RETENTION_DAYS", 90)
    REPORT_RETENTION_DAYS = _env_int("REPORT_RETENTION_DAYS", 0)
    # Two school years: long enough to answer a parent's question about last year, not for ever.
    AUDIT_RETENTION_DAYS = _env_int("AUDIT_RETENTION_DAYS", 730)
    PURGE_INTERVAL_SECONDS = _env_float("PURGE_INTERVAL_SECONDS", 3600.0)
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
    OPENAI_TIMEOUT_SECONDS = _env_float("OPENAI_TIMEOUT_SECONDS", 20.0)

    # Durability of analyses (app/practice/recovery.py): a running analysis refreshes its heartbeat
    # this often; a run silent for ANALYSIS_STALE_SECONDS is presumed dead (its worker was killed),
    # a session still queued after ANALYSIS_QUEUE_STALE_SECONDS has probably lost its message; both
    # are requeued by the sweep every RECOVERY_INTERVAL_SECONDS, at most ANALYSIS_MAX_ATTEMPTS runs.
    ANALYSIS_HEARTBEAT_SECONDS = _env_float("ANALYSIS_HEARTBEAT_SECONDS", 15.0)
    ANALYSIS_STALE_SECONDS = _env_float("ANALYSIS_STALE_SECONDS", 120.0)
    ANALYSIS_QUEUE_STALE_SECONDS = _env_float("ANALYSIS_QUEUE_STALE_SECONDS", 1800.0)
    ANALYSIS_MAX_ATTEMPTS = _env_int("ANALYSIS_MAX_ATTEMPTS", 3)
    RECOVERY_INTERVAL_SECONDS = _env_float("RECOVERY_INTERVAL_SECONDS", 60.0)
    # An open recorder silent this long was closed without a goodbye; the sweep marks it abandoned.
    RECORDER_IDLE_MINUTES = _env_int("RECORDER_IDLE_MINUTES", 30)

    # What one person may have at once (app/limits/quotas.py); each refusal is a 429 saying when to try again.
    STUDENT_MAX_OPEN_SESSIONS = _env_int("STUDENT_MAX_OPEN_SESSIONS", 5)
    STUDENT_ANALYSES_PER_HOUR = _env_int("STUDENT_ANALYSES_PER_HOUR", 20)
    STUDENT_MAX_STORED_BYTES = _env_int("STUDENT_MAX_STORED_BYTES", 1024 * 1024 * 1024)
    TEACHER_MAX_RUNNING_BATCHES = _env_int("TEACHER_MAX_RUNNING_BATCHES", 2)
    # A batch is refused while the teacher's stored batch files and its upload would pass this (they go after
    # BATCH_RETENTION_DAYS); four full batches (BATCH_MAX_BYTES) by default.
    TEACHER_MAX_BATCH_STORED_BYTES = _env_int("TEACHER_MAX_BATCH_STORED_BYTES", 2 * 1024 * 1024 * 1024)
    # Uploads are refused (507, nothing written) while the upload folder's disk has less than this free.
    UPLOAD_MIN_FREE_BYTES = _env_int("UPLOAD_MIN_FREE_BYTES", 1024 * 1024 * 1024)

    # A teacher's batch upload (app/batch/files.py): files in it and bytes once unzipped.
    BATCH_MAX_FILES = _env_int("BATCH_MAX_FILES", 200)
    BATCH_MAX_BYTES = _env_int("BATCH_MAX_BYTES", 500 * 1024 * 1024)
    # Every entry of a zip counts here, folders and __MACOSX clutter too; one recording in it may be at most
    # ANALYSIS_MAX_BYTES once unzipped, and references.csv / references.txt at most this.
    BATCH_MAX_ZIP_ENTRIES = _env_int("BATCH_MAX_ZIP_ENTRIES", 1000)
    BATCH_REFERENCES_MAX_BYTES = _env_int("BATCH_REFERENCES_MAX_BYTES", 1024 * 1024)

    # Embedded default: Celery keeps its queue in a SQLite file, so no broker server is needed.
    CELERY_BROKER_URL = os.environ.get(
        "CELERY_BROKER_URL", f"sqla+sqlite:///{INSTANCE_PATH / 'celery-broker.sqlite'}"
    )
    CELERY_TASK_ALWAYS_EAGER = _env_bool("CELERY_TASK_ALWAYS_EAGER")
    # With a Redis broker, an unacknowledged task goes to another worker after this long: longer than
    # any analysis, shorter than Redis's default hour, so a killed worker's students are not kept waiting.
    REDIS_VISIBILITY_TIMEOUT = _env_int("REDIS_VISIBILITY_TIMEOUT", 1800)

    # Health (app/health/): /ready gives each of database, broker and storage this long to answer.
    READY_TIMEOUT_SECONDS = _env_float("READY_TIMEOUT_SECONDS", 3.0)
    # /metrics answers only a request bearing this token (Prometheus' bearer_token); 404 when empty.
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
    # gunicorn's worker processes share request figures through files in this folder
    # (prometheus_client's multiprocess mode; the folder is emptied when the web server starts).
    PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    # Analysis seconds in /metrics are read from the sessions finished within this many seconds.
    METRICS_WINDOW_SECONDS = _env_int("METRICS_WINDOW_SECONDS", 3600)

    # The live panel flags a recording still going after this many times its planned length as "may be stuck".
    LIVE_STUCK_FACTOR = _env_int("LIVE_STUCK_FACTOR", 2)
    # ... and an analysis still running after this many minutes (a long queue or a lost worker).
    LIVE_ANALYSIS_STUCK_MINUTES = _env_int("LIVE_ANALYSIS_STUCK_MINUTES", 10)

    # Dates are shown in the school's time zone and date format (app/dates.py); these are for a
    # student without a school, and the format a school starts with: "day_month" (18 Mar 2026),
    # "month_day" (Mar 18, 2026) or "iso" (2026-03-18).
    DEFAULT_TIME_ZONE = os.environ.get("PODIUM_TIME_ZONE", "UTC")
    DATE_STYLE = os.environ.get("PODIUM_DATE_STYLE", "day_month")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - the tests' own key, never a deployment's
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    CELERY_TASK_ALWAYS_EAGER = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - a method's name: fast hashing keeps the suite quick
