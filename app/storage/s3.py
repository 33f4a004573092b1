"""Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph…), so web and worker hosts share no disk.

The endpoint, region and credentials come from boto3's own standard settings
(AWS_ENDPOINT_URL, AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or
its config files and instance roles); Podium only names the bucket and a key prefix.
"""
from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

from .base import COPY_CHUNK_BYTES, ObjectMissing, StorageError, StoredObject, check_key, check_prefix

DELETE_BATCH = 1000  # the most keys S3 takes in one DeleteObjects call
MISSING_CODES = {"404", "NoSuchKey", "NotFound"}


class S3Storage:
    def __init__(self, bucket: str, prefix: str = "", *, addressing_style: str = "auto", client=None) -> None:
        self.bucket = bucket
        self.prefix = check_prefix(prefix)
        self.name = f"s3://{bucket}/{self.prefix}"
        self._client = client or _make_client(addressing_style)

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def write(self, key: str, data: bytes | BinaryIO) -> int:
        with _errors(key):
            if isinstance(data, (bytes, bytearray, memoryview)):
                self._client.put_object(Bucket=self.bucket, Key=self._key(key), Body=bytes(data))
                return len(data)
            counted = _CountingReader(data)
            # A PUT (or a completed multipart upload) appears whole or not at all.
            self._client.upload_fileobj(counted, self.bucket, self._key(key))
            return counted.count

    @contextmanager
    def open(self, key: str) -> Iterator[BinaryIO]:
        with _errors(key):
            body = self._client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
        try:
            yield body
        finally:
            body.close()

    def iter_range(self, key: str, start: int, end: int) -> Iterator[bytes]:
        with _errors(key):
            body = self._client.get_object(Bucket=self.bucket, Key=self._key(key), Range=f"bytes={start}-{end}")["Body"]
        try:
            with _errors(key):
                yield from body.iter_chunks(COPY_CHUNK_BYTES)
        finally:
            body.close()

    def size(self, key: str) -> int | None:
        try:
            with _errors(key):
                return int(self._client.head_object(Bucket=self.bucket, Key=self._key(key))["ContentLength"])
        except ObjectMissing:
            return None

    def delete(self, key: str) -> bool:
        existed = self.size(key) is not None
        with _errors(key):
            self._client.delete_object(Bucket=self.bucket, Key=self._key(key))
        return existed

    def delete_prefix(self, prefix: str) -> int:
        keys = [self.prefix + item.key for item in self.list(prefix)]
        for start in range(0, len(keys), DELETE_BATCH):
            batch = [{"Key": key} for key in keys[start:start + DELETE_BATCH]]
            with _errors(prefix):
                self._client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})
        return len(keys)

    def list(self, prefix: str = "") -> Iterator[StoredObject]:
        paginator = self._client.get_paginator("list_objects_v2")
        with _errors(prefix):
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + check_prefix(prefix)):
                for item in page.get("Contents", []):
                    yield StoredObject(item["Key"][len(self.prefix):], int(item["Size"]), item["LastModified"])

    @contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        suffix = Path(key).suffix
        with tempfile.NamedTemporaryFile(prefix="podium-", suffix=suffix) as handle:
            with _errors(key):
                self._client.download_fileobj(self.bucket, self._key(key), handle)
            handle.flush()
            yield Path(handle.name)

    def ping(self) -> None:
        with _errors(""):
            self._client.head_bucket(Bucket=self.bucket)


def _make_client(addressing_style: str):
    import boto3
    from botocore.config import Config as BotoConfig

    return boto3.session.Session().client(
        "s3", config=BotoConfig(s3={"addressing_style": addressing_style}, retries={"mode": "standard"}),
    )


class _CountingReader:
    def __init__(self, stream: BinaryIO) -> None:
        self._stream, self.count = stream, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self.count += len(chunk)
        return chunk


@contextmanager
def _errors(key: str) -> Iterator[None]:
    """botocore's exceptions, as the store's own: ObjectMissing, or StorageError for the rest."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in MISSING_CODES:
            raise ObjectMissing(key) from exc
        raise StorageError(f"object storage refused {key!r}: {code}") from exc
    except BotoCoreError as exc:
        raise StorageError(f"object storage unreachable: {exc}") from exc
