"""Check-ins from the staff side: start one, show its code and QR, cancel it."""

from __future__ import annotations

import io

import segno
from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user

from ..models import CheckIn, CheckInState, Role, utcnow
from ..practice import checkins, clients, mail
from .blueprint import bp, requires, visible_client_or_404
from .client_views import client_page_with
from .forms import ActionForm, CheckInForm, EmailLinkForm


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
        return client_page_with(found.id, form), 400
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
    if found.state(utcnow()) is not CheckInState.WAITING:
        abort(404)  # in use, finished or over: the link is no longer for anyone
    buffer = io.BytesIO()
    segno.make(phone_link(found), error="m").save(
        buffer, kind="svg", scale=6, border=2, xmldecl=False, svgns=True,
        title=_("Check-in link"),
    )
    return Response(buffer.getvalue(), mimetype="image/svg+xml",
                    headers={"Cache-Control": "no-store"})


@bp.post("/check-ins/<int:check_in_id>/new-code")
def renew_check_in_code(check_in_id: int):
    found = _visible(check_in_id)
    if ActionForm().validate_on_submit() and checkins.renew_code(found.id, current_user.id):
        flash(_("A new code is ready. The old code and link no longer work."), "info")
    return redirect(url_for("staff.check_in", check_in_id=found.id))


@bp.post("/check-ins/<int:check_in_id>/cancel")
def cancel_check_in(check_in_id: int):
    found = _visible(check_in_id)
    if ActionForm().validate_on_submit() and checkins.cancel(found.id, current_user.id):
        flash(_("The check-in was cancelled. Its code and link no longer work."), "info")
    return redirect(url_for("staff.check_in", check_in_id=found.id))


@bp.post("/clients/<int:client_id>/email-intake")
@requires(Role.FRONTDESK, Role.ADMIN)
def email_intake_link(client_id: int):
    """Email the client their intake link, in their language; the address is not kept."""
    found = visible_client_or_404(client_id)
    smtp_url = current_app.config.get("SMTP_URL")
    form = EmailLinkForm()
    if not smtp_url:
        abort(404)
    if not form.validate_on_submit():
        return client_page_with(found.id, CheckInForm(formdata=None), email_form=form), 400
    try:
        mail.email_intake_link(found.id, form.address.data.strip(), current_user.id,
                               current_app.config["CHECKIN_LIFETIME"], smtp_url, phone_link)
    except mail.MailError:
        flash(_("The email could not be sent. Nothing was kept; please try again later, or "
                "give the client the code."), "error")
    else:
        flash(_("The intake link was emailed to the client."), "info")
    return redirect(url_for("staff.client", client_id=found.id))
