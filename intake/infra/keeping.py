"""Things made from the database, kept per worker under a key naming all they depend on.

A kept thing is never stale: its key holds everything it was made from (a revision
number, the viewer, the language, the minute), so a change makes a new key and the
old entry simply ages out. Pages are kept with a placeholder for the CSRF token,
which is put back for each request.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app, session
from flask_wtf.csrf import generate_csrf

TOKEN_MARK = "\x00csrf-token\x00"  # noqa: S105  (a placeholder, not a secret)


class Shelf:
    """A bounded store per worker: the least recently used entry goes first."""

    every: list[Shelf] = []

    def __init__(self, name: str, size: int):
        self.name = f"intake.shelf.{name}"
        self.size = size
        self._lock = threading.Lock()
        Shelf.every.append(self)

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """Return what is kept under this key, making it the first time."""
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
