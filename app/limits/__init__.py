"""Limits on what one request, one user and the disk may take.

``body.py``: how big a request body may be (1 MB by default, more on the upload routes), checked
before anything reads the body. ``quotas.py``: what one student or teacher may have at once
(open recordings, analyses an hour, stored audio, running batches). ``disk.py``: new uploads are
refused while the disk is nearly full. Every refusal says when to try again.
"""
from __future__ import annotations

from .body import BATCH_UPLOAD, RECORDING_UPLOAD, accepts_body, limit_request_body
from .errors import LimitReached, init_limit_errors

__all__ = ["BATCH_UPLOAD", "RECORDING_UPLOAD", "LimitReached", "accepts_body", "init_limit_errors",
           "limit_request_body"]
