"""Student accounts a teacher makes: a username and a three-word password for each child, no email."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit import Action, record
from app.auth.lockout import record_success
from app.auth.passwords import child_password, set_password
from app.extensions import db
from app.models import Classroom, Enrolment, Role, User

NAME_MAX = 120
USERNAME_MAX = 40
CSV_NAME_HEADERS = ("name", "full name", "student", "student name", "pupil", "pupil name")


class RosterError(Exception):
    """Names that cannot be turned into accounts; the message is shown as it is."""


@dataclass(frozen=True)
class NewLogin:
    """A student's login, with the password in clear: shown once, on a card, never stored."""

    student: User
    password: str

    def to_json(self) -> dict:
        return {"id": self.student.id, "name": self.student.name, "username": self.student.username,
                "password": self.password}


def clean_names(names: list[str]) -> list[str]:
    """Trimmed, non-empty names; RosterError when one is too long or there are too many."""
    cleaned = [" ".join(name.split()) for name in names]
    cleaned = [name for name in cleaned if name]
    if not cleaned:
        raise RosterError("Give at least one student's name.")
    limit = current_app.config["BULK_STUDENTS_MAX"]
    if len(cleaned) > limit:
        raise RosterError(f"Add at most {limit} students at a time.")
    long = [name for name in cleaned if len(name) > NAME_MAX]
    if long:
        raise RosterError(f"Keep each name under {NAME_MAX} characters (\"{long[0][:30]}…\" is longer).")
    return cleaned


def names_from_text(text: str) -> list[str]:
    """One name per line, as pasted from a spreadsheet column or a class list."""
    return [line.split("\t")[0] for line in (text or "").splitlines()]


def names_from_csv(data: bytes) -> list[str]:
    """Names from a CSV export: a "name" column (or first and last name columns), else the first column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise RosterError("That file isn't a CSV text file. Save the list as CSV and try again.") from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    for wanted in CSV_NAME_HEADERS:
        if wanted in header:
            column = header.index(wanted)
            return [row[column] for row in rows[1:] if len(row) > column]
    if "first name" in header and "last name" in header:
        first, last = header.index("first name"), header.index("last name")
        return [f"{row[first]} {row[last]}" for row in rows[1:] if len(row) > max(first, last)]
    return [row[0] for row in rows]


def username_base(name: str) -> str:
    """First name and the initial of the last ("Maya Patel" → "mayap"), in plain lower-case letters."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    parts = [re.sub(r"[^a-z0-9]", "", part) for part in ascii_name.lower().split()]
    parts = [part for part in parts if part]
    if not parts:
        return "student"
    base = parts[0][:20] + (parts[-1][0] if len(parts) > 1 else "")
    return base if not base.isdigit() else f"student{base}"


def unique_username(base: str, taken: set[str]) -> str:
    """*base*, or *base* with the smallest number from 2 up that no account (or this batch) uses."""
    like = db.session.scalars(select(User.username).where(User.username.like(f"{base}%")))
    taken = taken | {name for name in like if name}
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


def add_students(classroom: Classroom, names: list[str]) -> list[NewLogin]:
    """Make an account for each name in the class's school, enrol it in the class, and return the logins."""
    school_id = classroom.teacher.school_id
    logins, taken = [], set()
    for name in clean_names(names):
        username = unique_username(username_base(name), taken)
        taken.add(username)
        student = User(name=name, username=username, role=Role.STUDENT.value, school_id=school_id)
        password = child_password()
        set_password(student, password)
        db.session.add(student)
        db.session.add(Enrolment(student=student, classroom=classroom))
        logins.append(NewLogin(student, password))
    db.session.flush()
    return logins


def add_students_retrying(classroom: Classroom, names: list[str], attempts: int = 3) -> list[NewLogin]:
    """add_students inside a savepoint, tried again when another teacher took one of the usernames meanwhile.

    Two teachers adding a "Maya P." at the same moment both pick ``mayap``; the one whose flush
    meets the other's row rolls back to the savepoint and picks the next free name.
    """
    for attempt in range(1, attempts + 1):
        try:
            with db.session.begin_nested():
                return add_students(classroom, names)
        except IntegrityError:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")  # the loop returns or raises


def resettable_student(classroom: Classroom, student: User) -> User | None:
    """*student* when the class's school answers for their account: no teacher takes over another school's child."""
    return student if student.school_id == classroom.teacher.school_id else None


def new_student_password(student: User) -> NewLogin:
    """A fresh three-word password; the old one and every session of the student stop working."""
    password = child_password()
    set_password(student, password)
    student.end_sessions()
    record_success(student)
    if not student.username:
        student.username = unique_username(username_base(student.name), set())
    record(Action.PASSWORD_RESET, student)
    return NewLogin(student, password)
