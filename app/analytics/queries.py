"""The few queries a class summary needs: the enrolled students, this period's sessions, last period's sums.

Headline figures come from columns; from the report JSON only the small parts
the summary reads are extracted by the database (metrics, curriculum, the
structure score, pronunciation words), never the whole report with its word list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Text, case, cast, column, func, select, true

from app.extensions import db
from app.models import CurriculumGoal, Enrolment, PracticeSession, SessionKind, User
from app.practice.figures import counted_in
from app.practice.visibility import class_sessions

from .periods import Period

P = PracticeSession
# Columns whose previous-period means feed the trends; names match SessionRow attributes.
TREND_COLUMNS = ("overall_score", "words_per_minute", "fillers_per_minute", "pron_score", "accuracy_score")


@dataclass(frozen=True)
class Student:
    id: int
    name: str
    email: str


@dataclass
class SessionRow:
    id: int
    student_id: int
    kind: str
    started_at: Any
    audio_seconds: float | None
    overall_score: float | None
    fluency_score: float | None
    vocabulary_score: float | None
    grammar_score: float | None
    relevance_score: float | None
    words_per_minute: float | None
    fillers_per_minute: float | None
    accuracy_score: float | None
    pron_fluency_score: float | None
    completeness_score: float | None
    prosody_score: float | None
    pron_score: float | None
    override_score: float | None
    headline: float | None  # PracticeSession.headline_score
    transcript: str | None
    structure_score: float | None
    metrics: dict | None
    curriculum: dict | None
    pron_words: list | None


_SESSION_COLUMNS = (
    P.id,
    P.student_id,
    P.kind,
    P.started_at,
    P.audio_seconds,
    P.overall_score,
    P.fluency_score,
    P.vocabulary_score,
    P.grammar_score,
    P.relevance_score,
    P.words_per_minute,
    P.fillers_per_minute,
    P.accuracy_score,
    P.pron_fluency_score,
    P.completeness_score,
    P.prosody_score,
    P.pron_score,
    P.override_score,
    P.headline_score,
    P.transcript,
)
# Report details (pauses, vocabulary, curriculum, sounds) come from each student's latest
# this-many talks and readings in the period; headline figures from every session. A talk's
# report (~30 kB) costs about ten times a reading's, hence fewer talks.
DETAILS_PER_STUDENT = {"impromptu": 4, "pronunciation": 8}
# The only parts of a report the summary reads. A talk's report is ~30 kB (mostly its word
# list), so the database picks these out in one pass and hands back a few hundred bytes.
DIGEST = (
    ("metrics", "fillers_per_100_words"),
    ("metrics", "long_pause_count"),
    ("metrics", "duration"),
    ("metrics", "mtld"),
    ("metrics", "approx_level"),
    ("metrics", "distinct_linking_words"),
    ("metrics", "mean_pause"),
    ("scores", "structure", "score"),
    ("curriculum", "target_words_used"),
    ("curriculum", "target_words_total"),
    ("curriculum", "target_words"),
    ("curriculum", "grammar_focus"),
    ("curriculum", "rubric", "criteria"),
    ("Words",),
)


def _done_in(class_id: int, period: Period):
    """The class's counted sessions started in *period*: the same sessions as the roster's and My
    Progress's figures (app/practice/figures.py over app/practice/visibility.py's class_sessions)."""
    return (*counted_in(class_sessions(class_id), period), P.student_id.is_not(None))


def enrolled_students(class_id: int) -> list[Student]:
    rows = db.session.execute(
        select(User.id, User.name, User.email)
        .join(Enrolment, Enrolment.student_id == User.id)
        .where(Enrolment.class_id == class_id)
        .order_by(User.name, User.id)
    )
    return [Student(*row) for row in rows]


def _digest_query(class_id: int, period: Period, per_student: dict[str, int]):
    """(id, digest as one JSON array) for each student's latest talks and readings (*per_student* by kind).

    Only those rows' reports are parsed, once each: on SQLite one json_extract with
    every path, which returns them all as one JSON array.
    """
    ranked = (
        select(
            P.id.label("id"),
            P.kind.label("kind"),
            func.row_number()
            .over(partition_by=(P.student_id, P.kind), order_by=(P.started_at.desc(), P.id.desc()))
            .label("rank"),
        )
        .where(*_done_in(class_id, period))
        .subquery("ranked")
    )
    wanted = ranked.c.rank <= case(
        (ranked.c.kind == "impromptu", per_student["impromptu"]), else_=per_student["pronunciation"]
    )
    if db.engine.dialect.name == "postgresql":
        return _postgres_digest(ranked, wanted)
    paths = ["$." + ".".join(f'"{key}"' for key in path) for path in DIGEST]
    return (
        select(P.id, func.json_extract(P.report, *paths)).select_from(ranked).join(P, P.id == ranked.c.id).where(wanted)
    )


def _postgres_digest(ranked, wanted):
    """json_to_record splits each report into its top-level parts in one parse of the text
    (a jsonb cast would build the whole tree, word list included); OFFSET 0 makes the
    rank filter run first, so only the picked reports are read at all."""
    # A report saved as None is stored as JSON null; json_to_record refuses anything but an
    # object. The first character is read without decompressing the rest of the value.
    is_object = func.substr(cast(P.report, Text), 1, 1) == "{"
    picked = (
        select(P.id.label("id"), P.report.label("report"))
        .select_from(ranked)
        .join(P, P.id == ranked.c.id)
        .where(wanted, is_object)
        .offset(0)
        .subquery("picked")
    )
    tops = sorted({path[0] for path in DIGEST})
    parts = (
        func.json_to_record(picked.c.report)
        .table_valued(*(column(name, JSON) for name in tops))
        .render_derived("parts", with_types=True)
    )
    digest = func.json_build_array(
        *(
            parts.c[path[0]] if len(path) == 1 else parts.c[path[0]][path[1:] if len(path) > 2 else path[1]]
            for path in DIGEST
        )
    )
    return select(picked.c.id, digest).select_from(picked).join(parts, true())


def _unpack(digest) -> tuple:
    """(structure score, metrics, curriculum, pronunciation words) from a digest array."""
    if digest is None:
        return None, None, None, None
    values = json.loads(digest) if isinstance(digest, str) else digest
    (
        f100,
        long_pauses,
        duration,
        mtld,
        level,
        linking,
        mean_pause,
        structure,
        used,
        total,
        words,
        focus,
        criteria,
        pron_words,
    ) = values
    metrics = {
        "fillers_per_100_words": f100,
        "long_pause_count": long_pauses,
        "duration": duration,
        "mtld": mtld,
        "approx_level": level,
        "distinct_linking_words": linking,
        "mean_pause": mean_pause,
    }
    curriculum = None
    if total is not None or words or focus or criteria:
        curriculum = {
            "target_words_used": used,
            "target_words_total": total,
            "target_words": words or [],
            "grammar_focus": focus or [],
            "rubric": {"criteria": criteria or []},
        }
    return structure, metrics, curriculum, pron_words


def sessions_in(class_id: int, period: Period, per_student: dict[str, int] | None = None) -> list[SessionRow]:
    """Every finished session of the period from columns; report details for the latest few per student.

    Parsing reports is what costs (a talk's report is ~30 kB, mostly its word list),
    so it is bounded by class size, not by how much the class practised.
    """
    columns = select(*_SESSION_COLUMNS).where(*_done_in(class_id, period)).order_by(P.started_at, P.id)
    query = _digest_query(class_id, period, per_student or DETAILS_PER_STUDENT)
    digests = dict(db.session.execute(query).all())
    return [SessionRow(*row, *_unpack(digests.get(row.id))) for row in db.session.execute(columns)]


def previous_sums(class_id: int, period: Period) -> dict[int, dict[str, tuple[float, int]]]:
    """student id -> column -> (sum, count of non-null values) over *period*.

    Sums rather than averages so the class mean and each student's mean come out exact.
    """
    columns = [func.count(P.id)]
    for name in TREND_COLUMNS:
        col = _trend_expr(name)
        columns += [func.sum(col), func.count(col)]
    rows = db.session.execute(select(P.student_id, *columns).where(*_done_in(class_id, period)).group_by(P.student_id))
    out: dict[int, dict[str, tuple[float, int]]] = {}
    for student_id, sessions, *pairs in rows:
        sums = {name: (float(pairs[2 * i] or 0.0), int(pairs[2 * i + 1])) for i, name in enumerate(TREND_COLUMNS)}
        out[student_id] = {"sessions": (float(sessions), int(sessions)), **sums}
    return out


def _trend_expr(name: str):
    # The trends of the two headline scores follow PracticeSession.headline_score, per kind of session.
    if name == "overall_score":
        return case((P.kind == SessionKind.IMPROMPTU.value, P.headline_score))
    if name == "pron_score":
        return case((P.kind == SessionKind.PRONUNCIATION.value, P.headline_score))
    return getattr(P, name)


def curriculum_goal(class_id: int) -> CurriculumGoal | None:
    return db.session.scalar(select(CurriculumGoal).where(CurriculumGoal.class_id == class_id))
