"""The one schedule of periodic work, run by Celery beat (`celery -A app.jobs.worker beat`).

Exactly one beat process runs per deployment (`scripts/serve.sh` starts it in the embedded
set-up, `deploy/podium-beat.service` elsewhere); workers only execute what it sends. Every
periodic task is idempotent, so a second beat started by mistake, or a run that overlaps the
previous one, changes nothing twice (tests/jobs/test_schedule.py).

A periodic task is one line in PERIODIC_TASKS: its name in the schedule, the Celery task's
name, and the setting (in app/config.py) holding its interval in seconds.
"""
from __future__ import annotations

from typing import Mapping

# Periodic tasks have a queue of their own, which every worker also consumes: a sweep is taken
# after the analysis a worker is running, not after the whole backlog of a bell.
PERIODIC_QUEUE = "periodic"
PERIODIC_TASKS: dict[str, tuple[str, str]] = {
    "recover-sessions": ("podium.recover_sessions", "RECOVERY_INTERVAL_SECONDS"),
    "purge-expired": ("podium.purge_expired", "PURGE_INTERVAL_SECONDS"),
}


def beat_schedule(config: Mapping) -> dict[str, dict]:
    """Celery's ``beat_schedule`` for *config*: each periodic task every its setting's seconds.

    A run that would overlap the next is dropped (``expires``), not queued behind it.
    """
    return {
        name: {"task": task, "schedule": float(config[setting]),
               "options": {"queue": PERIODIC_QUEUE, "expires": float(config[setting])}}
        for name, (task, setting) in PERIODIC_TASKS.items()
    }
