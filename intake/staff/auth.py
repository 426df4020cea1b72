"""Log in (a password, then a code for those who use two-factor sign-in) and out."""

from __future__ import annotations

import time

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from ..extensions import db, login_manager
from ..models import Role, Staff, utcnow
from ..practice import accounts, two_factor
from .blueprint import bp, policy
from .forms import CodeForm, LoginForm, LogoutForm

# Between the password and the code, the session holds only who is half-way in, and since when.
PENDING_KEY = "two_factor_pending"
PENDING_SECONDS = 300


@login_manager.user_loader
def _load(token: str) -> accounts.SignedIn | None:
    return accounts.resume_session(token, policy())


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("staff.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        result, staff = accounts.authenticate(form.email.data, form.password.data, policy(),
                                              address=request.remote_addr)
        if result is accounts.LoginResult.ADDRESS_LOCKED:
            flash(_("Too many wrong attempts from this network. Please wait an hour and "
                    "try again."), "error")
        elif staff is None:
            # The same words for an unknown email, a wrong password and a locked account.
            flash(_("The email or the password is not right. After several wrong tries an "
                    "account waits a while: try again later, or ask an admin."), "error")
        elif staff.totp_secret and accounts.codes_locked(staff, utcnow()):
            flash(_locked_message(), "error")  # the password was right: the lock may be said
        elif staff.totp_secret:
            _fresh_session()
            session[PENDING_KEY] = {"staff": staff.id, "at": time.time()}
            if staff.locale and "locale" not in session:
                session["locale"] = staff.locale  # the code step in their own language
            return redirect(url_for("staff.login_code"))
        else:
            return _sign_in(staff)
    return render_template("staff/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    staff = _pending_staff()
    if staff is None:
        session.pop(PENDING_KEY, None)
        flash(_("Please log in again."), "info")
        return redirect(url_for("staff.login"))
    form = CodeForm()
    if form.validate_on_submit():
        now = utcnow()
        if accounts.codes_locked(staff, now):
            # Only someone who knew the password gets here: the lock may be said.
            session.pop(PENDING_KEY, None)
            flash(_locked_message(), "error")
            return redirect(url_for("staff.login"))
        if two_factor.accept(staff, form.code.data, now):
            return _sign_in(staff)
        accounts.record_code_failure(staff.id, policy(), now)
        form.refuse()
    return render_template("staff/login_code.html", form=form)


def _pending_staff() -> Staff | None:
    """Return the account whose password was right a moment ago, if it may still go on."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    staff = db.session.get(Staff, pending.get("staff"))
    if staff is None or not staff.is_enabled or not staff.totp_secret:
        return None
    return staff


def _locked_message() -> str:
    return _("Too many attempts for this account. Wait a while (up to an hour), or ask an "
             "admin.")


def _fresh_session() -> None:
    """Start a new session, keeping only the chosen language: nothing carried from before."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def _sign_in(staff: Staff) -> Response:
    _fresh_session()
    staff.session_token = accounts.start_session(staff)
    login_user(staff)
    # The front desk starts its day on Today; the others on their clients.
    return redirect(url_for("staff.today" if staff.role == Role.FRONTDESK else "staff.dashboard"))


@bp.route("/logout", methods=["POST"])
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        accounts.end_session(current_user.session_token)
        logout_user()
        session.clear()
        flash(_("You have logged out."), "info")
    return redirect(url_for("staff.login"))
