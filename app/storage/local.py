"""The embedded default: objects are files under one folder on this machine."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Iterator

from .base import COPY_CHUNK_BYTES, ObjectMissing, StorageError, StoredObject, check_key, check_prefix

# Written by this store while an object is on its way in; never listed, never read.
PARTIAL_SUFFIX = ".partial"


class LocalStorage:
    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root).resolve()
        self.name = f"local folder {self.root}"

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def write(self, key: str, data: bytes | BinaryIO) -> int:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=PARTIAL_SUFFIX)
        try:
            with os.fdopen(fd, "wb") as out:
                written = _copy(data, out)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return written

    @contextmanager
    def open(self, key: str) -> Iterator[BinaryIO]:
        try:
            handle = open(self._path(key), "rb")  # noqa: SIM115 - closed by the context manager below
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise ObjectMissing(key) from exc
        with handle:
            yield handle

    def iter_range(self, key: str, start: int, end: int) -> Iterator[bytes]:
        with self.open(key) as handle:
            handle.seek(start)
            left = end - start + 1
            while left > 0 and (chunk := handle.read(min(COPY_CHUNK_BYTES, left))):
                left -= len(chunk)
                yield chunk

    def size(self, key: str) -> int | None:
        path = self._path(key)
        return path.stat().st_size if path.is_file() else None

    def delete(self, key: str) -> bool:
        path = self._path(key)
        if not path.is_file():
            return False
        path.unlink(missing_ok=True)
        _prune_empty_folders(path.parent, self.root)
        return True

    def delete_prefix(self, prefix: str) -> int:
        items = list(self.list(prefix))
        for item in items:
            self._path(item.key).unlink(missing_ok=True)
        folder = self.root / check_prefix(prefix)
        if prefix and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            _prune_empty_folders(folder.parent, self.root)
        return len(items)

    def list(self, prefix: str = "") -> Iterator[StoredObject]:
        folder = self.root / check_prefix(prefix)
        if not folder.is_dir():
            return
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(PARTIAL_SUFFIX)):
            stat = path.stat()
            yield StoredObject(path.relative_to(self.root).as_posix(), stat.st_size,
                               datetime.fromtimestamp(stat.st_mtime, timezone.utc))

    @contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        path = self._path(key)
        if not path.is_file():
            raise ObjectMissing(key)
        yield path

    def free_bytes(self) -> int:
        """Free space on the disk that holds the store (the upload guard reads it; buckets have none to read)."""
        folder = self.root
        while not folder.exists():  # the store's folder is made on its first write
            folder = folder.parent
        return shutil.disk_usage(folder).free

    def ping(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            probe = tempfile.NamedTemporaryFile(dir=self.root, prefix=".ready-", delete=True)  # noqa: SIM115
            probe.close()
        except OSError as exc:
            raise StorageError(f"cannot write to {self.root}: {exc}") from exc


def _copy(data: bytes | BinaryIO, out: BinaryIO) -> int:
    if isinstance(data, (bytes, bytearray, memoryview)):
        out.write(data)
        return len(data)
    written = 0
    while chunk := data.read(COPY_CHUNK_BYTES):
        out.write(chunk)
        written += len(chunk)
    return written


def _prune_empty_folders(folder: Path, root: Path) -> None:
    # Empty session folders would pile up by the thousand; stop at the store's root.
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
