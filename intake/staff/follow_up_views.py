"""The coordinator's follow-ups: clients who would prefer a different therapist (admins only)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user

from ..models import Role
from ..practice import follow_ups
from .blueprint import bp, requires
from .forms import ActionForm


@bp.get("/admin/follow-ups")
@requires(Role.ADMIN)
def admin_follow_ups():
    return render_template("staff/admin/follow_ups.html", rows=follow_ups.follow_up_list(),
                           action=ActionForm())


@bp.post("/admin/follow-ups/<int:follow_up_id>")
@requires(Role.ADMIN)
def admin_follow_up_state(follow_up_id: int):
    state = request.form.get("state", "")
    if not ActionForm().validate_on_submit() or state not in follow_ups.STATES:
        abort(400)
    try:
        if follow_ups.change_state(current_user.id, follow_up_id, state):
            flash(_("The follow-up was updated."), "info")
    except follow_ups.FollowUpNotFound:
        abort(404)
    return redirect(url_for("staff.admin_follow_ups"))
