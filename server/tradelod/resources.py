"""Blueprint stub: resources (to be written)."""

from flask import Blueprint

bp = Blueprint("resources", __name__)
