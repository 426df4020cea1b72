"""Backups of the embedded SQLite database, with SQLite's online backup API.

Copying the live file can catch a write half done (and misses what is still in the
WAL); the backup API copies a consistent snapshot while tablets keep writing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..extensions import db


class BackupError(RuntimeError):
    """A backup cannot be made as asked."""


def backup_sqlite(target: Path) -> int:
    """Copy the live SQLite database to `target`; return the number of pages copied."""
    if db.engine.dialect.name != "sqlite":
        raise BackupError("this database is not SQLite: use its own tools (pg_dump)")
    target = target.resolve()
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new file")
    source_path = db.engine.url.database
    if not source_path or source_path == ":memory:":
        raise BackupError("the database is not a file")
    source = sqlite3.connect(source_path, timeout=10)
    destination = sqlite3.connect(target)
    pages = 0

    def progress(status, remaining, total):
        nonlocal pages
        pages = total

    try:
        with destination:
            # A few hundred pages at a time, so that writers are never held up for long.
            source.backup(destination, pages=256, progress=progress)
        check = destination.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the copy failed its integrity check: {check}")
    finally:
        destination.close()
        source.close()
    target.chmod(0o600)  # health data: the owner only
    return pages
