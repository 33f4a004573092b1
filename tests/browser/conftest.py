"""Fixtures for real-browser tests: one live Podium server, headless system Chromium with a fake
microphone, and a guard that fails any test whose pages break the CSP or throw a JS error.

How to use them (mark tests ``@pytest.mark.browser``)::

    def test_something(live_server, chromium_for, new_page, speech_wav_for):
        with live_server.app.app_context():
            student = make_student()              # tests.factories; password factories.PASSWORD
        browser = chromium_for(speech_wav_for("Hello, this is my speech."))  # or chromium_for(None)
        page = new_page(browser)                  # fresh context, microphone allowed, closed after the test
        log_in(page, student.email)
        page.goto("/student/")                    # relative to the live server
        screenshot(page, "my-page")               # -> test-artifacts/my-page.png: LOOK at it

* ``live_server`` (session): ``.url`` and ``.app``: the only server the browser tests use. The app
  comes from ``tests.conftest.make_test_app`` on a file SQLite database, served by werkzeug in a
  thread on 127.0.0.1 and a free port. Celery tasks run EAGERLY in the request that queues them
  (CELERY_TASK_ALWAYS_EAGER), so a submit answers once the analysis is done; the real pipeline
  runs, only the queue is skipped. The database is not emptied between tests: create fresh users
  with the factories (their emails never repeat).
* ``live_worker``: for a test that needs real Celery workers. While it runs, the live server's
  tasks go through its broker; ``live_worker.start_worker(name)`` starts a worker process on the
  same database, broker and upload folder (tests.jobs.conftest.WorkerHarness).
* ``chromium_for(wav)`` (session): one Chromium per fake-microphone file, launched from
  /usr/bin/chromium with ``--use-fake-device-for-media-stream --use-fake-ui-for-media-stream``
  and ``--use-file-for-fake-audio-capture=<wav>`` (Chromium loops the file). ``None`` gives
  Chromium's synthetic beep as the microphone.
* ``speech_wav_for(text, pad_seconds=1.5)`` (session): espeak-ng speech as a 16 kHz mono
  16-bit WAV, with silence after it so the loop point is a pause, not a cut word.
* ``new_context(browser, viewport=..., **context_options)`` and ``new_page(browser, ...)``: a
  context (or a page in a new one) on the live server, closed after the test. Every page of it
  reports Content-Security-Policy violations (``securitypolicyviolation``) and uncaught JS errors,
  and the test fails with them listed: never open a context any other way.
* ``log_in(page, email)`` goes through the real login form.
"""
from __future__ import annotations

import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app.system_programs import find_program

from ..conftest import make_test_app
from ..factories import PASSWORD
from ..speech import espeak, to_pcm16_wav

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FAKE_MEDIA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                   "--autoplay-policy=no-user-gesture-required"]


@dataclass
class LiveServer:
    url: str
    app: object


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    database = tmp_path_factory.mktemp("live-db") / "podium.sqlite"
    app = make_test_app(f"sqlite:///{database}", tmp_path_factory, CELERY_TASK_ALWAYS_EAGER=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(autouse=True)
def _live_celery_is_current(request):
    """Celery's shared tasks run on the default Celery app; during a browser test it must be the live server's."""
    if "live_server" not in request.fixturenames:
        yield
        return
    from celery import _state

    previous = _state.default_app
    request.getfixturevalue("live_server").app.extensions["celery"].set_default()
    yield
    if previous is not None:
        previous.set_default()


@pytest.fixture(scope="session")
def speech_wav_for(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fake-mic")
    made: dict[tuple[str, float], Path] = {}

    def make(text: str, pad_seconds: float = 1.5) -> Path:
        if (text, pad_seconds) not in made:
            raw = espeak(text, folder / f"raw-{len(made)}.wav", speed=140)
            # Chromium's fake capture device is happiest with plain 16 kHz mono PCM.
            made[(text, pad_seconds)] = to_pcm16_wav(raw, folder / f"speech-{len(made)}.wav", pad_seconds=pad_seconds)
        return made[(text, pad_seconds)]

    return make


# A reading for the fake microphone ends in this much silence, and the tests stop in its middle: a recorder
# that starts up to half of it late (a busy machine) still has the whole passage, and Chromium has not
# looped back to the passage's start yet.
TRAILING_PAUSE_SECONDS = 3.0


def stop_in_trailing_pause(page, wav: Path, started: float) -> None:
    """Click Stop halfway through *wav*'s trailing pause; *started* is time.monotonic() at Start."""
    left = wav_seconds(wav) - TRAILING_PAUSE_SECONDS / 2 - (time.monotonic() - started)
    page.wait_for_timeout(max(0, int(left * 1000)))
    page.get_by_role("button", name="Stop").click()


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


@pytest.fixture(scope="session")
def chromium_for():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browsers: dict[str, object] = {}

    def launch(fake_audio: Path | None):
        key = str(fake_audio or "")
        if key not in browsers:
            args = CHROMIUM_ARGS + FAKE_MEDIA_ARGS
            if fake_audio is not None:
                args = args + [f"--use-file-for-fake-audio-capture={fake_audio}"]
            browsers[key] = playwright.chromium.launch(executable_path=find_program("chromium"), headless=True,
                                                       args=args)
        return browsers[key]

    yield launch
    for browser in browsers.values():
        browser.close()
    playwright.stop()


# Runs in every page before its own scripts: CSP violations are events, not exceptions.
REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.__podiumCspViolation({ page: location.href, directive: event.violatedDirective,
    blocked: event.blockedURI, source: event.sourceFile, line: event.lineNumber, sample: event.sample });
});
"""


class BrowserProblems:
    """What the pages of one test did wrong: CSP violations and uncaught errors, as readable lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.contexts: list = []

    def watch(self, context) -> None:
        self.contexts.append(context)
        context.expose_binding("__podiumCspViolation", lambda _source, v: self.lines.append(
            f"CSP violation on {v['page']}: {v['directive']} blocked {v['blocked'] or v['sample']!r}"
            f" ({v['source'] or 'inline'}:{v['line']})"))
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("page", self._watch_page)

    def _watch_page(self, page) -> None:
        page.on("pageerror", lambda error: self.lines.append(f"JS error on {page.url}: {error}"))

    def collect(self) -> list[str]:
        # A round trip to each open page delivers the events its browser sent before it.
        for context in self.contexts:
            for page in context.pages:
                try:
                    page.evaluate("0")
                except Exception:  # noqa: S110 - a page that is closing has nothing more to say
                    pass
        return self.lines


@pytest.fixture
def browser_problems():
    return BrowserProblems()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A browser test fails when any of its pages broke the CSP or threw, even if its own checks passed."""
    problems = item.funcargs.get("browser_problems")
    try:
        result = yield
    except BaseException:
        if problems is not None and problems.collect():  # listed beside the test's own failure
            item.add_report_section("call", "browser problems", "\n".join(problems.lines))
        raise
    if problems is not None and problems.collect():
        pytest.fail("The pages broke the CSP or threw JS errors:\n" + "\n".join(problems.lines), pytrace=False)
    return result


@pytest.fixture
def new_context(live_server, browser_problems):
    contexts = []

    def make(browser, viewport=None, **options):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, base_url=live_server.url,
                                      permissions=["microphone"], **options)
        context.set_default_timeout(20_000)
        browser_problems.watch(context)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(new_context):
    def make(browser, viewport=None, **options):
        return new_context(browser, viewport=viewport, **options).new_page()

    return make


@pytest.fixture
def live_worker(live_server, tmp_path):
    """Real Celery workers for the live server; its tasks go through the broker until the test ends."""
    from tests.jobs.conftest import WorkerHarness

    celery_app = live_server.app.extensions["celery"]
    harness = WorkerHarness(tmp_path, app=live_server.app)
    celery_app.conf.task_always_eager = False
    try:
        yield harness
    finally:
        celery_app.conf.task_always_eager = True
        harness.stop_all()


# For page.wait_for_function: a recorder's "N of N parts saved" line, i.e. every part is on the server.
ALL_PARTS_SAVED = "() => /^(\\d+) of \\1 parts saved/.test(document.getElementById('upload-state').textContent)"


def log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Username or email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def screenshot(page, name: str, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
