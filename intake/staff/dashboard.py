"""The staff start page."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from sqlalchemy import func, select

from .. import dashboard as clients_page
from ..extensions import db
from ..models import ClientView, utcnow
from .blueprint import bp
from .kept_pages import kept_page


@bp.get("/")
def dashboard():
    search = request.args.get("q", "")[:64]
    number = request.args.get("page", 1, type=int) or 1
    # "New answers" depend on when this staff member last opened each brief.
    last_look = db.session.scalar(
        select(func.max(ClientView.seen_at)).where(ClientView.staff_id == current_user.id))
    return kept_page("staff/dashboard.html", lambda: {
        "page": clients_page.page_for(current_user, utcnow(), search, number),
        "search": search,
    }, last_look)
