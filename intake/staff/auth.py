"""Log in and out."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import _
from flask_login import current_user, login_user, logout_user

from .. import accounts
from ..extensions import login_manager
from .blueprint import bp, policy
from .forms import LoginForm, LogoutForm


@login_manager.user_loader
def _load(token: str) -> accounts.SignedIn | None:
    return accounts.resume_session(token, policy())


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("staff.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        result, staff = accounts.authenticate(form.email.data, form.password.data, policy())
        if result is accounts.LoginResult.LOCKED:
            flash(_("Too many attempts for this account. Wait 15 minutes, or ask an admin."),
                  "error")
        elif staff is None:
            flash(_("The email or the password is not right."), "error")
        else:
            locale = session.get("locale")
            session.clear()  # a new session at login: nothing carried from before
            if locale:
                session["locale"] = locale
            staff.session_token = accounts.start_session(staff)
            login_user(staff)
            return redirect(url_for("staff.dashboard"))
    return render_template("staff/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        accounts.end_session(current_user.session_token)
        logout_user()
        session.clear()
        flash(_("You have logged out."), "info")
    return redirect(url_for("staff.login"))
