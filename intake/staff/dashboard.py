"""The staff start page."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from sqlalchemy import bindparam, func, select

from ..infra.database import read_once
from ..infra.security import page_number
from ..models import ClientView, utcnow
from ..reports import client_list as clients_page
from .blueprint import bp
from .kept_pages import kept_page

_LAST_LOOK = select(func.max(ClientView.seen_at)).where(
    ClientView.staff_id == bindparam("staff_id"))


@bp.get("/")
def dashboard():
    search = request.args.get("q", "")[:64]
    number = page_number(request.args.get("page"))
    # "New answers" depend on when this staff member last opened each brief.
    last_look = read_once(_LAST_LOOK, {"staff_id": current_user.id})[0][0]
    return kept_page("staff/dashboard.html", lambda: {
        "page": clients_page.page_for(current_user, utcnow(), search, number),
        "search": search,
    }, last_look)
