"""Speech analysis, the pure library: decoding, the speech engines, metrics, scores, report and feedback.

Nothing here imports from the rest of ``app`` and nothing touches the database or a
request: settings come in as a plain mapping, results go out as dicts and frozen
dataclasses (tests/test_architecture.py checks the first rule).
"""
