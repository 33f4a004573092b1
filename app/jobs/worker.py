"""Entry point for `celery -A app.jobs.worker worker`: builds the app once per worker process."""
from app import create_app

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
