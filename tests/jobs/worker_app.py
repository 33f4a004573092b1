"""The app a test's Celery worker runs: `celery -A tests.jobs.worker_app worker`, configured by env vars.

The test process sets PODIUM_TEST_WORKER_CONFIG to a JSON object of config
overrides (file SQLite database, file broker, upload folder, short recovery
timings); everything else is TestConfig, except that tasks really go through the broker.
"""
import json
import os

from app import create_app
from tests.factories import app_config

overrides = json.loads(os.environ["PODIUM_TEST_WORKER_CONFIG"])
flask_app = create_app(app_config(**({"CELERY_TASK_ALWAYS_EAGER": False} | overrides)))
celery_app = flask_app.extensions["celery"]
