"""Unpacking a batch upload (many files or one zip) into the store, within firm limits.

Zip members are read by name only as a label: they are stored under generated
names under the batch's prefix, so a member called ``../../etc/passwd`` cannot
escape it, and the total size is counted while decompressing, so a zip bomb is
stopped at the limit instead of filling the disk.
"""
from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Iterable, Mapping

from app.analysis.audio import allowed_file
from app.storage import Storage, keys

REFERENCE_FILES = {"references.csv", "references.txt"}
MSG_DAMAGED_MEMBER = "This file in the zip is damaged or encrypted, so we could not open it."
MSG_NOT_AUDIO = "This is not a sound file we can analyse (use WAV, MP3, M4A, FLAC, OGG or WebM)."
CHUNK = 1024 * 1024
IN_MEMORY_BYTES = 8 * 1024 * 1024  # a file bigger than this is counted into a temporary file before storing


class BatchInputError(Exception):
    """The upload as a whole cannot be used; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, *, status: int = 400, field: str = "files") -> None:
        super().__init__(message)
        self.message, self.status, self.field = message, status, field


@dataclass
class Unpacked:
    """Audio files stored under the batch's prefix (name, key), in upload order, and any reference
    texts found beside them."""

    audio: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (filename, why)
    references: dict[str, str] = field(default_factory=dict)


@dataclass
class _Budget:
    max_files: int
    max_bytes: int
    used_bytes: int = 0
    files: int = 0

    def add_file(self) -> None:
        self.files += 1
        if self.files > self.max_files:
            raise BatchInputError(f"A batch can hold at most {self.max_files} files.", status=413)

    def add_bytes(self, n: int) -> None:
        self.used_bytes += n
        if self.used_bytes > self.max_bytes:
            raise BatchInputError(f"This batch is over the {self.max_bytes // (1024 * 1024)} MB limit.", status=413)


@dataclass
class _Target:
    store: Storage
    job_id: str


def unpack_uploads(uploads: Iterable[tuple[str, IO[bytes]]], store: Storage, job_id: str,
                   config: Mapping) -> Unpacked:
    """Store every audio file of the upload under the batch's prefix; all of it is removed again on any error."""
    budget = _Budget(config["BATCH_MAX_FILES"], config["BATCH_MAX_BYTES"])
    unpacked = Unpacked()
    target = _Target(store, job_id)
    try:
        for filename, stream in uploads:
            if filename.lower().endswith(".zip"):
                _unpack_zip(stream, target, unpacked, budget)
            else:
                _take(filename, stream, target, unpacked, budget)
    except BaseException:
        store.delete_prefix(keys.batch_prefix(job_id))
        raise
    return unpacked


def _unpack_zip(stream: IO[bytes], target: _Target, unpacked: Unpacked, budget: _Budget) -> None:
    try:
        archive = zipfile.ZipFile(_seekable(stream))
    except (zipfile.BadZipFile, OSError):
        raise BatchInputError("That zip file is damaged or not a zip file.") from None
    with archive:
        for member in archive.infolist():
            name = PurePosixPath(member.filename).name
            if member.is_dir() or not name or _is_clutter(member.filename):
                continue
            try:
                with archive.open(member) as source:
                    _take(name, source, target, unpacked, budget)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError):
                unpacked.rejected.append((name, MSG_DAMAGED_MEMBER))


def _take(filename: str, source: IO[bytes], target: _Target, unpacked: Unpacked, budget: _Budget) -> None:
    name = PurePosixPath(filename.replace("\\", "/")).name[:255]
    if name.lower() in REFERENCE_FILES:
        unpacked.references.update(parse_references(name, _read_limited(source, budget)))
        return
    budget.add_file()
    if not allowed_file(name):
        unpacked.rejected.append((name, MSG_NOT_AUDIO))
        return
    key = keys.batch_file(target.job_id, f"{len(unpacked.audio) + len(unpacked.rejected) + 1:04d}"
                                         f"{Path(name).suffix.lower()}")
    # Counted into a spool first, so a file past the budget is refused before any of it is stored.
    with tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES) as spool:
        while chunk := source.read(CHUNK):
            budget.add_bytes(len(chunk))
            spool.write(chunk)
        spool.seek(0)
        target.store.write(key, spool)
    unpacked.audio.append((name, key))


def _read_limited(source: IO[bytes], budget: _Budget) -> bytes:
    data = source.read(budget.max_bytes - budget.used_bytes + 1)
    budget.add_bytes(len(data))
    return data


def _seekable(stream: IO[bytes]) -> IO[bytes]:
    try:
        stream.seek(0)
        return stream
    except (AttributeError, OSError, io.UnsupportedOperation):
        return io.BytesIO(stream.read())


def _is_clutter(path: str) -> bool:
    # Folders and files that zip tools on macOS and Windows add without asking.
    parts = path.split("/")
    return "__MACOSX" in parts or parts[-1].startswith("._") or parts[-1] in {".DS_Store", "Thumbs.db"}


def parse_references(name: str, data: bytes) -> dict[str, str]:
    """``filename,text`` rows (references.csv) or ``filename<TAB>text`` lines (references.txt)."""
    text = data.decode("utf-8-sig", errors="replace")
    if name.lower().endswith(".csv"):
        rows = [row for row in csv.reader(io.StringIO(text)) if len(row) >= 2]
        if rows and rows[0][0].strip().lower() in {"filename", "file"}:
            rows = rows[1:]
        pairs = [(row[0], row[1]) for row in rows]
    else:
        pairs = [tuple(line.split("\t", 1)) for line in text.splitlines() if "\t" in line]
    return {key.strip(): value.strip() for key, value in pairs if key.strip() and value.strip()}


def parse_json_mapping(raw: str | None, field_name: str) -> dict[str, str]:
    """A form field holding a JSON object of filename -> text; a clear 400 for anything else."""
    if not raw or not raw.strip():
        return {}
    try:
        mapping = json.loads(raw)
    except ValueError:
        raise BatchInputError(f"{field_name} must be a JSON object of file name to text.", field=field_name) from None
    if not isinstance(mapping, dict) or not all(isinstance(v, (str, int)) for v in mapping.values()):
        raise BatchInputError(f"{field_name} must be a JSON object of file name to text.", field=field_name)
    return {str(k).strip(): str(v).strip() for k, v in mapping.items()}


def lookup(mapping: Mapping[str, str], filename: str) -> str | None:
    """The entry for *filename*, matched on the full name or the name without extension, ignoring case."""
    wanted = {filename.lower(), Path(filename).stem.lower()}
    for key, value in mapping.items():
        if key.lower() in wanted or Path(key).stem.lower() in wanted:
            return value
    return None
