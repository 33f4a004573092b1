"""Celery wiring: every task runs inside the Flask app context.

Follows Flask's own Celery pattern; nothing connects to a broker at import time.
Periodic work (the recovery sweep, which brings back work lost with a killed worker even
on a broker that never redelivers it) is sent by one Celery beat from schedule.py.
"""
from __future__ import annotations

from pathlib import Path

from celery import Celery, Task
from celery.signals import worker_process_init
from flask import Flask, has_app_context
from kombu import Queue

from . import tasks  # noqa: F401  (defines the shared tasks, so every Celery app made here knows them)
from .schedule import PERIODIC_QUEUE, beat_schedule


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            # An eager task runs inside its caller's app context; a worker's task gets this app's.
            if has_app_context():
                return self.run(*args, **kwargs)
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        task_always_eager=app.config["CELERY_TASK_ALWAYS_EAGER"],
        task_eager_propagates=False,
        # Our own tables hold every outcome; a result backend would be a second source of truth.
        task_ignore_result=True,
        # Acknowledge after the work, so a worker killed mid-task leaves the message to be redelivered
        # (Redis, after the visibility timeout); the recovery sweep covers brokers that do not.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_transport_options=_transport_options(app),
        include=["app.jobs.tasks"],
        # Workers consume both queues (analyses and the like on the default one), taking turns.
        task_default_queue="celery",
        task_queues=(Queue("celery"), Queue(PERIODIC_QUEUE)),
        beat_schedule=beat_schedule(app.config),
        beat_schedule_filename=str(Path(app.config["INSTANCE_DIR"]) / "celerybeat-schedule"),
    )
    celery_app.flask_app = app
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


def _transport_options(app: Flask) -> dict:
    url = app.config["CELERY_BROKER_URL"]
    if url.startswith("redis"):
        return {"visibility_timeout": app.config["REDIS_VISIBILITY_TIMEOUT"]}
    if url.startswith(("sqla+sqlite", "sqlalchemy+sqlite")):
        # kombu passes these options straight to create_engine (so no polling_interval here):
        # wait for a busy broker file instead of failing the publish.
        return {"connect_args": {"timeout": 30}}
    return {}


@worker_process_init.connect
def _fresh_connections_after_fork(**_kwargs) -> None:
    # A forked pool process must not reuse database connections opened by its parent.
    from celery import current_app as current_celery

    flask_app = getattr(current_celery, "flask_app", None)
    if flask_app is not None:
        from app.extensions import db

        with flask_app.app_context():
            db.engine.dispose(close=False)
