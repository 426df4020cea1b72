"""What every template can use: the practice's settings, dates in the viewer's language."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_time

from .infra import keeping
from .infra.i18n import language_name
from .practice.settings import current_practice
from .questionnaires import REGISTRY


def init_app(app: Flask) -> None:
    """Register the template helpers."""
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # Client pages show the practice's help numbers: a kept page depends on them.
    keeping.add_source("practice", current_practice)

    @app.context_processor
    def _helpers() -> dict:
        return {"practice": current_practice, "language_name": language_name,
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

