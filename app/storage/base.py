"""What every storage back end offers: objects under slash-separated keys, written whole and atomically.

Keys are relative paths made by Podium itself (``sessions/12/recording.webm``); they are
checked here so no key can reach outside the store, whichever back end holds it.
"""
from __future__ import annotations

import re
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Iterator, Protocol

KEY_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
COPY_CHUNK_BYTES = 1024 * 1024


class StorageError(Exception):
    """The store could not be reached or refused the operation."""


class ObjectMissing(StorageError, FileNotFoundError):
    """No object is stored under that key."""


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    modified_at: datetime


def check_key(key: str) -> str:
    """*key* itself when every part is a plain name (no '..', no absolute path, no odd characters)."""
    parts = key.split("/")
    if not parts or not all(KEY_PART.match(part) and part not in (".", "..") for part in parts):
        raise ValueError(f"not a storage key: {key!r}")
    return key


def check_prefix(prefix: str) -> str:
    """A prefix is a key of folders, with or without its trailing slash; '' means everything."""
    stripped = prefix.rstrip("/")
    return "" if not stripped else check_key(stripped) + "/"


class Storage(Protocol):
    """The one way Podium reads and writes recordings (uploads, parts, playback copies, batch files)."""

    name: str

    def write(self, key: str, data: bytes | BinaryIO) -> int:
        """Store *data* (bytes or a readable stream) under *key*, replacing any object there; returns bytes written.

        Readers never see a half-written object."""

    def open(self, key: str) -> AbstractContextManager[BinaryIO]:
        """A readable stream of the object; raises ObjectMissing."""

    def iter_range(self, key: str, start: int, end: int) -> Iterator[bytes]:
        """Bytes *start* to *end* inclusive (as an HTTP range names them), in chunks; raises ObjectMissing."""

    def size(self, key: str) -> int | None:
        """The object's size in bytes, None when there is none."""

    def delete(self, key: str) -> bool:
        """Remove the object; True when there was one."""

    def delete_prefix(self, prefix: str) -> int:
        """Remove every object under *prefix*; returns how many went."""

    def list(self, prefix: str = "") -> Iterator[StoredObject]:
        """Every object under *prefix*, in key order."""

    def local_path(self, key: str) -> AbstractContextManager[Path]:
        """A file on this machine holding the object for the duration of the block (decoders need a path)."""

    def ping(self) -> None:
        """Raise StorageError unless the store answers (the /ready check)."""


def exists(storage: Storage, key: str) -> bool:
    return storage.size(key) is not None


def total_bytes(storage: Storage, prefix: str) -> int:
    return sum(item.size for item in storage.list(prefix))


def read_bytes(storage: Storage, key: str) -> bytes:
    with storage.open(key) as handle:
        return handle.read()
