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

from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from ..extensions import db

_immediate: ContextVar[bool] = ContextVar("immediate", default=False)
_no_wait: ContextVar[bool] = ContextVar("no_wait", default=False)

# The busy time-out (how long a write waits for the lock) comes from the connection's
# `timeout` (config.py: DATABASE_LOCK_TIMEOUT, below the server's worker time-out).
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
    # After each checkpoint the log is cut back to 4 MB: on a small or full volume it
    # never keeps more than that, so freeing space is enough to recover.
    "PRAGMA journal_size_limit=4194304",
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


try:
    import psycopg

    _POSTGRES_ERROR: type[Exception] = psycopg.Error
except ImportError:  # SQLite only: the postgres extra is not installed
    _POSTGRES_ERROR = type("NoPostgresError", (Exception,), {})


@contextmanager
def _as_sqlalchemy_error(statement: str, invalidate=None) -> Iterator[None]:
    """Raise the driver's own errors as SQLAlchemy's, which the calm 503 page answers.

    For what runs on the DBAPI connection, outside SQLAlchemy's error wrapping: a
    database locked past the busy time-out, or full, arrived as a raw sqlite3 error; a
    PostgreSQL lock or statement time-out, or a lost server, as a raw psycopg one. A
    connection the server dropped is invalidated (`invalidate`), so the pool opens a new
    one rather than handing the dead one to the next request.
    """
    try:
        yield
    except sqlite3.OperationalError as error:
        raise OperationalError(statement, None, error) from error
    except _POSTGRES_ERROR as error:
        if invalidate is not None and getattr(error, "sqlstate", None) is None:
            invalidate(error)  # no SQLSTATE: the connection itself failed
        raise DBAPIError.instance(statement, None, error, _POSTGRES_ERROR) from error


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    # On the DBAPI connection itself: SQLAlchemy's execution path costs more than BEGIN.
    begin = "BEGIN IMMEDIATE" if _immediate.get() else "BEGIN"
    dbapi_connection = connection.connection.dbapi_connection
    with _as_sqlalchemy_error(begin):
        if not _no_wait.get():
            dbapi_connection.execute(begin)
            return
        waits = dbapi_connection.execute("PRAGMA busy_timeout").fetchone()[0]
        dbapi_connection.execute("PRAGMA busy_timeout=0")
        try:
            dbapi_connection.execute(begin)
        finally:
            dbapi_connection.execute(f"PRAGMA busy_timeout={int(waits)}")


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


@contextmanager
def write_if_free() -> Iterator[Session]:
    """A write transaction that does not wait for a lock another writer holds.

    For bookkeeping a page can do without (a login session's idle clock): rather than
    keep a reader waiting behind a writer, it raises OperationalError at once.
    """
    token = _no_wait.set(True)
    try:
        with write_transaction() as session:
            if session.get_bind().dialect.name != "sqlite":
                session.execute(text("SET LOCAL lock_timeout = '1ms'"))
            yield session
    finally:
        _no_wait.reset(token)


@contextmanager
def write_connection() -> Iterator[Connection]:
    """One write transaction on a connection of its own, without the ORM session.

    For the hottest writes (a saved step, a look at a brief): no ORM bookkeeping, and
    the request's own session is left as it was. Only this connection's BEGIN takes the
    write lock: reads made meanwhile through the session stay deferred.
    """
    with db.engine.connect() as connection:
        token = _immediate.set(True)
        try:
            transaction = connection.begin()
        finally:
            _immediate.reset(token)
        with transaction:
            yield connection


_NO_DISK_WAIT = text("SET LOCAL synchronous_commit = off")


def commit_without_waiting_for_disk(connection: Connection) -> None:
    """Let this write transaction commit without waiting for the disk: for what can be
    typed again (a draft step) or is bookkeeping (a look at a brief).

    On PostgreSQL, `synchronous_commit = off` for this transaction only: a crash of the
    database server itself may lose the last fraction of a second of such commits; a
    killed worker loses nothing, and the server never loses them half-done. That is what
    SQLite's `synchronous=NORMAL` already risks on a power cut, so both databases keep
    the same promise. A submission, its alerts and every change staff make still wait.
    """
    if connection.dialect.name == "postgresql":
        run(connection, _NO_DISK_WAIT, {})


def read_once(statement, params: dict) -> list:
    """Run one read-only statement outside any transaction and return its rows.

    For the hottest reads (every client and staff page): one statement sees one
    consistent state by itself, so it needs no BEGIN, no ORM session and none of the
    execution machinery: the statement is compiled once and its SQL run on the pooled
    DBAPI connection, with the columns' own type conversions both ways. On PostgreSQL the
    connection runs it in autocommit, so the read is one round trip (no BEGIN, and no
    ROLLBACK when the connection goes back to the pool).
    """
    connection = db.engine.raw_connection()
    try:
        dbapi_connection = connection.dbapi_connection
        with _as_sqlalchemy_error("read"):
            if db.engine.dialect.name == "sqlite":
                return _Compiled.of(statement).run(dbapi_connection, params)
            dbapi_connection.autocommit = True
            try:
                rows = _Compiled.of(statement).run(dbapi_connection, params)
            except BaseException:
                connection.invalidate()  # never back to the pool in autocommit
                raise
            dbapi_connection.autocommit = False
            return rows
    finally:
        connection.close()


def run(connection: Connection, statement, params: dict | list[dict]) -> list:
    """Run a prebuilt statement in the connection's open transaction; return any rows.

    The write path of a saved step: the compiled SQL on the DBAPI connection (a list of
    parameter sets runs as executemany), as read_once does.
    """
    if params == []:
        return []
    with _as_sqlalchemy_error("write", connection.invalidate):
        return _Compiled.of(statement).run(connection.connection.dbapi_connection, params)


class _Compiled:
    """A statement compiled once for the engine's database, with its parameter and result
    conversions (SQLite takes positional parameters, psycopg named ones)."""

    _known: dict[int, _Compiled] = {}

    def __init__(self, statement, dialect):
        compiled = statement.compile(dialect=dialect)
        self.statement = statement  # held, so that its id is never reused
        self.sql = compiled.string
        self.order = compiled.positiontup
        self.binds = {name: (bind.type.dialect_impl(dialect).bind_processor(dialect), bind.value)
                      for name, bind in compiled.binds.items()}
        self.results = [column.type.dialect_impl(dialect).result_processor(dialect, None)
                        for column in getattr(statement, "selected_columns", ())]

    @classmethod
    def of(cls, statement) -> _Compiled:
        known = cls._known.get(id(statement))
        if known is None:
            known = cls._known[id(statement)] = cls(statement, db.engine.dialect)
        return known

    def run(self, dbapi_connection, params: dict | list[dict]) -> list[tuple]:
        cursor = dbapi_connection.cursor()
        if isinstance(params, list):
            cursor.executemany(self.sql, [self._values(one) for one in params])
            return []
        cursor.execute(self.sql, self._values(params))
        if cursor.description is None:  # an UPDATE or INSERT without RETURNING
            return []
        found = cursor.fetchall()
        if not any(self.results):
            return found
        return [tuple(process(value) if process else value
                      for process, value in zip(self.results, row, strict=True))
                for row in found]

    def _values(self, params: dict) -> list | dict:
        if self.order is None:  # named parameters
            return {name: self._value(name, params) for name in self.binds}
        return [self._value(name, params) for name in self.order]

    def _value(self, name: str, params: dict):
        process, default = self.binds[name]
        value = params.get(name, default)
        return process(value) if process else value


def insert_if_missing(session: Session, model, values: dict) -> None:
    """Insert a row unless one with the same key exists, in one statement on either
    database: two requests making the same row at once never fail on the second."""
    dialect = session.get_bind().dialect.name
    insert = (sqlite if dialect == "sqlite" else postgresql).insert(model)
    session.execute(insert.values(**values).on_conflict_do_nothing())


_UPSERTS: dict[tuple, object] = {}


def upsert(model, keys: list[str], changing: list[str]):
    """Return an INSERT that updates the `changing` columns when the `keys` already exist.

    Execute it with one dict of values: one statement, no read first, on either database.
    """
    dialect = db.engine.dialect.name
    cache_key = (model, dialect, tuple(keys), tuple(changing))
    if cache_key not in _UPSERTS:
        insert = (sqlite if dialect == "sqlite" else postgresql).insert(model)
        _UPSERTS[cache_key] = insert.on_conflict_do_update(
            index_elements=keys, set_={name: insert.excluded[name] for name in changing})
    return _UPSERTS[cache_key]
