from flask import Blueprint

bp = Blueprint("teacher", __name__)
