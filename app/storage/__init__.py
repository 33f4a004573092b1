"""Where recordings live: one Storage for the app, chosen by STORAGE_URL.

    ""                      (default) a folder on this machine: UPLOAD_DIR
    file:///srv/podium      a folder on this machine
    s3://bucket/prefix      an S3-compatible bucket (endpoint and credentials from boto3's settings)

Every read and write of audio goes through ``storage()``; nothing else in the app
touches a path under the upload folder.
"""
from __future__ import annotations

from typing import Mapping
from urllib.parse import urlsplit

from flask import Flask, current_app

from .base import ObjectMissing, Storage, StorageError, StoredObject, check_key, exists, read_bytes, total_bytes
from .local import LocalStorage
from .s3 import S3Storage

__all__ = ["ObjectMissing", "Storage", "StorageError", "StoredObject", "check_key", "exists", "init_app",
           "make_storage", "read_bytes", "storage", "total_bytes"]


def make_storage(config: Mapping) -> Storage:
    url = config["STORAGE_URL"]
    if not url:
        return LocalStorage(config["UPLOAD_DIR"])
    parts = urlsplit(url)
    if parts.scheme == "file":
        return LocalStorage(parts.path)
    if parts.scheme == "s3" and parts.netloc:
        return S3Storage(parts.netloc, parts.path.strip("/"), addressing_style=config["STORAGE_S3_ADDRESSING_STYLE"])
    raise ValueError(f"STORAGE_URL must be empty, file:///folder or s3://bucket/prefix, not {url!r}")


def init_app(app: Flask) -> None:
    app.extensions["storage"] = make_storage(app.config)


def storage() -> Storage:
    """The current app's store."""
    return current_app.extensions["storage"]
