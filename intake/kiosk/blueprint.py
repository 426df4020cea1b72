"""The client side: the welcome page, code entry, one step per screen, thank you."""

from flask import Blueprint

bp = Blueprint("kiosk", __name__)
