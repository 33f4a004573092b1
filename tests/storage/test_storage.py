"""The storage interface behaves the same on a local folder and on an S3-compatible server."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask

from app.storage import ObjectMissing, StorageError, exists, make_storage, read_bytes, total_bytes
from app.storage.local import LocalStorage
from app.storage.s3 import S3Storage
from app.storage.serving import stored_file_response


def test_write_then_read_whole_and_by_range(store):
    data = bytes(range(256)) * 1000
    assert store.write("sessions/7/recording.webm", data) == len(data)
    assert read_bytes(store, "sessions/7/recording.webm") == data
    assert b"".join(store.iter_range("sessions/7/recording.webm", 1000, 1999)) == data[1000:2000]
    assert store.size("sessions/7/recording.webm") == len(data)


def test_a_stream_is_stored_whole(store):
    data = b"x" * (3 * 1024 * 1024 + 17)  # more than one copy chunk
    assert store.write("batches/job/a.wav", io.BytesIO(data)) == len(data)
    assert store.size("batches/job/a.wav") == len(data)


def test_writing_again_replaces_the_object(store):
    store.write("parts/1/take/00000.part", b"first")
    store.write("parts/1/take/00000.part", b"second")
    assert read_bytes(store, "parts/1/take/00000.part") == b"second"


def test_list_and_delete_a_prefix(store):
    for number in range(3):
        store.write(f"parts/9/take/{number:05d}.part", b"abc")
    store.write("parts/10/take/00000.part", b"other session")
    assert [item.key for item in store.list("parts/9")] == [f"parts/9/take/{n:05d}.part" for n in range(3)]
    assert total_bytes(store, "parts/9/") == 9
    assert store.delete_prefix("parts/9") == 3
    assert list(store.list("parts/9")) == []
    assert exists(store, "parts/10/take/00000.part")  # "parts/9" is not a prefix of "parts/10"


def test_delete_one_object(store):
    store.write("sessions/3/recording.wav", b"RIFF")
    assert store.delete("sessions/3/recording.wav") is True
    assert store.delete("sessions/3/recording.wav") is False
    assert store.size("sessions/3/recording.wav") is None


def test_a_missing_object_is_reported_as_missing(store):
    with pytest.raises(ObjectMissing):
        with store.open("sessions/404/recording.wav"):
            pass
    with pytest.raises(ObjectMissing):
        with store.local_path("sessions/404/recording.wav"):
            pass


def test_local_path_holds_the_object_for_decoders(store):
    store.write("sessions/5/recording.ogg", b"OggS fake")
    with store.local_path("sessions/5/recording.ogg") as path:
        assert Path(path).read_bytes() == b"OggS fake" and Path(path).suffix == ".ogg"


@pytest.mark.parametrize("key", ["../secret", "/etc/passwd", "sessions/../../x", "a//b", "", "sessions/ba d", "."])
def test_keys_cannot_leave_the_store(store, key):
    with pytest.raises(ValueError):
        store.write(key, b"x")


def test_ping_answers_when_reachable(store):
    store.ping()


def test_s3_prefixes_keep_two_stores_in_one_bucket_apart(s3_env):
    bucket = s3_env.create_bucket("podium-shared-bucket")
    school_a = make_storage({"STORAGE_URL": f"s3://{bucket}/a", "STORAGE_S3_ADDRESSING_STYLE": "path"})
    school_b = make_storage({"STORAGE_URL": f"s3://{bucket}/b", "STORAGE_S3_ADDRESSING_STYLE": "path"})
    school_a.write("sessions/1/recording.wav", b"A")
    assert school_b.size("sessions/1/recording.wav") is None
    keys = [o["Key"] for o in s3_env.client().list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == ["a/sessions/1/recording.wav"]  # really in the bucket, under the prefix


def test_an_unreachable_or_missing_bucket_is_a_storage_error(s3_env):
    store = make_storage({"STORAGE_URL": "s3://podium-no-such-bucket", "STORAGE_S3_ADDRESSING_STYLE": "path"})
    with pytest.raises(StorageError):
        store.ping()


@pytest.mark.parametrize("url, kind", [("", LocalStorage), ("file:///srv/podium-recordings", LocalStorage),
                                       ("s3://bucket/prefix", S3Storage)])
def test_storage_url_picks_the_back_end(url, kind, s3_env, tmp_path):
    assert isinstance(make_storage({"STORAGE_URL": url, "UPLOAD_DIR": str(tmp_path),
                                    "STORAGE_S3_ADDRESSING_STYLE": "path"}), kind)


def test_an_unknown_storage_url_is_refused(tmp_path):
    with pytest.raises(ValueError, match="STORAGE_URL"):
        make_storage({"STORAGE_URL": "ftp://host/x", "UPLOAD_DIR": str(tmp_path)})


@pytest.fixture
def serving_app(store):
    app = Flask(__name__)
    app.extensions["storage"] = store
    app.add_url_rule("/audio/<path:key>", "audio", lambda key: stored_file_response(key, "audio/webm"))
    store.write("sessions/1/recording.webm", bytes(range(100)))
    return app.test_client()


def test_playback_answers_a_range_with_206(serving_app):
    answer = serving_app.get("/audio/sessions/1/recording.webm", headers={"Range": "bytes=10-19"})
    assert answer.status_code == 206 and answer.data == bytes(range(10, 20))
    assert answer.headers["Content-Range"] == "bytes 10-19/100" and answer.headers["Accept-Ranges"] == "bytes"


def test_playback_answers_an_open_range_and_the_whole_file(serving_app):
    tail = serving_app.get("/audio/sessions/1/recording.webm", headers={"Range": "bytes=90-"})
    assert tail.status_code == 206 and tail.data == bytes(range(90, 100))
    whole = serving_app.get("/audio/sessions/1/recording.webm")
    assert whole.status_code == 200 and whole.data == bytes(range(100)) and whole.headers["Content-Length"] == "100"


def test_playback_refuses_a_range_past_the_end(serving_app):
    answer = serving_app.get("/audio/sessions/1/recording.webm", headers={"Range": "bytes=500-600"})
    assert answer.status_code == 416 and answer.headers["Content-Range"] == "bytes */100"


def test_playback_of_a_missing_recording_is_404(serving_app):
    assert serving_app.get("/audio/sessions/2/recording.webm").status_code == 404


def test_keys_follow_one_scheme(tmp_path):
    from app.storage import keys

    app = Flask(__name__)
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    with app.app_context():
        assert keys.session_file(12, "recording.webm") == "sessions/12/recording.webm"
        part = keys.part_key(12, "abc", 3)
        assert part.startswith("parts/12/") and part.endswith("/00003.part")
        assert keys.take_prefix(12, "abc") != keys.take_prefix(12, "abd")
        assert keys.recording_key(str(tmp_path / "uploads" / "sessions" / "12" / "recording.webm")) == \
            "sessions/12/recording.webm"
        assert keys.recording_key("/elsewhere/recording.webm") is None
        assert keys.recording_key(None) is None
        with pytest.raises(ValueError):
            keys.batch_file("job", "../../etc/passwd")
