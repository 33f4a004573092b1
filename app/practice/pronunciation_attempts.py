"""Read-aloud attempts: what the student reads, and turning an upload into a submitted session.

Everything is checked before a row is written, so refused input leaves nothing half-saved.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from app.analysis import passages
from app.analysis.audio import MSG_UNSUPPORTED, sniff_format
from app.analysis.errors import AnalysisError
from app.analysis.pronunciation import validate_reference
from app.classes.queries import open_topics_for_student, topic_for_student_or_none, topic_takes_recordings
from app.models import PracticeSession, SessionKind, Topic, User

from .recordings import store_recording
from .states import start_session, submit_session
from .uploads import MIME_BY_FORMAT, UploadError, check_file_name, max_bytes, too_large

# The engine counts words (MAX_REFERENCE_WORDS there); this caps what we normalise before asking it.
MAX_REFERENCE_CHARS = 5000
MAX_TITLE_CHARS = 200


class AttemptError(Exception):
    """Input we refuse, tied to the field it came from; ``message`` is written for the student."""

    def __init__(self, field: str, message: str, status: int = 400, code: str = "invalid") -> None:
        super().__init__(message)
        self.field, self.message, self.status, self.code = field, message, status, code


@dataclass(frozen=True)
class Reference:
    """The passage of one attempt: the teacher's topic, a library passage or the student's own text."""

    title: str
    text: str
    topic: Topic | None = None


def check_reference_text(text: str | None) -> str:
    """The text stripped, or AttemptError when it is empty, wordless or too long to read in one go."""
    text = (text or "").strip()
    if not text:
        raise AttemptError("reference_text", "Choose a passage, or type the text you will read.")
    if len(text) > MAX_REFERENCE_CHARS:
        raise AttemptError("reference_text", f"That text is too long to read in one go ({len(text.split())} words). "
                                             "Please read it in parts.")
    try:
        validate_reference(text)  # the engine's own rules: words it can score, not too many of them
    except AnalysisError as exc:
        raise AttemptError("reference_text", exc.message, 400, exc.code) from exc
    return text


def choose_reference(
    student: User, *, topic_id: int | None = None, passage_id: str | None = None,
    text: str | None = None, title: str | None = None,
) -> Reference:
    """The teacher's topic or the library passage when one is named (its text wins), else the given text."""
    if topic_id is not None:
        topic = topic_for_student_or_none(student, topic_id)
        if topic is None or topic.kind != SessionKind.PRONUNCIATION.value or not topic_takes_recordings(topic):
            raise AttemptError("topic_id", "That passage isn't open for your class.")
        return Reference(topic.title, check_reference_text(topic.prompt), topic)
    if passage_id:
        passage = library_passage(passage_id)
        if passage is None:
            raise AttemptError("passage_id", "We don't have that passage in the library.")
        return Reference(passage.title, check_reference_text(passage.text))
    name = (title or "").strip()[:MAX_TITLE_CHARS] or "My own text"
    return Reference(name, check_reference_text(text))


def library_levels() -> list[tuple[str, str]]:
    """(level, label) of the built-in library, easiest first; levels travel as strings in URLs."""
    return [(str(level), label) for level, label in sorted(passages.LEVELS.items())]


def library_passages(level: str) -> list[passages.Passage]:
    return passages.passages_for_level(int(level)) if str(level).isdigit() else []


def library_passage(passage_id: str) -> passages.Passage | None:
    return passages.get_passage(passage_id)


def read_audio(upload, filename: str | None = None) -> tuple[bytes, str]:
    """The uploaded bytes and their container ("webm", "wav"...), or AttemptError for a missing,
    empty, oversized or unreadable file. The bytes decide the type, not the name."""
    if upload is None:
        raise AttemptError("audio", "Record yourself reading, or choose a sound file.")
    try:
        check_file_name(filename)
        data = _read_capped(upload)
    except UploadError as exc:
        raise AttemptError("audio", exc.message, exc.status, exc.code) from exc
    if not data:
        raise AttemptError("audio", "The recording was empty. Please record again.")
    kind = sniff_format(data[:64])
    if kind is None:
        raise AttemptError("audio", MSG_UNSUPPORTED, 415, "unsupported_format")
    return data, kind


def _read_capped(stream: IO[bytes]) -> bytes:
    limit = max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_large()
    return data


def open_attempt(student: User, reference: Reference) -> PracticeSession:
    """Open an `in_progress` reading of *reference*; its recording comes next, whole or in parts."""
    session = start_session(
        student, SessionKind.PRONUNCIATION.value, topic=reference.topic,
        title=reference.title, prompt=reference.text, planned_seconds=0,
    )
    if reference.topic is not None:
        session.prompt_text = reference.text  # the stripped text is what gets scored
    return session


def start_attempt(student: User, reference: Reference, audio: bytes, kind: str) -> PracticeSession:
    """Open a pronunciation session, store its recording and mark it submitted.

    The caller commits and then enqueues the analysis.
    """
    session = open_attempt(student, reference)
    submit_session(session, store_recording(session, audio, f"reading.{kind}"), MIME_BY_FORMAT.get(kind))
    return session


@dataclass(frozen=True)
class Selection:
    """The passage shown on the practice page, and the form fields that name it."""

    title: str
    text: str
    source: str  # "teacher", "library", "again" (a past reading) or "own" (text the student sent)
    topic_id: int | None = None
    passage_id: str | None = None
    level: str | None = None


def practice_choices(student: User, args, *, own_session) -> dict:
    """What the practice page offers: the class's passages, the library at one level, and the chosen one.

    *args* is the query string (topic, passage, level, again); *own_session* fetches one of the
    student's readings by id, or None, so "read it again" never shows someone else's text.
    """
    topics = open_topics_for_student(student, kind=SessionKind.PRONUNCIATION.value)
    levels = library_levels()
    level = args.get("level") if args.get("level") in {key for key, _ in levels} else None
    selected = _selected(args, topics, own_session)
    if level is None:
        level = selected.level if selected and selected.level else (levels[0][0] if levels else None)
    shelf = library_passages(level) if level else []
    if selected is None:
        selected = _from_topic(topics[0]) if topics else (_from_passage(shelf[0]) if shelf else None)
    return {"topics": topics, "levels": levels, "level": level, "passages": shelf, "selected": selected}


def _selected(args, topics: list[Topic], own_session) -> Selection | None:
    topic_id = _as_int(args.get("topic") or args.get("topic_id"))
    if topic_id is not None:
        return next((_from_topic(t) for t in topics if t.id == topic_id), None)
    passage_id = args.get("passage") or args.get("passage_id")
    if passage_id:
        passage = library_passage(passage_id)
        return _from_passage(passage) if passage else None
    again_id = _as_int(args.get("again"))
    session = own_session(again_id) if again_id is not None else None
    if session is not None:
        return Selection(session.prompt_title, session.prompt_text, "again")
    text = (args.get("reference_text") or "").strip()
    if text:  # a refused upload of the student's own text: show it again with the error
        return Selection((args.get("title") or "").strip()[:MAX_TITLE_CHARS] or "My own text", text, "own")
    return None


def _from_topic(topic: Topic) -> Selection:
    return Selection(topic.title, topic.prompt, "teacher", topic_id=topic.id)


def _from_passage(passage) -> Selection:
    return Selection(passage.title, passage.text, "library", passage_id=passage.id, level=str(passage.level))


def _as_int(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None
