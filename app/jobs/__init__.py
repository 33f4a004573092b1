"""Celery wiring: every task runs inside the Flask app context.

Follows Flask's own Celery pattern; nothing connects to a broker at import time.
Each worker also runs the recovery sweep (sweep.py) when it starts and then every
RECOVERY_INTERVAL_SECONDS, so work lost with a killed worker comes back even on a
broker that never redelivers it.
"""
from __future__ import annotations

import threading
import time

from celery import Celery, Task
from celery.signals import worker_process_init, worker_ready, worker_shutdown
from flask import Flask, has_app_context

from . import tasks  # noqa: F401  (defines the shared tasks, so every Celery app made here knows them)


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


def _flask_app_of(sender) -> Flask | None:
    celery_app = getattr(sender, "app", None)
    return getattr(celery_app, "flask_app", None)


@worker_process_init.connect
def _fresh_connections_after_fork(**_kwargs) -> None:
    # A forked pool process must not reuse database connections opened by its parent.
    from celery import current_app as current_celery

    flask_app = getattr(current_celery, "flask_app", None)
    if flask_app is not None:
        from app.extensions import db

        with flask_app.app_context():
            db.engine.dispose(close=False)


_sweeper_stop = threading.Event()


@worker_ready.connect
def _start_recovery_sweeps(sender=None, **_kwargs) -> None:
    flask_app = _flask_app_of(sender)
    if flask_app is None:
        return
    interval = flask_app.config["RECOVERY_INTERVAL_SECONDS"]
    _sweeper_stop.clear()
    threading.Thread(target=_sweep_forever, args=(flask_app, interval), name="podium-recovery", daemon=True).start()


@worker_shutdown.connect
def _stop_recovery_sweeps(**_kwargs) -> None:
    _sweeper_stop.set()


def _sweep_forever(flask_app: Flask, interval: float) -> None:
    from .sweep import purge, sweep

    next_purge = time.monotonic()
    while not _sweeper_stop.is_set():
        with flask_app.app_context():
            try:
                outcomes = sweep()
                if outcomes:
                    flask_app.logger.warning("recovery sweep: %s", outcomes)
                if time.monotonic() >= next_purge:
                    next_purge = time.monotonic() + flask_app.config["PURGE_INTERVAL_SECONDS"]
                    purged = purge()
                    if any(purged.values()):
                        flask_app.logger.warning("retention purge: %s", purged)
            except Exception:  # a sweep that fails (database restarting) is simply tried again next time
                flask_app.logger.exception("recovery sweep failed")
            finally:
                from app.extensions import db

                db.session.remove()
        _sweeper_stop.wait(interval)
