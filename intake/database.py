"""Connection settings and write transactions.

SQLite needs three things to keep every submission when many tablets write at
once: WAL and a busy timeout on every connection, and write transactions that
take the write lock when they begin (BEGIN IMMEDIATE). A deferred transaction
that has already read cannot wait for the lock, so it fails at once with
"database is locked". Nothing outside this module knows which database runs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .extensions import db

_immediate: ContextVar[bool] = ContextVar("immediate", default=False)

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
    "PRAGMA synchronous=FULL",
)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" hook below emit BEGIN, so it can choose IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return  # a single statement that reads: consistent on its own (see read_once)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")


@contextmanager
def write_transaction() -> Iterator[Session]:
    """Run the block in one write transaction that commits, or rolls back on error.

    Inside another write transaction, the block joins it: the outer one commits.
    """
    session = db.session()
    if _immediate.get() and session.in_transaction():
        yield session
        return
    if session.in_transaction():
        # End the request's read transaction, so that the write starts fresh.
        session.commit()
    token = _immediate.set(True)
    try:
        with session.begin():
            yield session
    finally:
        _immediate.reset(token)


def read_once(statement, params: dict) -> list:
    """Run one read-only statement outside any transaction and return its rows.

    For the hottest reads (a client page): one statement sees one consistent state by
    itself, so it needs neither BEGIN nor ROLLBACK, nor the ORM session.
    """
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        return connection.execute(statement, params).all()
