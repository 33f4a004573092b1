"""No adult sees more than their class (app/practice/visibility.py).

The route test is generated from the URL map, like the guard audit: every route that takes a session id is
called by the owner, another student, a teacher whose class the student joined after practising, and the
teacher of a class archived before the practice; only the owner (and, as a control, the teacher of the class
the practice was made for) gets anything but 404. A new route is covered without touching this file.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.classes.services import archive_class, leave_class, unarchive_class
from app.extensions import db
from app.models import BatchJob, Enrolment, PracticeSession, utcnow
from app.practice.progress import personal_bests
from app.practice.visibility import class_sessions

from ..conftest import bearer_for, login_as
from ..factories import make_classroom, make_session, make_student, make_teacher

READING = {"PronScore": 70, "AccuracyScore": 71, "FluencyScore": 72, "CompletenessScore": 73, "ProsodyScore": 74}


def ago(days: float):
    return utcnow() - timedelta(days=days)


def _share_since(classroom, days: float) -> None:
    for enrolment in classroom.enrolments:
        enrolment.joined_at = enrolment.sharing_since = ago(days)


@pytest.fixture
def world(app_ctx):
    owner, other_student = make_student(name="Amira Kowalski"), make_student()
    teacher_b, teacher_o, teacher_a = make_teacher(), make_teacher(), make_teacher()
    # B: the class the practice was made for, joined ten days ago.
    class_b = make_classroom(teacher_b, "B", students=(owner, other_student))
    _share_since(class_b, 10)
    # A: joined ten days ago, archived five days ago.
    class_a = make_classroom(teacher_a, "A", students=(owner,))
    _share_since(class_a, 10)
    archive_class(class_a)
    class_a.archived_at = ago(5)
    # O: joined just now, after all the practice below.
    class_o = make_classroom(teacher_o, "O", students=(owner,))
    jobs = {t.id: BatchJob(owner_id=t.id, kind="impromptu") for t in (teacher_b, teacher_o, teacher_a)}
    db.session.add_all(jobs.values())
    db.session.flush()
    common = {"audio": b"RIFF....WAVE", "audio_mime": "audio/wav", "report": {}}
    free = make_session(owner, started_at=ago(2), **common)
    for_b = make_session(owner, classroom=class_b, started_at=ago(3), batch_job_id=jobs[teacher_b.id].id,
                         match_confirmed_at=ago(3), **common)
    reading = make_session(owner, kind="pronunciation", started_at=ago(2), **(common | {"report": READING}))
    db.session.commit()
    world = {
        "owner": owner, "other_student": other_student,
        "teacher_b": (teacher_b, class_b), "teacher_o": (teacher_o, class_o), "teacher_a": (teacher_a, class_a),
        "sessions": [free.id, for_b.id, reading.id], "jobs": {t: j.id for t, j in jobs.items()},
    }
    # Deleting takes what it is given, so each deletion route gets copies of its own.
    world["copies"] = lambda: [
        make_session(owner, started_at=ago(2), **common).id,
        make_session(owner, classroom=class_b, started_at=ago(3), **common).id,
    ]
    return world


def _session_routes(app, role):
    """(endpoint, method, rule) of every route guarded for *role* that takes a session id."""
    for rule in app.url_map.iter_rules():
        if "session_id" in rule.arguments and getattr(app.view_functions[rule.endpoint], "required_role", None) == role:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method


def _statuses(app, client, world, caller):
    """{(endpoint, method): [status for each of the owner's sessions]} as *caller* sees them."""
    if caller in ("owner", "other_student"):
        user, role, ids = world[caller], "student", {}
    else:
        user, classroom = world[caller]
        role, ids = "teacher", {"class_id": classroom.id, "job_id": world["jobs"][user.id], "index": 0}
    headers = bearer_for(app, user)
    adapter = app.url_map.bind("localhost")
    routes = list(_session_routes(app, role))
    assert len(routes) >= {"student": 8, "teacher": 5}[role], routes
    seen = {}
    for endpoint, method in routes:
        deleting = method == "DELETE" or "delete" in endpoint
        for session_id in world["copies"]() if deleting else world["sessions"]:
            url = adapter.build(endpoint, {**ids, "session_id": session_id}, method=method)
            with client.open(url, method=method, headers=headers, json={}) as response:
                status = response.status_code
            assert status != 500, (caller, method, url)
            seen.setdefault((endpoint, method), []).append(status)
    return seen


@pytest.mark.parametrize("caller", ["other_student", "teacher_o", "teacher_a"])
def test_every_session_route_is_404_for_anyone_but_the_owner(app, client, world, caller):
    seen = _statuses(app, client, world, caller)
    assert {route: statuses for route, statuses in seen.items() if set(statuses) != {404}} == {}, caller


@pytest.mark.parametrize("caller", ["owner", "teacher_b"])
def test_the_owner_and_the_class_teacher_reach_every_session_route(app, client, world, caller):
    # The control: the same calls do reach the sessions, so the 404s above come from the scoping.
    seen = _statuses(app, client, world, caller)
    assert [route for route, statuses in seen.items() if set(statuses) == {404}] == [], caller


def _visible(classroom, student):
    return set(db.session.scalars(class_sessions(classroom, student).with_only_columns(PracticeSession.id)))


def test_free_practice_is_shared_from_joining_and_class_practice_stays_with_its_class(app_ctx):
    student = make_student()
    mine, theirs = make_teacher(), make_teacher()
    my_class = make_classroom(mine, "Mine", students=(student,))
    their_class = make_classroom(theirs, "Theirs", students=(student,))
    _share_since(my_class, 5)
    before_joining = make_session(student, started_at=ago(8))
    since_joining = make_session(student, started_at=ago(1))
    for_mine = make_session(student, classroom=my_class, started_at=ago(1), score=55)
    make_session(student, classroom=their_class, started_at=ago(1), score=77)  # teacher B's class: not mine
    db.session.commit()
    assert _visible(my_class, student) == {since_joining.id, for_mine.id}
    assert before_joining.id not in _visible(their_class, student)
    # The leak: teacher A saw "Best speech score 77" from teacher B's class.
    bests = {b.label: b.value for b in personal_bests(class_sessions(my_class, student))}
    assert bests["Best speech score"] == 70


def test_archiving_ends_access_to_later_practice_and_restoring_does_not_reopen_it(app_ctx):
    student = make_student()
    classroom = make_classroom(make_teacher(), "7C", students=(student,))
    _share_since(classroom, 10)
    for_class = make_session(student, classroom=classroom, started_at=ago(7))
    free_before = make_session(student, started_at=ago(6))
    archive_class(classroom)
    classroom.archived_at = ago(4)
    during = make_session(student, started_at=ago(2))
    db.session.commit()
    assert _visible(classroom, student) == {for_class.id, free_before.id}
    unarchive_class(classroom)
    db.session.commit()
    after = make_session(student, started_at=utcnow() + timedelta(seconds=1))
    db.session.commit()
    # Restored: the class's own practice and free practice from now on; what came before stays private.
    assert _visible(classroom, student) == {for_class.id, after.id}
    assert during.id not in _visible(classroom, student)


def test_a_student_leaves_a_class_and_its_teacher_sees_nothing_of_theirs(app, client):
    with app.app_context():
        student, teacher = make_student(), make_teacher()
        classroom = make_classroom(teacher, "7D", students=(student,))
        session = make_session(student, classroom=classroom)
        class_id, session_id, student_id = classroom.id, session.id, student.id
    headers = bearer_for(app, student)
    assert client.post(f"/api/classes/{class_id}/leave", headers=headers).status_code == 204
    assert client.post(f"/api/classes/{class_id}/leave", headers=headers).status_code == 404
    with app.app_context():
        assert db.session.query(Enrolment).filter_by(class_id=class_id).count() == 0
    teacher_client = app.test_client()
    login_as(teacher_client, teacher)
    assert teacher_client.get(f"/teacher/classes/{class_id}/sessions/{session_id}").status_code == 404
    assert teacher_client.get(f"/teacher/classes/{class_id}/students/{student_id}").status_code == 404


def test_a_teachers_page_of_a_student_shows_nothing_from_another_teachers_class(app, client, app_ctx):
    student, mine, theirs = make_student(), make_teacher(), make_teacher()
    my_class = make_classroom(mine, "Mine", students=(student,))
    their_class = make_classroom(theirs, "Theirs", students=(student,))
    make_session(student, classroom=my_class, score=55, prompt_title="Mine to see")
    make_session(student, classroom=their_class, score=77, prompt_title="Not for you")
    leave_class(student, their_class)  # even after leaving, theirs stays theirs
    db.session.commit()
    login_as(client, mine)
    page = client.get(f"/teacher/classes/{my_class.id}/students/{student.id}").get_data(as_text=True)
    # A score is a whole cell or figure (">55<"): a bare "77" would also match a generated name like "Teacher 677".
    assert "Mine to see" in page and re.search(r">\s*55\s*<", page)
    assert "Not for you" not in page and not re.search(r">\s*77\s*<", page)
