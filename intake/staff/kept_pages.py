"""Staff pages kept per worker while nothing they show has changed.

A therapist opens the same client list and the same brief many times around an
appointment; building them reads much of a client's history, or a row for each client,
and renders hundreds of elements. Such a page is rendered once and kept under a key of
everything it shows (infra/keeping.py): its address, the viewer, the language, the
numbers of the topics it shows (infra/changes.py) and the minute, so that what changes by
time alone (a code expiring, an appointment starting) shows within a minute. The CSRF
token is put in for each request; a page with a message to show is never kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import render_template
from flask_login import current_user

from ..infra.changes import Topic
from ..infra.keeping import Shelf, add_source, without_token
from ..reports import client_list

_BY = ("path", "viewer", "locale", "minute")
# "New answers" on the client list depend on when the viewer last opened a brief.
add_source("last_look", lambda: client_list.last_look(current_user.id))
# Each kind of page, and the topics it shows.
CLIENT_LIST = Shelf("client_lists", 32, by=(*_BY, *Topic, "last_look"))
CLIENT_PAGE = Shelf("client_pages", 64, by=(*_BY, *Topic))
TODAY = Shelf("today_pages", 16, by=(*_BY, *Topic))


def kept_page(shelf: Shelf, template: str, context: Callable[[], dict],
              *depends_on: Hashable) -> str:
    """Return the page, rendered with `context()` the first time its key is seen."""
    # Forms render their own token: it is taken out of the page kept, and put back.
    return shelf.page(depends_on, lambda _token: without_token(render_template(
        template, **context())))
