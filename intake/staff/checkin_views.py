"""Check-ins from the staff side: start one, show its code and QR, cancel it."""

from __future__ import annotations

import io

import segno
from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user

from ..models import CheckIn, utcnow
from ..practice import checkins, clients
from .blueprint import bp, visible_client_or_404
from .forms import ActionForm, CheckInForm


def _visible(check_in_id: int) -> CheckIn:
    found = clients.get_visible_check_in(current_user, check_in_id)
    if found is None:
        abort(404)
    return found


def phone_link(check_in: CheckIn) -> str:
    """Return the absolute link a phone opens, on the configured address only.

    Never the request's Host or X-Forwarded-Host: a forged one would put another site
    in the client's link and QR code.
    """
    token = checkins.link_token(check_in, current_app.config["SECRET_KEY"])
    return current_app.config["BASE_URL"] + url_for("kiosk.link", token=token)


@bp.post("/clients/<int:client_id>/check-ins")
def start_check_in(client_id: int):
    found = visible_client_or_404(client_id)
    form = CheckInForm()
    if not form.validate_on_submit():
        flash(_("Please choose a questionnaire."), "error")
        return redirect(url_for("staff.client", client_id=client_id))
    check_in = checkins.create_check_in(
        found.id, form.questionnaire.data, current_app.config["CHECKIN_LIFETIME"],
        created_by_id=current_user.id,
    )
    return redirect(url_for("staff.check_in", check_in_id=check_in.id))


@bp.get("/check-ins/<int:check_in_id>")
def check_in(check_in_id: int):
    found = _visible(check_in_id)
    return render_template("staff/check_in.html", check_in=found, link=phone_link(found),
                           state=found.state(utcnow()), action=ActionForm())


@bp.get("/check-ins/<int:check_in_id>/qr.svg")
def check_in_qr(check_in_id: int):
    found = _visible(check_in_id)
    buffer = io.BytesIO()
    segno.make(phone_link(found), error="m").save(
        buffer, kind="svg", scale=6, border=2, xmldecl=False, svgns=True,
        title=_("Check-in link"),
    )
    return Response(buffer.getvalue(), mimetype="image/svg+xml",
                    headers={"Cache-Control": "no-store"})


@bp.post("/check-ins/<int:check_in_id>/cancel")
def cancel_check_in(check_in_id: int):
    found = _visible(check_in_id)
    if ActionForm().validate_on_submit() and checkins.cancel(found.id, current_user.id):
        flash(_("The check-in was cancelled. Its code and link no longer work."), "info")
    return redirect(url_for("staff.check_in", check_in_id=found.id))
