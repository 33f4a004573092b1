from flask import Blueprint

bp = Blueprint("school", __name__)
