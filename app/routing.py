"""Routes at the site root for blueprints that are mounted under a prefix."""
from __future__ import annotations

from typing import Any, Callable

from flask import Blueprint


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
