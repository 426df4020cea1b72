"""What every template can use: the practice's settings, dates in the viewer's language."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, g
from flask_babel import format_date, format_datetime, get_locale
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
from .i18n import display_name
from .models import Practice
from .questionnaires import REGISTRY


def current_practice() -> Practice | None:
    """Return the practice's settings, read once per request."""
    if "practice" not in g:
        try:
            g.practice = db.session.scalar(select(Practice).limit(1))
        except SQLAlchemyError:
            # Error pages must render even when the database cannot answer.
            db.session.rollback()
            g.practice = None
    return g.practice


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

    @app.template_filter("date")
    def _date(value: datetime | None, style: str = "medium") -> str:
        return format_date(value, style) if value else ""


def _language_name(code: str) -> str:
    return display_name(code, str(get_locale()))
