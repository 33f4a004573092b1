"""Builders for test data; each commits so the rows are visible to the app under test."""
from __future__ import annotations

import itertools

from sqlalchemy import select

from app.classes.services import create_class, join_class
from app.config import TestConfig
from app.extensions import db
from app.models import School, User

_counter = itertools.count(1)
PASSWORD = "correct horse battery"
DEFAULT_SCHOOL = "Test School"


def make_school(name: str | None = None, time_zone: str = "UTC") -> School:
    school = School(name=name or f"School {next(_counter)}", time_zone=time_zone, settings={})
    db.session.add(school)
    db.session.commit()
    return school


def default_school() -> School:
    """The one school every adult belongs to unless a test names another."""
    school = db.session.scalar(select(School).where(School.name == DEFAULT_SCHOOL))
    return school or make_school(DEFAULT_SCHOOL)


def make_user(role: str, name: str | None = None, email: str | None = None, password: str = PASSWORD,
              school: School | None = None, username: str | None = None) -> User:
    n = next(_counter)
    if school is None and role != "student":
        school = default_school()
    user = User(name=name or f"{role.title()} {n}", role=role, school_id=school.id if school else None,
                email=None if username and email is None else (email or f"{role}{n}@example.com").lower(),
                username=username)
    user.set_password(password, TestConfig.PASSWORD_HASH_METHOD)
    db.session.add(user)
    db.session.commit()
    return user


def make_teacher(**kwargs) -> User:
    return make_user("teacher", **kwargs)


def make_admin(**kwargs) -> User:
    return make_user("admin", **kwargs)


def make_student(**kwargs) -> User:
    return make_user("student", **kwargs)


def make_classroom(teacher: User | None = None, name: str = "Year 7 English", students: tuple[User, ...] = ()):
    classroom = create_class(teacher or make_teacher(), name)
    for student in students:
        join_class(student, classroom.join_code)
    db.session.commit()
    return classroom
