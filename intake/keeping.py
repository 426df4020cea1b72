"""Things made from the database, kept per worker under a key naming all they depend on.

A kept thing is never stale: its key holds everything it was made from (a revision
number, the viewer, the language, the minute), so a change makes a new key and the
old entry simply ages out. Pages are kept with a placeholder for the CSRF token,
which is put back for each request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app
from flask_wtf.csrf import generate_csrf

TOKEN_MARK = "\x00csrf-token\x00"  # noqa: S105  (a placeholder, not a secret)


class Shelf:
    """A bounded store per worker: the least recently used entry goes first."""

    def __init__(self, name: str, size: int):
        self.name = f"intake.shelf.{name}"
        self.size = size
        self._lock = threading.Lock()

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
        """Forget everything kept (after erasing a client, for instance)."""
        with self._lock:
            self._store().clear()

    def _store(self) -> OrderedDict:
        return current_app.extensions.setdefault(self.name, OrderedDict())


def without_token(html: str) -> str:
    """Put the placeholder where this request's CSRF token was rendered."""
    return html.replace(generate_csrf(), TOKEN_MARK)


def with_token(html: str) -> str:
    """Put this request's CSRF token where the placeholder is."""
    return html.replace(TOKEN_MARK, generate_csrf())
