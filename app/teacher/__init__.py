from flask import Blueprint

bp = Blueprint("teacher", __name__)

from . import api, class_report, views  # noqa: E402,F401
