"""Test databases: SQLite files by default; PostgreSQL when INTAKE_TEST_POSTGRES is set.

Each test starts from a copy of one database built by the real migrations: with
SQLite's online backup API, or with PostgreSQL's CREATE DATABASE ... TEMPLATE. A
PostgreSQL copy takes the server a few hundred milliseconds, so the next test's copy is
made in a thread while the current test runs, and a used copy is dropped the same way.
"""

from __future__ import annotations

import atexit
import itertools
import os
import sqlite3
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

POSTGRES = os.environ.get("INTAKE_TEST_POSTGRES", "")  # e.g. postgresql+psycopg://u:p@host
_counter = itertools.count()


def is_postgres() -> bool:
    return bool(POSTGRES)


def _admin():
    engine = create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    return engine


def template_url(directory: Path, purpose: str = "template") -> str:
    """Return the URL of an empty database for the migrations to build."""
    if not POSTGRES:
        return f"sqlite:///{directory / f'{purpose}.sqlite'}"
    name = f"intake_{purpose}_{os.getpid()}"
    engine = _admin()
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"{POSTGRES}/{name}"


def copy(template: str, directory: Path) -> str:
    """Return the URL of a fresh copy of the migrated template."""
    if not POSTGRES:
        path = directory / "intake.sqlite"
        source = sqlite3.connect(template.removeprefix("sqlite:///"))
        target = sqlite3.connect(path)
        with target:
            source.backup(target)  # SQLite's online backup API, never a file copy
        source.close()
        target.close()
        return f"sqlite:///{path}"
    return _ahead.take(template)


def _create_copy(template: str) -> str:
    name = f"intake_test_{os.getpid()}_{next(_counter)}"
    engine = _admin()
    with engine.connect() as connection:
        connection.execute(text(
            f'CREATE DATABASE "{name}" TEMPLATE "{template.rsplit("/", 1)[1]}"'))
    engine.dispose()
    return f"{POSTGRES}/{name}"


class _Ahead:
    """The server's own work done while a test runs: the next copy of a template is made,
    and used copies are dropped, in one background thread (in order, so that a template
    is dropped only after every copy made from it). A drop that failed fails the next
    test's setup."""

    def __init__(self):
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-databases")
        self._next: dict[str, Future] = {}
        self._copies: set[str] = set()
        self._drops: list[Future] = []

    def take(self, template: str) -> str:
        for done in [drop for drop in self._drops if drop.done()]:
            self._drops.remove(done)
            done.result()
        ready = self._next.pop(template, None)
        url = ready.result() if ready is not None else _create_copy(template)
        self._next[template] = self._worker.submit(_create_copy, template)
        self._copies.add(url)
        return url

    def drop(self, url: str) -> None:
        if url in self._copies:
            self._copies.discard(url)
            self._drops.append(self._worker.submit(_drop_now, url))
            return
        ahead = self._next.pop(url, None)  # a template: its unused copy goes first
        if ahead is not None:
            self._worker.submit(_drop_now, ahead.result())
        self._worker.submit(_drop_now, url).result()

    def close(self) -> None:
        for template in list(self._next):
            self._worker.submit(_drop_now, self._next.pop(template).result())
        self._worker.shutdown(wait=True)


_ahead = _Ahead()
atexit.register(_ahead.close)


def drop(url: str) -> None:
    """Remove a test database (SQLite files go with pytest's temporary folders)."""
    if url.startswith("postgresql"):
        _ahead.drop(url)


def _drop_now(url: str) -> None:
    engine = _admin()
    statement = text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    for attempt in range(20):
        try:
            with engine.connect() as connection:
                connection.execute(statement)
            break
        except ProgrammingError:
            # An autovacuum worker (the server's own role) cannot be forced out: it ends soon.
            if attempt == 19:
                raise
            time.sleep(0.25)
    engine.dispose()
