"""Celery wiring: every task runs inside the Flask app context.

Follows Flask's own Celery pattern; nothing connects to a broker at import time.
"""
from __future__ import annotations

from celery import Celery, Task
from flask import Flask


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        task_always_eager=app.config["CELERY_TASK_ALWAYS_EAGER"],
        task_eager_propagates=False,
        # Our own tables hold every outcome; a result backend would be a second source of truth.
        task_ignore_result=True,
        # Acknowledge after the work, so a worker killed mid-task leaves the message to be redelivered.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"polling_interval": 0.5},
        include=["app.jobs.tasks"],
    )
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
