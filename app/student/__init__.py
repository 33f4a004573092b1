from flask import Blueprint

bp = Blueprint("student", __name__)

from . import views  # noqa: E402,F401
