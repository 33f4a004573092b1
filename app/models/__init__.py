"""All models, importable from one place."""
from .audit import AuditEvent
from .classes import Classroom, CurriculumGoal, Enrolment, Topic
from .jobs import BatchJob, ClassSummaryCache, new_job_id
from .practice import (
    ACTIVE_ANALYSIS_STATUSES,
    SESSION_KINDS,
    TEACHER_ONLY_REPORT_FIELDS,
    PracticeSession,
    SessionComment,
    SessionKind,
    SessionStatus,
    WordReview,
)
from .schools import Invite, School
from .types import utcnow
from .users import ADULT_ROLES, ApiToken, Role, User
from .words import WordAttempt

__all__ = [
    "ADULT_ROLES",
    "ACTIVE_ANALYSIS_STATUSES",
    "ApiToken",
    "AuditEvent",
    "BatchJob",
    "ClassSummaryCache",
    "Classroom",
    "CurriculumGoal",
    "Enrolment",
    "Invite",
    "PracticeSession",
    "Role",
    "SESSION_KINDS",
    "School",
    "SessionComment",
    "SessionKind",
    "SessionStatus",
    "TEACHER_ONLY_REPORT_FIELDS",
    "Topic",
    "User",
    "WordAttempt",
    "WordReview",
    "new_job_id",
    "utcnow",
]
