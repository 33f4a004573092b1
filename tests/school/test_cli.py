"""`flask create-school` makes a school and its first admin, with a one-time link and no password typed."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.demo.seed import seed_accounts
from app.extensions import db
from app.models import School, User

from ..conftest import BrowserClient

NEW_PASSWORD = "violet kettle harbour 42"


def test_create_school_prints_a_one_time_link_that_sets_the_admins_password(app, client):
    result = app.test_cli_runner().invoke(
        args=["create-school", "Oak Hill Academy", "--admin-email", "Head@Oak.example", "--time-zone", "Europe/London"]
    )
    assert result.exit_code == 0, result.output
    url = re.search(r"(http://\S+/password/new/\S+)", result.output).group(1)
    assert url.startswith(app.config["SITE_URL"])
    with app.app_context():
        school = db.session.scalar(select(School).where(School.name == "Oak Hill Academy"))
        admin = db.session.scalar(select(User).where(User.email == "head@oak.example"))
        assert school.time_zone == "Europe/London" and admin.role == "admin" and admin.school_id == school.id
        assert not admin.has_usable_password
    assert client.post("/token", json={"username": "head@oak.example", "password": ""}).status_code == 401
    browser = BrowserClient(app.test_client())
    path = url[len(app.config["SITE_URL"]):]
    browser.get(path)
    done = browser.post_form(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/school/")
    assert browser.get("/school/").status_code == 200
    assert client.get(path).status_code == 404  # the link worked once


def test_create_school_again_adds_an_admin_to_the_same_school_and_refuses_a_taken_email(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["create-school", "Oak Hill", "--admin-email", "a@oak.example"])
    second = runner.invoke(args=["create-school", "Oak Hill", "--admin-email", "b@oak.example"])
    assert second.exit_code == 0 and "exists" in second.output
    taken = runner.invoke(args=["create-school", "Oak Hill", "--admin-email", "a@oak.example"])
    assert taken.exit_code != 0 and "already exists" in taken.output
    with app.app_context():
        assert len(db.session.scalars(select(School)).all()) == 1
        assert len(db.session.scalars(select(User).where(User.role == "admin")).all()) == 2


def test_the_demo_has_a_school_with_an_admin(app, client):
    # seed-demo runs this, then analyses the demo recordings (the analysis has tests of its own).
    with app.app_context():
        seed_accounts()
    for login in ("admin@podium.test", "teacher@podium.test", "maya", "maya@podium.test"):
        assert client.post("/token", json={"username": login, "password": "podium-demo"}).status_code == 200, login
    with app.app_context():
        school = db.session.scalar(select(School))
        roles = {u.role for u in db.session.scalars(select(User).where(User.school_id == school.id))}
        assert roles == {"admin", "teacher", "student"}
