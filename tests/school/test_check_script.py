"""scripts/check_accounts.py, the issue's check through the JSON API, passes against a live server."""
from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from ..factories import PASSWORD, make_admin

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_accounts.py"


@pytest.fixture
def live_app(app):
    # Short windows so the test waits seconds, not the minute a real client would.
    saved = {key: app.config[key] for key in ("LOGIN_RATE_LIMIT", "LOGIN_LOCKOUT_BASE_SECONDS")}
    app.config.update(LOGIN_RATE_LIMIT="10 per 3 seconds", LOGIN_LOCKOUT_BASE_SECONDS=2)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        app.config.update(saved)


def test_the_accounts_check_passes(app, live_app, capsys):
    with app.app_context():
        admin = make_admin(email="admin@check.example")
    spec = importlib.util.spec_from_file_location("check_accounts", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(live_app, admin.email, PASSWORD, max_wait=30)
    output = capsys.readouterr().out
    assert "all checks passed" in output and "FAIL" not in output
    assert "429" in output
