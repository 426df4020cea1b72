"""Test databases: SQLite files by default; PostgreSQL when INTAKE_TEST_POSTGRES is set.

Each test starts from a copy of one database built by the real migrations: with
SQLite's online backup API, or with PostgreSQL's CREATE DATABASE ... TEMPLATE.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import time
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
    name = f"intake_test_{os.getpid()}_{next(_counter)}"
    engine = _admin()
    with engine.connect() as connection:
        connection.execute(text(
            f'CREATE DATABASE "{name}" TEMPLATE "{template.rsplit("/", 1)[1]}"'))
    engine.dispose()
    return f"{POSTGRES}/{name}"


def drop(url: str) -> None:
    """Remove a test database (SQLite files go with pytest's temporary folders)."""
    if not url.startswith("postgresql"):
        return
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
