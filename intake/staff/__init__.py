"""The staff blueprint (therapists, front desk, admins)."""

from flask import Flask

from ..extensions import login_manager
from . import auth, checkin_views, client_views, dashboard  # noqa: F401  (registers routes)
from .blueprint import bp


def init_app(app: Flask) -> None:
    login_manager.login_view = "staff.login"
    login_manager.session_protection = None  # login sessions live on the server
    app.register_blueprint(bp)
