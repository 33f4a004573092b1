"""Speech analysis: the engines, the report pipeline and the routes that run them."""
from flask import Blueprint

bp = Blueprint("analysis", __name__)

from . import batch, views  # noqa: E402,F401
