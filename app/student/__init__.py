from flask import Blueprint

bp = Blueprint("student", __name__)

from . import api, practice, progress, pronunciation, views  # noqa: E402,F401
