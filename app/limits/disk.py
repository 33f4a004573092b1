"""New uploads are refused while the disk that holds the recordings (and the request's spooled body) is nearly
full: before a byte is read, so no half-written file is ever left."""
from __future__ import annotations

import shutil
import tempfile

from flask import current_app

from app.storage import storage

from .errors import LimitReached

DISK_RETRY_SECONDS = 600


def check_free_space(incoming: int) -> None:
    """LimitReached (507) unless *incoming* bytes fit and UPLOAD_MIN_FREE_BYTES stay free."""
    free = free_bytes()
    if free - incoming >= current_app.config["UPLOAD_MIN_FREE_BYTES"]:
        return
    current_app.logger.warning("upload refused: %d bytes free, %d incoming", free, incoming)
    raise LimitReached("Podium's storage is nearly full, so it can't take new recordings right now. Nothing was "
                       "saved: try again in 10 minutes, and tell your teacher if this keeps happening.",
                       DISK_RETRY_SECONDS, code="disk_full", status=507)


def free_bytes() -> int:
    """The least free space of the store's disk (a local store) and the one request bodies are spooled to."""
    spool = shutil.disk_usage(tempfile.gettempdir()).free
    store_free = getattr(storage(), "free_bytes", None)
    return min(spool, store_free()) if store_free is not None else spool
