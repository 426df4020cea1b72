"""What is kept per worker, and what each kept thing depends on: in one place.

A kept thing is never stale: its key holds everything it was made from, so a change
makes a new key and the old entry simply ages out of its bounded shelf. A shelf says
what it depends on by name (`by=`), and the shelf, never the caller, reads those
sources to make the key:

- "locale": the language of the request;
- "viewer": the staff member looking (pages that differ per person);
- "path": the request's path and query;
- "minute", "day": what changes by time alone (a code expiring, silence counted in days);
- a `Topic` (infra/changes.py): the number the database raises on every change of that
  topic that a staff page shows (practice, clients, check-ins, answers);
- any source registered with `add_source` (the practice's settings, from the app).

Pages are kept with a placeholder for the CSRF token, put back for each request; a page
with a message to show is never kept.

What is kept, and why (figures from `make bench`, docs/decisions.md):
- step pages of a questionnaire per language while they show nothing the client wrote
  (kiosk/pages.py): the step's widgets are most of what a client page costs;
- the welcome page per language;
- staff pages per viewer and the topics they show (staff/kept_pages.py), and a client's
  built brief and its HTML (reports/client_brief.py);
- signed CSRF tokens, ten minutes per browser session (signing is most of a kept page).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from typing import Any

from flask import current_app, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from . import changes, i18n
from .changes import Topic

TOKEN_MARK = "\x00csrf-token\x00"  # noqa: S105  (a placeholder, not a secret)

_SOURCES: dict[str, Callable[[], Hashable]] = {
    # The code the request is rendered in, without building Babel's Locale for a kept page.
    "locale": i18n.select_locale,
    "viewer": lambda: current_user.get_id(),
    "path": lambda: request.full_path,
    "minute": lambda: int(time.time() // 60),
    "day": lambda: datetime.now(UTC).date(),
}


def add_source(name: str, read: Callable[[], Hashable]) -> None:
    """Name something a kept thing may depend on (read when its key is made)."""
    _SOURCES[name] = read


class Shelf:
    """A bounded store per worker: the least recently used entry goes first."""

    every: list[Shelf] = []

    def __init__(self, name: str, size: int, by: tuple[str | Topic, ...] = ()):
        self.name = f"intake.shelf.{name}"
        self.size = size
        self.by = by
        self._lock = threading.Lock()
        Shelf.every.append(self)

    def key(self, *parts: Hashable) -> tuple:
        """Return the key of a thing made from these parts and the shelf's sources now."""
        return (*(changes.current()[name] if isinstance(name, Topic) else _SOURCES[name]()
                  for name in self.by), *parts)

    def get(self, parts: tuple, make: Callable[[], Any]) -> Any:
        """Return what is kept for these parts, making it the first time."""
        key = self.key(*parts)
        store = self._store()
        with self._lock:
            found = store.get(key)
            if found is not None:
                store.move_to_end(key)
                return found
        made = make()
        with self._lock:
            store[key] = made
            while len(store) > self.size:
                store.popitem(last=False)
        return made

    def page(self, parts: tuple, render: Callable[[str], str]) -> str:
        """Return a page made by `render(csrf_token)`, kept unless it shows a message."""
        token = csrf_token()
        if session.get("_flashes"):
            return render(token).replace(TOKEN_MARK, token)
        return self.get(parts, lambda: render(TOKEN_MARK)).replace(TOKEN_MARK, token)

    def clear(self) -> None:
        """Forget everything kept on this shelf."""
        with self._lock:
            self._store().clear()

    def _store(self) -> OrderedDict:
        return current_app.extensions.setdefault(self.name, OrderedDict())


_SIGNED = Shelf("csrf_tokens", 4096)
_SIGNED_FOR = 600  # seconds; a signed token stays valid for hours (WTF_CSRF_TIME_LIMIT)


def csrf_token() -> str:
    """Return a CSRF token for this browser session, signed afresh every ten minutes.

    Signing is most of what a kept page costs; the same session may be handed the same
    signed token for a while, as if the page had been open that long.
    """
    raw = session.get("csrf_token")
    if raw is None:
        return generate_csrf()  # the first token of this session: stored with it
    return _SIGNED.get((raw, int(time.time() // _SIGNED_FOR)), generate_csrf)


def forget_everything() -> None:
    """Forget everything this worker keeps (after erasing a client: nothing of them stays)."""
    for shelf in Shelf.every:
        shelf.clear()


def without_token(html: str) -> str:
    """Put the placeholder where this request's CSRF token was rendered."""
    return html.replace(generate_csrf(), TOKEN_MARK)


def with_token(html: str) -> str:
    """Put this request's CSRF token where the placeholder is."""
    return html.replace(TOKEN_MARK, csrf_token())
