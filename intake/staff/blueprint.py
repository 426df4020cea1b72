"""The staff blueprint: every page needs a login, except the login page itself."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user

from ..models import Client
from ..practice import clients
from ..practice.accounts import Policy

bp = Blueprint("staff", __name__, url_prefix="/staff")

PUBLIC_ENDPOINTS = frozenset({"staff.login", "staff.login_code"})
# Where someone who must still set up two-factor sign-in may go.
SETUP_ENDPOINTS = frozenset({"staff.account", "staff.logout"})


@bp.before_request
def _require_login():
    """Deny by default: a new staff route is protected without anyone remembering to."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("staff.login"))
    if (not current_user.two_factor and request.endpoint not in SETUP_ENDPOINTS
            and two_factor_required()):
        return redirect(url_for("staff.account"))
    return None


def two_factor_required() -> bool:
    """Tell whether the practice requires two-factor sign-in of every staff member.

    Read with the login session on each request (practice/accounts.py), not from the
    settings kept per worker (templating.py): a rule turned on must hold on every worker
    at once.
    """
    return current_user.practice_requires_two_factor


def requires(*roles: str) -> Callable:
    """Let only staff with one of these roles through; others get a 404."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(404)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def visible_client_or_404(client_id: int) -> Client:
    """Return a client the logged-in staff member may see; anyone else's is a 404."""
    found = clients.get_visible_client(current_user, client_id)
    if found is None:
        abort(404)
    return found


def policy() -> Policy:
    """Return the login policy from the configuration."""
    config = current_app.config
    return Policy(
        max_failures=config["LOGIN_MAX_FAILURES"],
        lockout=config["LOGIN_LOCKOUT"],
        idle_timeout=config["STAFF_IDLE_TIMEOUT"],
        absolute_timeout=config["STAFF_ABSOLUTE_TIMEOUT"],
        hash_profile=config.get("PASSWORD_HASH_PROFILE", "RFC_9106_LOW_MEMORY"),
        failure_window=config["LOGIN_FAILURE_WINDOW"],
        lockout_max=config["LOGIN_LOCKOUT_MAX"],
        max_failures_per_address=config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
        address_window=config["LOGIN_ADDRESS_WINDOW"],
        address_lockout=config["LOGIN_ADDRESS_LOCKOUT"],
    )
