"""A staff member's own account: setting up and turning off two-factor sign-in.

While the app is being set up, the new secret travels in the form, signed and bound to
the account, so nothing is stored before the first right code proves the app has it.
"""

from __future__ import annotations

import segno
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup

from ..extensions import db
from ..models import Staff, utcnow
from ..practice import accounts, two_factor
from ..practice.settings import current_practice
from .blueprint import bp, policy, two_factor_required
from .forms import CodeForm, EnrolForm

SETUP_SECONDS = 15 * 60


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="intake.two-factor")


@bp.route("/account", methods=["GET", "POST"])
def account():
    me = db.session.get(Staff, current_user.id)
    if me.totp_secret:
        return _turn_off(me)
    form = EnrolForm()
    secret = None
    if form.validate_on_submit():
        secret = _unsigned(form.secret.data, me.id)
        if secret is None:
            flash(_("This page was open for a long time. Please scan the new code."), "info")
            return redirect(url_for("staff.account"))
        if two_factor.turn_on(me.id, secret, form.code.data, utcnow()):
            flash(_("Two-factor sign-in is on. From now on, you log in with your password "
                    "and a code from the app."), "info")
            return redirect(url_for("staff.dashboard"))
        form.code.errors.append(_("This code is not right. Check that the app shows the "
                                  "code for this account, and type the one it shows now."))
    secret = secret or two_factor.new_secret()
    form.secret.data = _signer().dumps({"staff": me.id, "secret": secret})
    practice = current_practice()
    issuer = practice.name if practice else "intake"
    uri = two_factor.provisioning_uri(secret, me.email, issuer)
    # segno's SVG holds only the modules' path data, nothing typed by anyone.
    qr = Markup(segno.make(uri, error="m").svg_inline(scale=4, border=2))  # noqa: S704
    return render_template("staff/account.html", form=form, qr=qr, required=two_factor_required(),
                           secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)))


def _unsigned(token: str, staff_id: int) -> str | None:
    try:
        data = _signer().loads(token, max_age=SETUP_SECONDS)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("staff") != staff_id:
        return None
    secret = data.get("secret")
    return secret if isinstance(secret, str) else None


def _turn_off(me: Staff):
    form = CodeForm()
    if not two_factor_required() and form.validate_on_submit():
        now = utcnow()
        if two_factor.accept(me, form.code.data, now):
            two_factor.turn_off(me.id, me.id)
            flash(_("Two-factor sign-in is off. You log in with your password alone."),
                  "info")
            return redirect(url_for("staff.account"))
        accounts.record_code_failure(me.id, policy(), now)
        form.refuse()
    return render_template("staff/account.html", form=form, enrolled=True,
                           required=two_factor_required())
