"""All models, importable from one place."""
from .classes import Classroom, CurriculumGoal, Enrolment, Topic
from .jobs import BatchJob, ClassSummaryCache, new_job_id
from .practice import (
    ACTIVE_ANALYSIS_STATUSES,
    SESSION_KINDS,
    PracticeSession,
    SessionComment,
    SessionKind,
    SessionStatus,
)
from .types import utcnow
from .users import ApiToken, Role, User

__all__ = [
    "ACTIVE_ANALYSIS_STATUSES",
    "ApiToken",
    "BatchJob",
    "ClassSummaryCache",
    "Classroom",
    "CurriculumGoal",
    "Enrolment",
    "PracticeSession",
    "Role",
    "SESSION_KINDS",
    "SessionComment",
    "SessionKind",
    "SessionStatus",
    "Topic",
    "User",
    "new_job_id",
    "utcnow",
]
