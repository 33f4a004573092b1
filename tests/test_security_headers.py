"""Security headers on pages, JSON, files and errors; Secure cookies and HSTS in production;
and no template that needs an inline script or style the CSP would block."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import create_app
from app.config import Config, TestConfig
from app.extensions import db
from app.models import PracticeSession

from .conftest import DATA_DIR, bearer_for, login_as
from .factories import PASSWORD, make_session, make_student, make_teacher

TEMPLATES = Path(__file__).resolve().parents[1] / "app" / "templates"
EXPECTED = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
CSP_DIRECTIVES = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data: blob:",
    "media-src": "'self' blob:", "object-src": "'none'", "base-uri": "'none'", "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def _assert_hardened(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (name, response.headers.get(name))
    policy = _policy(response)
    for directive, value in CSP_DIRECTIVES.items():
        assert policy.get(directive) == value, directive
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]


@pytest.fixture
def student(app_ctx):
    return make_student()


def _reading_with_audio(student) -> PracticeSession:
    return make_session(student, kind="pronunciation", status="failed", prompt_title="Mine", prompt_text="Tell me.",
                        audio=DATA_DIR / "so762_030830001.wav", audio_mime="audio/wav",
                        error_message="We heard no speech.")


@pytest.mark.parametrize("url", ["/", "/login", "/users/signup", "/no-such-page"])
def test_anonymous_pages_and_errors_carry_every_header(client, url):
    response = client.get(url)
    _assert_hardened(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_a_logged_in_students_pages_and_recording_are_never_stored(client, student):
    session = _reading_with_audio(student)
    login_as(client, student)
    for url in ("/student/", "/student/pronunciation", f"/student/pronunciation/{session.id}",
                f"/student/sessions/{session.id}/audio"):
        with client.get(url) as response:
            assert response.status_code == 200, url
            _assert_hardened(response)
            assert response.headers["Cache-Control"] == "no-store", url
            assert "Expires" not in response.headers


def test_json_answers_carry_every_header_and_are_never_stored(app, client, student):
    headers = bearer_for(app, student)
    for url, status in (("/api/me/sessions", 200), ("/api/me/sessions/999999", 404), ("/api/classes", 200)):
        response = client.get(url, headers=headers)
        assert response.status_code == status and response.is_json, url
        _assert_hardened(response)
        assert response.headers["Cache-Control"] == "no-store"
    refused = client.get("/api/me/sessions", headers={"Authorization": "Bearer nope"})
    assert refused.status_code == 401 and refused.is_json
    _assert_hardened(refused)
    assert refused.headers["Cache-Control"] == "no-store"


def test_teacher_pages_cannot_be_framed(app_ctx, client):
    teacher = make_teacher()
    login_as(client, teacher)
    response = client.get("/teacher/")
    assert response.status_code == 200
    _assert_hardened(response)  # frame-ancestors 'none' and X-Frame-Options: DENY stop clickjacking


def test_static_files_are_hardened_but_may_be_cached(client):
    with client.get("/static/js/mic.js") as response:
        assert response.status_code == 200
        _assert_hardened(response)
        assert "no-store" not in response.headers.get("Cache-Control", "")


def test_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


@pytest.fixture
def production_app(tmp_path):
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()} | {
        "ENV_NAME": "production", "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite'}", "INSTANCE_DIR": str(tmp_path),
        "UPLOAD_DIR": str(tmp_path / "uploads"), "HSTS_MAX_AGE_SECONDS": 86400,
        # Production refuses a cheaper hash; the factories' accounts still use the fast test one.
        "PASSWORD_HASH_METHOD": Config.PASSWORD_HASH_METHOD,
    }
    app = create_app(config)
    with app.app_context():
        db.create_all()
        make_teacher(email="prod@example.com")  # an adult: children get no remember-me cookie
    yield app
    with app.app_context():
        db.engine.dispose()


def test_production_forces_secure_cookies_and_hsts(production_app):
    client = production_app.test_client()
    page = client.get("/login")
    assert page.headers["Strict-Transport-Security"] == "max-age=86400"
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post("/login", data={"login": "prod@example.com", "password": PASSWORD, "remember_me": "y",
                                           "csrf_token": token})
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert {c.split("=", 1)[0] for c in cookies} >= {"session", "remember_token"}
    for cookie in cookies:
        assert "; Secure" in cookie and "; HttpOnly" in cookie, cookie


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


@pytest.mark.parametrize("template", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")))
def test_no_template_needs_inline_script_or_style(template):
    """The CSP blocks these; JSON data blocks (<script type="application/json">) are not run, so they stay."""
    text = (TEMPLATES / template).read_text()
    for pattern in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE):
        assert not pattern.search(text), f"{template}: {pattern.search(text).group(0)!r}"
