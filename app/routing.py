"""Routes at the site root for blueprints that are mounted under a prefix."""
from __future__ import annotations

from typing import Any, Callable

from flask import Blueprint
from werkzeug.routing import IntegerConverter


def api_route(bp: Blueprint, rule: str, *, endpoint: str | None = None, **options: Any) -> Callable:
    """Register the decorated view at *rule* itself, outside *bp*'s url_prefix, as "<bp>.<endpoint>".

    JSON endpoints live under /api/ (where errors are answered as JSON) while their views stay
    beside the pages of the blueprint they serve.
    """

    def decorator(view: Callable) -> Callable:
        name = f"{bp.name}.{endpoint or view.__name__}"
        bp.record_once(lambda state: state.app.add_url_rule(rule, name, view, **options))
        return view

    return decorator


class DatabaseId(IntegerConverter):
    """``<int:…>`` in a URL: a whole number that fits the database's id columns, so a longer one is a 404
    instead of an overflow in the query (PostgreSQL's integer stops at 2**31 - 1)."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def use_database_ids(app) -> None:
    """Every ``<int:…>`` of the app's routes is a DatabaseId; call before any route is registered."""
    app.url_map.converters["int"] = DatabaseId
