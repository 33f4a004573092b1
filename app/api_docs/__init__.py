"""``/api/openapi.json``: the OpenAPI 3.1 description of the JSON API, and ``/api/docs``, the same as a page."""
from . import api, views  # noqa: F401  (registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
