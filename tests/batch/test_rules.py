"""The rules a batch follows without touching the database: matching files to students, reference files, status."""
from __future__ import annotations

import io

import pytest

from app.batch.files import lookup, parse_references
from app.batch.services import derive_status, match_student
from app.models import User

ROSTER = [
    User(id=1, name="Maya Lee", email="maya.lee@school.test"),
    User(id=2, name="Sam Green", email="sam@school.test"),
    User(id=3, name="Samantha Green", email="sgreen@school.test"),
    User(id=4, name="Leo Park", email="leo@school.test"),
    User(id=5, name="Leo Park", email="leo.park2@school.test"),
]


@pytest.mark.parametrize("filename, expected", [
    ("maya_lee_week3.wav", 1),           # full name, underscores
    ("Maya Lee.m4a", 1),                 # full name, spaces and capitals
    ("maya.lee-take2.webm", 1),          # e-mail local part
    ("sam-week3.wav", 2),                # "sam" must end at a separator ...
    ("samantha_green_1.wav", 3),         # ... so it does not take Samantha's file
    ("sgreen.wav", 3),
    ("mayalee.wav", None),               # no separator: not a match
    ("leo_park_1.wav", None),            # two students of that name: ambiguous, left unattached
    ("leo.park2.wav", 5),                # the e-mail settles it
    ("unknown.wav", None),
])
def test_file_names_attach_recordings_to_students_only_when_sure(filename, expected):
    student = match_student(filename, ROSTER, {})
    assert (student.id if student else None) == expected


def test_an_explicit_mapping_wins_and_only_names_students_of_the_class():
    assert match_student("rec01.wav", ROSTER, {"rec01.wav": "SAM@school.test"}).id == 2
    assert match_student("maya_lee.wav", ROSTER, {"maya_lee": "stranger@school.test"}) is None


def test_reference_files_in_both_formats():
    csv_file = io.BytesIO(b"filename,text\na.wav,\"One, two.\"\nb.wav,Three\n,skip\n")
    assert parse_references("references.csv", csv_file) == {"a.wav": "One, two.", "b.wav": "Three"}
    assert parse_references("REFERENCES.TXT", io.BytesIO("000010011\tWE CALL IT BEAR\nbad line\n".encode())) == {
        "000010011": "WE CALL IT BEAR"}
    assert lookup({"000010011": "WE CALL IT BEAR"}, "000010011.wav") == "WE CALL IT BEAR"
    assert lookup({"A.WAV": "x"}, "a.wav") == "x" and lookup({"a.wav": "x"}, "b.wav") is None


@pytest.mark.parametrize("counts, status", [
    ({"submitted": 3}, "queued"),
    ({"submitted": 2, "transcribing": 1}, "running"),
    ({"submitted": 1, "done": 2}, "running"),
    ({"done": 3}, "succeeded"),
    ({"done": 2, "failed": 1}, "partially_failed"),
    ({"failed": 3}, "failed"),
])
def test_job_status_comes_from_its_items(counts, status):
    assert derive_status(counts) == status


def test_every_new_job_id_names_a_storage_prefix():
    """A job id that starts with "-" or "_" made the clean-up of a refused batch fail with a 500."""
    from app.models.jobs import new_job_id
    from app.storage import keys

    for _ in range(2000):
        keys.batch_prefix(new_job_id())
