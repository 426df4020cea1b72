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

from flask import render_template

from ..infra.keeping import Shelf, without_token

_PAGES = Shelf("staff_pages", 64, by=("path", "viewer", "locale", "revision", "minute"))


def kept_page(template: str, context: Callable[[], dict], *depends_on: Hashable) -> str:
    """Return the page, rendered with `context()` the first time its key is seen."""
    # Forms render their own token: it is taken out of the page kept, and put back.
    return _PAGES.page(depends_on, lambda _token: without_token(render_template(
        template, **context())))
