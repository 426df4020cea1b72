"""The device a client uses: its long-lived cookie, and where a visit may send it next."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import current_app, request, url_for
from werkzeug.wrappers import Response

from ..practice import checkins

COOKIE = "intake_device"


def cookie() -> str:
    """Return this device's cookie, or "" when it has none yet."""
    return request.cookies.get(COOKIE, "")[:64]


def remember(response: Response, value: str | None = None) -> Response:
    """Give the device its cookie if it has none (a random id, for five years)."""
    if not cookie():
        response.set_cookie(
            COOKIE, value or secrets.token_urlsafe(16), max_age=5 * 365 * 24 * 3600,
            httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def throttle_id() -> str:
    """Return what wrong codes are counted under for this device: its cookie's hash."""
    value = cookie()
    return checkins.device_hash(value)[:32] if value else ""


def address() -> str:
    """Return the address the request comes from, as far as the deployment trusts proxies."""
    return (request.remote_addr or "")[:64]


def safe_next(target: str | None) -> str:
    """Return a path on this site to go back to; anything else goes to the welcome page."""
    if not target or len(target) > 200:
        return url_for("kiosk.welcome")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("kiosk.welcome")
    return target
