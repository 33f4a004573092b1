from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import api, password_views, views  # noqa: E402,F401
