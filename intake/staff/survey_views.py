"""Periodic surveys from the staff side: the due list, and a client's own schedule."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user

from ..models import Role, utcnow
from ..practice import surveys
from .blueprint import bp, requires, visible_client_or_404
from .forms import ActionForm, ScheduleForm


@bp.get("/surveys")
def surveys_due():
    return render_template("staff/surveys_due.html", rows=surveys.due_list(current_user, utcnow()),
                           action=ActionForm())


@bp.post("/clients/<int:client_id>/survey-schedule")
@requires(Role.THERAPIST, Role.ADMIN)
def survey_schedule(client_id: int):
    found = visible_client_or_404(client_id)
    form = ScheduleForm()
    if form.validate_on_submit():
        mode = None if form.mode.data == "default" else form.mode.data
        surveys.set_client_schedule(current_user.id, found.id, mode, form.interval.data)
        flash(_("The survey schedule was saved."), "info")
    else:
        flash(_("Please choose a schedule, and a number from 1 to 52 where one is needed."),
              "error")
    return redirect(url_for("staff.client", client_id=found.id, _anchor="survey-schedule"))
