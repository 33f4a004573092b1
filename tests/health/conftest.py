"""The real servers /ready and /metrics are checked against: moto's S3 server and Redis."""
from __future__ import annotations

import pytest

from tests.servers import redis_server
from tests.storage.conftest import s3, s3_env  # noqa: F401 - fixtures shared with the storage tests


@pytest.fixture(scope="session")
def redis_url():
    with redis_server() as url:
        yield url
