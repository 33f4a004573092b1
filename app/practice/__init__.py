"""Practice sessions: their lifecycle from opening the recorder to a saved report.

Plain services shared by the student pages, the JSON API, batch jobs and the
Celery tasks. They change the session and never commit, except
``run_session_analysis``, which is a job's whole unit of work and commits as
each stage starts so the student's page can show progress.
"""
