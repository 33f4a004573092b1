"""Reading `POST /api/analyze-chunked`: a whole file, or one part of a recording."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Request

from app.practice.recorder import UPLOAD_ID_PATTERN
from app.practice.uploads import UploadError, check_file_name, max_bytes, too_large

TRUE, FALSE = {"1", "true", "yes", "on"}, {"", "0", "false", "no", "off"}


@dataclass
class ChunkedUpload:
    upload_id: str | None  # None: a whole file in one request
    part: int
    final: bool
    data: bytes | None  # None: "final" with nothing new, i.e. submit what arrived
    topic_id: int | None
    prompt_key: str | None
    # A reading names its passage as /api/pronunciation does: a reading topic (topic_id), a library
    # passage, or the student's own text and title. Used by the request that opens the session.
    passage_id: str | None = None
    reference_text: str | None = None
    title: str | None = None

    @property
    def names_a_passage(self) -> bool:
        return self.passage_id is not None or self.reference_text is not None


def parse_upload(request: Request) -> ChunkedUpload:
    form = request.form
    upload_id = (form.get("upload_id") or "").strip() or None
    if upload_id is not None and not UPLOAD_ID_PATTERN.match(upload_id):
        raise UploadError(400, "upload_id must be 8 to 48 letters, digits, '-' or '_'.", "invalid_upload_id")
    part = _int_field(form.get("part"), "part", default=0)
    final = _bool_field(form.get("final"), default=upload_id is None)
    data = _read_audio(request)
    if upload_id is None and (data is None or part != 0):
        raise UploadError(400, "Send the recording as the 'audio' file field.", "no_audio")
    if data is None and not final:
        raise UploadError(400, "Send this part of the recording as the 'audio' file field.", "no_audio")
    return ChunkedUpload(upload_id, part, final, data, _int_field(form.get("topic_id"), "topic_id"),
                         (form.get("prompt_key") or "").strip() or None,
                         passage_id=(form.get("passage_id") or "").strip() or None,
                         reference_text=form.get("reference_text"), title=form.get("title"))


def _read_audio(request: Request) -> bytes | None:
    file = request.files.get("audio")
    if file is None:
        return None
    check_file_name(file.filename)
    data = file.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise too_large()
    return data


def _int_field(value: str | None, name: str, default: int | None = None) -> int | None:
    if value is None or not value.strip():
        return default
    # Bounded so a silly number is a 400 here, not a database overflow later.
    if not value.strip().isdigit() or len(value.strip()) > 9:
        raise UploadError(400, f"'{name}' must be a whole number.", f"invalid_{name}")
    return int(value)


def _bool_field(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered not in TRUE | FALSE:
        raise UploadError(400, "'final' must be true or false.", "invalid_final")
    return lowered in TRUE
