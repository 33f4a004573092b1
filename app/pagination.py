"""Pages of a JSON list: ``?page=`` (from 1) and ``?per_page=`` (at most API_MAX_PER_PAGE), answered with
the page's items beside ``page``, ``per_page``, ``total`` and ``pages`` so a client knows when to stop."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from flask import abort, current_app, request
from sqlalchemy import Select, func, select

from app.extensions import db


@dataclass(frozen=True)
class PageRequest:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Page:
    items: Sequence[Any]
    request: PageRequest
    total: int

    def fields(self) -> dict[str, int]:
        """What a list answer carries beside its items."""
        per_page = self.request.per_page
        return {"page": self.request.page, "per_page": per_page, "total": self.total,
                "pages": math.ceil(self.total / per_page)}


def page_request() -> PageRequest:
    """The page asked for; a clear 400 for anything but whole numbers in range."""
    most = current_app.config["API_MAX_PER_PAGE"]
    page = _whole_number("page", 1, 1, 10**6)
    per_page = _whole_number("per_page", current_app.config["API_PER_PAGE"], 1, most)
    return PageRequest(page, per_page)


def paginate_query(query: Select) -> Page:
    """One page of *query*'s rows (it must be ordered) and the count of all of them, both by the database."""
    wanted = page_request()
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(db.session.scalars(query.limit(wanted.per_page).offset(wanted.offset)))
    return Page(items, wanted, total or 0)


def paginate_list(items: Sequence[Any]) -> Page:
    """One page of a list already built in order (a class's topics or roster, bounded by its size)."""
    wanted = page_request()
    return Page(items[wanted.offset: wanted.offset + wanted.per_page], wanted, len(items))


def _whole_number(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        abort(400, description=f"{name} must be a whole number from {low} to {high}.")
    return int(raw)
