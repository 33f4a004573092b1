from flask import Blueprint

bp = Blueprint("batch", __name__, template_folder="templates")
