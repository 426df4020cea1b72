"""Staff pages kept per worker while nothing they show has changed.

A therapist opens the same client list and the same brief many times around a
session; building them reads much of a client's history, or a row for each client,
and renders hundreds of elements. Such a page is rendered once and kept under a key
of everything it shows: its address, the viewer, the language, the database's
revision number (intake/changes.py) and the minute, so that what changes by time
alone (a code expiring, an appointment starting) shows within a minute. The CSRF
token is put in for each request; a page with a message to show is never kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import render_template, request, session
from flask_babel import get_locale
from flask_login import current_user

from ..infra import changes
from ..infra.keeping import Shelf, with_token, without_token
from ..models import utcnow

_PAGES = Shelf("staff_pages", 64)


def kept_page(template: str, context: Callable[[], dict], *depends_on: Hashable) -> str:
    """Return the page, rendered with `context()` the first time its key is seen."""
    if session.get("_flashes"):
        return render_template(template, **context())
    key = (request.full_path, current_user.id, str(get_locale()), changes.current(),
           utcnow().replace(second=0, microsecond=0), *depends_on)
    return with_token(_PAGES.get(
        key, lambda: without_token(render_template(template, **context()))))
