"""The practice's settings as every page shows them: its name and help numbers.

Read at most every few seconds per worker: every client page shows them, and they rarely
change. A change made by this worker is seen at once (see forget_practice).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models import Practice


@dataclass(frozen=True)
class PracticeInfo:
    """What every page shows of the practice's settings."""

    name: str
    crisis_line: str
    emergency_number: str
    require_two_factor: bool = False
    timezone: str | None = None


_CACHE_SECONDS = 15.0
_CACHE_KEY = "intake.practice"


def current_practice() -> PracticeInfo | None:
    """Return the practice's name and help numbers."""
    now = time.monotonic()
    cached = current_app.extensions.get(_CACHE_KEY)
    if cached and cached[0] > now:
        return cached[1]
    try:
        row = db.session.execute(
            select(Practice.name, Practice.crisis_line, Practice.emergency_number,
                   Practice.require_two_factor, Practice.timezone).limit(1)
        ).first()
    except SQLAlchemyError:
        # Error pages must render even when the database cannot answer.
        db.session.rollback()
        return None
    info = PracticeInfo(*row) if row else None
    current_app.extensions[_CACHE_KEY] = (now + _CACHE_SECONDS, info)
    return info


def practice_timezone() -> str:
    """Return the time zone staff pages show times in: the practice's, else the default."""
    info = current_practice()
    return (info and info.timezone) or current_app.config["TIMEZONE"]


def forget_practice() -> None:
    """Drop the cached settings after they change."""
    current_app.extensions.pop(_CACHE_KEY, None)


