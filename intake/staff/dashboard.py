"""The staff start page."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from .. import dashboard as clients_page
from ..models import utcnow
from .blueprint import bp


@bp.get("/")
def dashboard():
    search = request.args.get("q", "")[:64]
    number = request.args.get("page", 1, type=int) or 1
    page = clients_page.page_for(current_user, utcnow(), search, number)
    return render_template("staff/dashboard.html", page=page, search=search)
