"""The staff start page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from .. import clients
from .blueprint import bp


@bp.get("/")
def dashboard():
    return render_template("staff/dashboard.html", clients=clients.list_for(current_user))
