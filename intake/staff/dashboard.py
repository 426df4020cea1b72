"""The staff start page."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from ..infra.security import page_number
from ..models import utcnow
from ..reports import client_list
from .blueprint import bp
from .kept_pages import CLIENT_LIST, kept_page


@bp.get("/")
def dashboard():
    search = request.args.get("q", "")[:64]
    number = page_number(request.args.get("page"))
    return kept_page(CLIENT_LIST, "staff/dashboard.html", lambda: {
        "page": client_list.page_for(current_user, utcnow(), search, number),
        "search": search,
    })
