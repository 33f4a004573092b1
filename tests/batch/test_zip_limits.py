"""Zips are judged before they are unpacked: a zip bomb is refused within a second, with the web process
growing by less than 50 MB, and every entry of a zip counts toward its limits."""
from __future__ import annotations

import io
import threading
import time
import zipfile

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models import BatchJob, PracticeSession
from app.storage import storage

from ..conftest import login_as
from ..factories import make_teacher, speech_wav
from .helpers import GOOD_SPEECH

MB = 1024 * 1024
PAGE_BYTES = 4096


def _deflated(members: dict[str, tuple[bytes, int]]) -> bytes:
    """A zip whose members are *block* repeated to *size* bytes, compressed as they are written."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, (block, size) in members.items():
            with archive.open(name, "w") as out:
                for _ in range(size // len(block)):
                    out.write(block)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    line = b"a.wav,The quick brown fox jumps over the lazy dog.\n" * 1024
    return {
        # The attack of issue 18: a references file that unzips to 100 MB, parsed whole in memory.
        "references": _deflated({"references.csv": (line, 100 * MB), "a.wav": (b"\0" * MB, MB)}),
        # One "recording" of 200 MB of silence.
        "recording": _deflated({"speech.wav": (b"\0" * MB, 200 * MB)}),
        # Many recordings each under the one-file limit that together pass the batch limit.
        "many": _deflated({f"take{n:02d}.wav": (b"\0" * MB, 45 * MB) for n in range(12)}),
    }


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_BYTES


class PeakRss:
    """The highest resident size of this process while the block runs, sampled every millisecond."""

    def __enter__(self) -> PeakRss:
        self.before = self.peak = _rss_bytes()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._done.wait(0.001):
            self.peak = max(self.peak, _rss_bytes())

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())

    @property
    def growth(self) -> int:
        return self.peak - self.before


@pytest.fixture
def teacher_browser(app, browser):
    with app.app_context():
        teacher = make_teacher()
    login_as(browser.client, teacher)
    browser.get("/batch")
    return browser


def _post_zip(browser, archive: bytes, kind: str = "pronunciation"):
    # Encoded here, not by the test client, which spools big bodies to a file it leaves open on a refusal.
    boundary, body = encode_multipart({"kind": kind, "files": FileStorage(io.BytesIO(archive), "class.zip")})
    return browser.client.post("/api/analyze-batch/start", data=body,
                               content_type=f"multipart/form-data; boundary={boundary}",
                               headers={"X-CSRFToken": browser._ensure_token()})


def _stored_batches(app) -> list[str]:
    with app.app_context():
        return [item.key for item in storage().list("batches")]


def _nothing_saved(app, stored_before: list[str]) -> None:
    assert _stored_batches(app) == stored_before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BatchJob)) == 0
        assert db.session.scalar(select(func.count()).select_from(PracticeSession)) == 0



@pytest.mark.parametrize("bomb, words", [
    ("references", "references.csv is over the 1 MB limit"),
    ("recording", "speech.wav is over the 50 MB limit"),
    ("many", "over the 500 MB limit"),
])
def test_a_zip_bomb_is_refused_within_a_second_in_little_memory(app, teacher_browser, bombs, bomb, words):
    archive = bombs[bomb]
    assert len(archive) < 2 * MB
    # A first refusal loads what any request needs (imports, pools, caches), so only the bomb is measured.
    assert _post_zip(teacher_browser, b"PK but not a zip").status_code == 400
    stored_before = _stored_batches(app)
    with PeakRss() as rss:
        began = time.perf_counter()
        response = _post_zip(teacher_browser, archive)
        elapsed = time.perf_counter() - began
    assert response.status_code == 413 and words in response.json["message"]
    assert elapsed < 1.0, f"refused after {elapsed:.2f} s"
    assert rss.growth < 50 * MB, f"the process grew by {rss.growth / MB:.0f} MB"
    _nothing_saved(app, stored_before)


def test_every_entry_counts_folders_and_mac_clutter_included(app, teacher_browser, monkeypatch):
    monkeypatch.setitem(app.config, "BATCH_MAX_ZIP_ENTRIES", 20)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("take.wav", speech_wav(GOOD_SPEECH).read_bytes())
        for n in range(20):
            archive.writestr(f"__MACOSX/folder{n}/", b"")
    stored_before = _stored_batches(app)
    response = _post_zip(teacher_browser, buffer.getvalue(), kind="impromptu")
    assert response.status_code == 413 and "at most 20 entries, folders included" in response.json["message"]
    _nothing_saved(app, stored_before)


def test_a_zip_that_understates_its_sizes_is_still_stopped_at_the_limit(app, monkeypatch):
    """Sizes are counted while unzipping too, so an entry whose header lies cannot pass the limits."""
    from app.batch.files import BatchInputError, Unpacked, _Budget, _take, _Target

    monkeypatch.setitem(app.config, "BATCH_REFERENCES_MAX_BYTES", 1000)
    budget = _Budget.from_config(app.config)
    with pytest.raises(BatchInputError) as refused:
        _take("references.txt", io.BytesIO(b"a.wav\tword\n" * 1000), _Target(None, "never-stored"), Unpacked(),
              budget)
    assert refused.value.status == 413 and budget.used_bytes <= 1001
