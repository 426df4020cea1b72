"""Response headers and calm error pages on every response, and refusals of hostile input."""

from __future__ import annotations

import sqlite3

from flask import Flask, Response, abort, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from .sealing import KeyFileError, SealError

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def set_headers(response: Response) -> Response:
    """Add the security headers; forbid caching of every page and of every answer."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if not request.path.startswith("/static/") or response.status_code >= 400:
        # A missing file's 404 is not kept either: the file may exist after a deploy.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


# Every id column is an INTEGER, 32 bits on PostgreSQL: larger numbers name nothing (and
# 2^63 or more cannot even be bound on SQLite).
LARGEST_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number no row can have is a 404, never a 500."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


def page_number(value: str | None) -> int:
    """Return a list's page number from a query argument: 1 unless a sensible number."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 6:
        return 1
    return max(1, int(value))


def _refuse_file_parts() -> None:
    """No page takes a file: a file part where a text field is expected is a bad request.

    (Flask-WTF would hand the file to the text field, whose validators then fail.)
    """
    if request.method == "POST" and request.files:
        abort(400)


def _render_error(status: int, message_key: str) -> tuple[str, int]:
    return render_template("errors/error.html", status=status, message_key=message_key), status


def init_app(app: Flask) -> None:
    """Install the headers, the error pages and the input guards (before any blueprint)."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(_refuse_file_parts)
    app.after_request(set_headers)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return _render_error(400, "csrf")

    @app.errorhandler(sqlite3.OperationalError)  # should one slip past database.py
    @app.errorhandler(OperationalError)
    def _database(error: Exception):
        # Disk full or a database locked past its time-out: nothing was half-written,
        # because the transaction rolled back. Say so calmly.
        app.logger.error("database unavailable: %s",
                         type(getattr(error, "orig", error)).__name__)
        return _render_error(503, "unavailable")

    @app.errorhandler(SealError)
    @app.errorhandler(KeyFileError)
    def _sealed(error: Exception):
        # A key file missing or a key removed too early, or a sealed text changed in the
        # database: nothing is lost, and the log says which (never any text).
        app.logger.error("sealed text unavailable: %s", error)
        return _render_error(503, "sealed")

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        keys = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "bad_request",
                413: "too_large", 429: "too_many"}
        return _render_error(error.code or 500, keys.get(error.code or 500, "server"))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        # repr() keeps control characters in a path from forging log lines; never form data.
        app.logger.exception("unexpected error on %s %r", request.method, request.path[:200])
        return _render_error(500, "server")
