"""What every template can use: the practice's settings, dates in the viewer's language."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app
from flask_babel import format_date, format_datetime, format_time, get_locale
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
from .infra.i18n import display_name
from .models import Practice
from .questionnaires import REGISTRY


@dataclass(frozen=True)
class PracticeInfo:
    """What every page shows of the practice's settings."""

    name: str
    crisis_line: str
    emergency_number: str
    require_two_factor: bool = False
    timezone: str | None = None


# Read at most every few seconds per worker: every client page shows it, and it rarely
# changes. A change made by this worker is seen at once (see forget_practice).
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


def init_app(app: Flask) -> None:
    """Register the template helpers."""
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _helpers() -> dict:
        return {"practice": current_practice, "language_name": _language_name,
                "questionnaires": REGISTRY}

    @app.template_filter("datetime")
    def _datetime(value: datetime | None, style: str = "medium") -> str:
        return format_datetime(value, style) if value else ""

    @app.template_filter("time")
    def _time(value: datetime | None, style: str = "short") -> str:
        return format_time(value, style) if value else ""

    @app.template_filter("date")
    def _date(value: datetime | None, style: str = "medium") -> str:
        return format_date(value, style) if value else ""


def _language_name(code: str) -> str:
    return display_name(code, str(get_locale()))
