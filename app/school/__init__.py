from flask import Blueprint

bp = Blueprint("school", __name__)

from . import api, invite_views, views  # noqa: E402,F401
