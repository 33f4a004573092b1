"""Building batch uploads for the tests."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.factories import GOOD_SPEECH

# GOOD_SPEECH is short enough that two clips stay under the 500 KB where Werkzeug's test client
# switches to an (unclosed) temporary file for the request body.
__all__ = ["GOOD_SPEECH", "start", "upload", "zip_of"]


def zip_of(members: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def upload(path: Path, name: str | None = None) -> tuple[io.BytesIO, str]:
    return io.BytesIO(path.read_bytes()), name or path.name


def start(browser, data: dict, **kwargs):
    """POST a batch as the page's script does (multipart, CSRF header from the batch page)."""
    if browser.csrf_token is None:
        browser.get("/batch")
    return browser.client.post(
        "/api/analyze-batch/start", data=data, content_type="multipart/form-data",
        headers={"X-CSRFToken": browser._ensure_token()}, **kwargs,
    )
