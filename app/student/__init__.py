"""The student portal, mounted at ``/student``, and the student's JSON API under ``/api/``.

Pages: views.py (dashboard, joining a class), views_account.py (my account: classes, leaving one,
my data), views_practice.py (the recorder, the report, retry, playback), views_progress.py (My Progress),
views_pronunciation.py (reading aloud), views_words.py (practising the words missed in readings).
JSON: api.py (uploads, my sessions, my topics), api_recorder.py (what the recorder page asks
around an upload), api_pronunciation.py (a reading in one request).
The practice session itself lives in app/practice/.
"""
from . import (  # noqa: F401  (each module registers its routes on bp)
    api,
    api_pronunciation,
    api_recorder,
    views,
    views_account,
    views_practice,
    views_progress,
    views_pronunciation,
    views_words,
)
from .blueprint import bp

__all__ = ["bp"]
