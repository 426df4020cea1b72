"""Appointments from the staff side: add, move, cancel, mark, and start a check-in for one.

The front desk and admins do all of it; a therapist may add appointments for their own
clients and start their check-ins. Another appointment at the same time is a warning.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import _, format_datetime
from flask_login import current_user

from ..models import Appointment, Role, utcnow
from ..practice import appointments, checkins, rooms
from ..practice.appointments import AppointmentError, Conflict
from ..practice.checkins import CheckInError
from .blueprint import bp, requires, visible_client_or_404
from .forms import ActionForm, AppointmentForm, MarkForm

DESK = (Role.FRONTDESK, Role.ADMIN)


def _visible(appointment_id: int) -> Appointment:
    found = appointments.visible_appointment(current_user, appointment_id)
    if found is None:
        abort(404)
    return found


def _form(**data) -> AppointmentForm:
    form = AppointmentForm(**data)
    form.set_rooms(room for room in rooms.list_rooms()
                   if room.is_active or str(room.id) == (form.room.data or ""))
    return form


def _start(form: AppointmentForm):
    """Return the UTC start the form asks for, or None with the reason on the form."""
    try:
        return appointments.to_utc(form.local_start(), appointments.practice_zone())
    except AppointmentError as error:
        form.time.errors.append(str(error))
        return None


def _warn(conflicts: list[Conflict]) -> None:
    for conflict in conflicts:
        when = format_datetime(conflict.starts_at, "short")
        if conflict.same_therapist and conflict.same_room:
            message = _("The therapist and the room are already taken at that time: "
                        "%(reference)s at %(time)s.", reference=conflict.reference, time=when)
        elif conflict.same_therapist:
            message = _("The therapist already has an appointment at that time: "
                        "%(reference)s at %(time)s.", reference=conflict.reference, time=when)
        else:
            message = _("The room is already taken at that time: %(reference)s at %(time)s.",
                        reference=conflict.reference, time=when)
        flash(message, "warning")


@bp.route("/clients/<int:client_id>/appointments/new", methods=["GET", "POST"])
def new_appointment(client_id: int):
    found = visible_client_or_404(client_id)
    zone = appointments.practice_zone()
    today = utcnow().astimezone(zone)
    form = _form(data={"day": today.date(), "minutes": appointments.default_minutes()})
    if form.validate_on_submit() and (starts_at := _start(form)) is not None:
        try:
            outcome = appointments.add(
                found.id, starts_at, minutes=form.minutes.data,
                room_id=int(form.room.data) if form.room.data else None,
                kind=form.kind.data, actor_id=current_user.id)
        except AppointmentError as error:
            form.time.errors.append(str(error))
        else:
            flash(_("Appointment added."), "info")
            _warn(outcome.conflicts)
            return redirect(url_for("staff.appointment", appointment_id=outcome.appointment.id))
    return render_template("staff/appointment_new.html", form=form, client=found,
                           zone=zone.key)


@bp.route("/appointments/<int:appointment_id>", methods=["GET", "POST"])
def appointment(appointment_id: int):
    if request.method == "POST" and not current_user.has_role(*DESK):
        abort(404)
    found = _visible(appointment_id)
    zone = appointments.practice_zone()
    local = found.starts_at.astimezone(zone)
    form = None
    if current_user.has_role(*DESK):
        form = _form(data={"day": local.date(), "time": local.time(), "minutes": found.minutes,
                           "room": str(found.room_id or ""), "kind": found.kind})
        if form.validate_on_submit() and (starts_at := _start(form)) is not None:
            try:
                outcome = appointments.move(
                    found.id, starts_at, minutes=form.minutes.data,
                    room_id=int(form.room.data) if form.room.data else None,
                    kind=form.kind.data, actor_id=current_user.id)
            except AppointmentError as error:
                form.time.errors.append(str(error))
            else:
                flash(_("Appointment moved."), "info")
                _warn(outcome.conflicts)
                return redirect(url_for("staff.appointment", appointment_id=found.id))
    return render_template("staff/appointment.html", appointment=found, form=form,
                           mark=MarkForm(formdata=None, data={"state": found.state}),
                           action=ActionForm(), zone=zone.key,
                           check_ins=checkins.for_appointment(found.id), now=utcnow())


@bp.post("/appointments/<int:appointment_id>/cancel")
@requires(*DESK)
def cancel_appointment(appointment_id: int):
    found = _visible(appointment_id)
    if ActionForm().validate_on_submit() and appointments.cancel(found.id, current_user.id):
        flash(_("The appointment was cancelled."), "info")
    return redirect(url_for("staff.appointment", appointment_id=found.id))


@bp.post("/appointments/<int:appointment_id>/mark")
@requires(*DESK)
def mark_appointment(appointment_id: int):
    found = _visible(appointment_id)
    form = MarkForm()
    if form.validate_on_submit() and appointments.mark(found.id, form.state.data,
                                                       current_user.id):
        flash(_("The appointment's state was saved."), "info")
    return redirect(url_for("staff.appointment", appointment_id=found.id))


@bp.post("/appointments/<int:appointment_id>/check-in")
def start_appointment_check_in(appointment_id: int):
    """Start (or show, when one is open) the check-in this appointment needs now."""
    found = _visible(appointment_id)
    form = ActionForm()
    wanted = checkins.needed_now(found.id, utcnow())
    if not form.validate_on_submit() or wanted is None:
        return redirect(url_for("staff.today"))
    try:
        check_in = checkins.start_for_appointment(
            found.id, wanted, current_app.config["CHECKIN_LIFETIME"], current_user.id)
    except CheckInError:
        flash(_("This appointment was cancelled: no check-in can start for it."), "error")
        return redirect(url_for("staff.today"))
    return redirect(url_for("staff.check_in", check_in_id=check_in.id))
