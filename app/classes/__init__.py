from flask import Blueprint

bp = Blueprint("classes", __name__)

from . import api  # noqa: E402,F401
