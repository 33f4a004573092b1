"""`flask create-school` and `flask password-link`: a school's first admin, with no password on the command line."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app.auth.password_links import password_link
from app.auth.services import find_user_by_email
from app.extensions import db
from app.models import School

from .services import SchoolError, add_admin, create_school


def _link_for(user) -> tuple[str, str]:
    # Outside a request, links take their host from SITE_URL.
    with current_app.test_request_context(base_url=current_app.config["SITE_URL"]):
        url, expires_at = password_link(user, "issued")
    return url, expires_at.strftime("%d %b %Y, %H:%M UTC")


@click.command("create-school")
@click.argument("name")
@click.option("--admin-email", required=True, help="The first admin's email; they choose a password through the link.")
@click.option("--admin-name", default="", help="The admin's name (they can be told to change it).")
@click.option("--time-zone", default="UTC", show_default=True, help="IANA time zone of the school.")
@with_appcontext
def create_school_command(name: str, admin_email: str, admin_name: str, time_zone: str) -> None:
    """Create school NAME (or use the one of that name) with an admin, and print a one-time set-password link."""
    school = db.session.scalar(select(School).where(School.name == name.strip()))
    if school is None:
        school = create_school(name, time_zone)
        click.echo(f"Created school {school.name!r} (id {school.id}).")
    else:
        click.echo(f"School {school.name!r} exists (id {school.id}); adding an admin to it.")
    try:
        admin = add_admin(school, admin_email, admin_name or admin_email.split("@")[0])
    except SchoolError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    url, expires = _link_for(admin)
    click.echo(f"Admin {admin.email} has no password yet. Send them this link (works once, until {expires}):")
    click.echo(url)


@click.command("password-link")
@click.argument("email")
@with_appcontext
def password_link_command(email: str) -> None:
    """Print a one-time link for EMAIL's account to choose a new password (their old one keeps working until then)."""
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the email {email}.")
    url, expires = _link_for(user)
    click.echo(f"Link for {user.email} (works once, until {expires}):")
    click.echo(url)
