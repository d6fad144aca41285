"""Blueprint stub: pages (to be written)."""

from flask import Blueprint

bp = Blueprint("pages", __name__)
