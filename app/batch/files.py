"""Unpacking a batch upload (many files or one zip) into the store, within firm limits.

Zip members are read by name only as a label: they are stored under generated
names under the batch's prefix, so a member called ``../../etc/passwd`` cannot
escape it. A zip is judged before a byte of it is decompressed: its end record
bounds how many entries it has and how big its file list is, and the sizes it
declares for its entries bound each recording, the references file and the
whole batch. The bytes are counted again while decompressing, so a zip that
lies about its sizes is stopped at the same limits, and a references file is
parsed as a stream, never held whole.
"""
from __future__ import annotations

import csv
import io
import json
import struct
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Iterable, Iterator, Mapping

from app.analysis.audio import allowed_file
from app.storage import Storage, keys

REFERENCE_FILES = {"references.csv", "references.txt"}
MSG_DAMAGED_MEMBER = "This file in the zip is damaged or encrypted, so we could not open it."
MSG_NOT_AUDIO = "This is not a sound file we can analyse (use WAV, MP3, M4A, FLAC, OGG or WebM)."
MSG_DAMAGED_ZIP = "That zip file is damaged or not a zip file."
CHUNK = 1024 * 1024
# The zip end record: signature, disk numbers, entry counts, file list size and offset, comment length.
END_RECORD = struct.Struct("<4s4H2LH")
END_SIGNATURE = b"PK\x05\x06"
MAX_COMMENT = 65535
# A file list entry is 46 bytes plus its name and extras; this allows long names and every extra a zip tool adds.
FILE_LIST_BYTES_PER_ENTRY = 1024
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
    max_file_bytes: int
    max_reference_bytes: int
    max_zip_entries: int
    used_bytes: int = 0
    files: int = 0

    @classmethod
    def from_config(cls, config: Mapping) -> _Budget:
        return cls(config["BATCH_MAX_FILES"], config["BATCH_MAX_BYTES"], config["ANALYSIS_MAX_BYTES"],
                   config["BATCH_REFERENCES_MAX_BYTES"], config["BATCH_MAX_ZIP_ENTRIES"])

    def add_file(self) -> None:
        self.files += 1
        if self.files > self.max_files:
            raise BatchInputError(f"A batch can hold at most {self.max_files} files.", status=413)

    def add_bytes(self, n: int) -> None:
        self.used_bytes += n
        if self.used_bytes > self.max_bytes:
            raise BatchInputError(f"This batch is over the {_mb(self.max_bytes)} MB limit.", status=413)

    def check_file(self, name: str, size: int) -> None:
        limit = self.max_reference_bytes if _is_references(name) else self.max_file_bytes
        if size > limit:
            raise BatchInputError(f"{name} is over the {_mb(limit)} MB limit for one file.", status=413)


@dataclass
class _Target:
    store: Storage
    job_id: str


def unpack_uploads(uploads: Iterable[tuple[str, IO[bytes]]], store: Storage, job_id: str,
                   config: Mapping) -> Unpacked:
    """Store every audio file of the upload under the batch's prefix; all of it is removed again on any error."""
    budget = _Budget.from_config(config)
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
    stream = _seekable(stream)
    _check_end_record(stream, budget)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BatchInputError(MSG_DAMAGED_ZIP) from None
    with archive:
        members = archive.infolist()
        _check_declared_sizes(members, budget)
        for member in members:
            name = PurePosixPath(member.filename).name
            if member.is_dir() or not name or _is_clutter(member.filename):
                continue
            try:
                with archive.open(member) as source:
                    _take(name, source, target, unpacked, budget)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError):
                unpacked.rejected.append((name, MSG_DAMAGED_MEMBER))


def _check_end_record(stream: IO[bytes], budget: _Budget) -> None:
    """Refuse a zip with too many entries, or a file list too big to read, from its last few bytes."""
    size = stream.seek(0, io.SEEK_END)
    tail_size = min(size, END_RECORD.size + MAX_COMMENT)
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    stream.seek(0)
    at = tail.rfind(END_SIGNATURE)
    if at < 0 or len(tail) - at < END_RECORD.size:
        raise BatchInputError(MSG_DAMAGED_ZIP)
    *_, entries, list_bytes, _offset, _comment = END_RECORD.unpack_from(tail, at)
    # 0xFFFF / 0xFFFFFFFF mean "see the zip64 record": only zips far beyond any batch limit need one.
    if entries > budget.max_zip_entries or list_bytes > budget.max_zip_entries * FILE_LIST_BYTES_PER_ENTRY:
        raise _too_many_entries(budget)


def _check_declared_sizes(members: list[zipfile.ZipInfo], budget: _Budget) -> None:
    """Every entry counts, folders and clutter too; what the entries say they unzip to must fit the limits."""
    if len(members) > budget.max_zip_entries:
        raise _too_many_entries(budget)
    total = 0
    for member in members:
        name = PurePosixPath(member.filename).name
        if member.is_dir() or not name or _is_clutter(member.filename):
            continue
        budget.check_file(name, member.file_size)
        total += member.file_size
    if budget.used_bytes + total > budget.max_bytes:
        raise BatchInputError(f"This batch is over the {_mb(budget.max_bytes)} MB limit.", status=413)


def _too_many_entries(budget: _Budget) -> BatchInputError:
    return BatchInputError(f"A zip can hold at most {budget.max_zip_entries} entries, folders included.",
                           status=413)


def _take(filename: str, source: IO[bytes], target: _Target, unpacked: Unpacked, budget: _Budget) -> None:
    name = PurePosixPath(filename.replace("\\", "/")).name[:255]
    if _is_references(name):
        counted = _Counted(source, name, budget, budget.max_reference_bytes)
        unpacked.references.update(parse_references(name, io.BufferedReader(counted)))
        return
    budget.add_file()
    if not allowed_file(name):
        unpacked.rejected.append((name, MSG_NOT_AUDIO))
        return
    key = keys.batch_file(target.job_id, f"{len(unpacked.audio) + len(unpacked.rejected) + 1:04d}"
                                         f"{Path(name).suffix.lower()}")
    counted = _Counted(source, name, budget, budget.max_file_bytes)
    # Counted into a spool first, so a file past the budget is refused before any of it is stored.
    with tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES) as spool:
        while chunk := counted.read(CHUNK):
            spool.write(chunk)
        spool.seek(0)
        target.store.write(key, spool)
    unpacked.audio.append((name, key))


class _Counted(io.RawIOBase):
    """A file being unpacked: its bytes count toward the batch, and past *limit* it is refused."""

    def __init__(self, source: IO[bytes], name: str, budget: _Budget, limit: int) -> None:
        self._source, self._name, self._budget, self._limit, self._read = source, name, budget, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._source.read(min(len(buffer), self._limit + 1 - self._read))
        self._read += len(data)
        self._budget.check_file(self._name, self._read)
        self._budget.add_bytes(len(data))
        buffer[: len(data)] = data
        return len(data)


def _seekable(stream: IO[bytes]) -> IO[bytes]:
    try:
        stream.seek(0)
        return stream
    except (AttributeError, OSError, io.UnsupportedOperation):
        return io.BytesIO(stream.read())


def _is_references(name: str) -> bool:
    return name.lower() in REFERENCE_FILES


def _is_clutter(path: str) -> bool:
    # Folders and files that zip tools on macOS and Windows add without asking.
    parts = path.split("/")
    return "__MACOSX" in parts or parts[-1].startswith("._") or parts[-1] in {".DS_Store", "Thumbs.db"}


def _mb(n: int) -> int:
    return n // (1024 * 1024)


def parse_references(name: str, stream: IO[bytes]) -> dict[str, str]:
    """``filename,text`` rows (references.csv) or ``filename<TAB>text`` lines (references.txt), read as a stream."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    try:
        pairs = dict(_csv_pairs(text) if name.lower().endswith(".csv") else _tab_pairs(text))
    except csv.Error:
        raise BatchInputError(f"{name} could not be read as filename,text rows.") from None
    finally:
        text.detach()
    return pairs


def _csv_pairs(text: IO[str]) -> Iterator[tuple[str, str]]:
    for number, row in enumerate(csv.reader(text)):
        if len(row) < 2 or (number == 0 and row[0].strip().lower() in {"filename", "file"}):
            continue
        if row[0].strip() and row[1].strip():
            yield row[0].strip(), row[1].strip()


def _tab_pairs(text: IO[str]) -> Iterator[tuple[str, str]]:
    for line in text:
        key, tab, value = line.partition("\t")
        if tab and key.strip() and value.strip():
            yield key.strip(), value.strip()


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
