from flask import Blueprint

bp = Blueprint("teacher", __name__)

from . import api, class_report, student_accounts, views  # noqa: E402,F401
