"""Both storage back ends for real: a folder, and moto's S3-compatible server over HTTP."""
from __future__ import annotations

import itertools

import pytest

from app.storage import make_storage
from tests.servers import s3_server

_buckets = itertools.count(1)


@pytest.fixture(scope="session")
def s3():
    with s3_server() as server:
        yield server


@pytest.fixture
def s3_env(s3, monkeypatch):
    """boto3's standard variables pointing at the test server, as an operator would set them."""
    for name, value in s3.env.items():
        monkeypatch.setenv(name, value)
    return s3


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return make_storage({"STORAGE_URL": "", "UPLOAD_DIR": str(tmp_path / "uploads")})
    s3 = request.getfixturevalue("s3_env")
    bucket = s3.create_bucket(f"podium-test-{next(_buckets)}")
    return make_storage({"STORAGE_URL": f"s3://{bucket}/school-a", "STORAGE_S3_ADDRESSING_STYLE": "path"})
