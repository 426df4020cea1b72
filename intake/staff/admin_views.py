"""The admin's pages: practice settings, staff accounts, rooms, and reassigning a client.

Every route here is for admins only; everyone else gets a 404, as if it did not exist.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import _, ngettext
from flask_login import current_user

from ..models import Client, Role, Room, Staff
from ..practice import admin, rooms, two_factor
from .admin_forms import (
    MoveClientsForm,
    PasswordForm,
    PracticeForm,
    ReassignForm,
    RoleForm,
    RoomForm,
    StaffDetailsForm,
    StaffForm,
)
from .blueprint import bp, policy, requires, visible_client_or_404
from .forms import ActionForm, unread_language


@bp.context_processor
def _reassign_helper() -> dict:
    """Let templates/staff/_reassign.html build its own form wherever it is included."""

    def reassign_form(client: Client) -> ReassignForm:
        return ReassignForm(formdata=None, therapist=client.therapist_id)

    return {"reassign_form": reassign_form}


# Practice settings


@bp.route("/admin/settings", methods=["GET", "POST"])
@requires(Role.ADMIN)
def admin_settings():
    form = PracticeForm(obj=admin.practice_settings())
    if form.validate_on_submit():
        admin.update_practice(current_user.id, form.settings(), current_app.config["LOCALES"])
        flash(_("The practice settings were saved."), "info")
        return redirect(url_for("staff.admin_settings"))
    return render_template("staff/admin/settings.html", form=form)


# Staff


@bp.route("/admin/staff", methods=["GET", "POST"])
@requires(Role.ADMIN)
def admin_staff():
    form = StaffForm()
    if form.validate_on_submit():
        try:
            added = admin.add_staff(
                current_user.id, form.email.data, form.password.data, form.role.data, policy(),
                name=form.name.data, locale=form.locale.data or None,
            )
        except admin.EmailTaken:
            form.email.errors.append(_("There is already an account with this email."))
        else:
            flash(_("Added %(email)s.", email=added.email), "info")
            return redirect(url_for("staff.admin_staff"))
    return render_template("staff/admin/staff.html", form=form, people=admin.list_staff())


def _staff_or_404(staff_id: int) -> Staff:
    found = admin.get_staff(staff_id)
    if found is None:
        abort(404)
    return found


def _member_page(member: Staff, role_form: RoleForm | None = None,
                 password_form: PasswordForm | None = None,
                 details_form: StaffDetailsForm | None = None,
                 move_form: MoveClientsForm | None = None):
    """Render one account's page; a form that was just sent keeps what was typed."""
    return render_template(
        "staff/admin/staff_member.html",
        member=member,
        member_clients=admin.clients_of(member.id) if member.role == Role.THERAPIST else [],
        role_form=role_form or RoleForm(formdata=None, role=member.role),
        password_form=password_form or PasswordForm(formdata=None),
        details_form=details_form or StaffDetailsForm(
            formdata=None, email=member.email, name=member.name, locale=member.locale or "",
            reads=[code for code in (member.reads or "").split(",") if code]),
        move_form=move_form or MoveClientsForm(member.id, formdata=None),
        action=ActionForm(formdata=None),
    )


@bp.post("/admin/staff/<int:staff_id>/details")
@requires(Role.ADMIN)
def admin_staff_details(staff_id: int):
    member = _staff_or_404(staff_id)
    form = StaffDetailsForm()
    if form.validate_on_submit():
        try:
            changed = admin.update_staff(current_user.id, member.id, form.email.data,
                                         form.name.data, form.locale.data or None,
                                         current_app.config["LOCALES"], reads=form.reads.data)
        except admin.EmailTaken:
            form.email.errors.append(_("There is already an account with this email."))
        else:
            if changed:
                flash(_("The account was saved."), "info")
            return redirect(url_for("staff.admin_staff_member", staff_id=member.id))
    return _member_page(member, details_form=form)


@bp.post("/admin/staff/<int:staff_id>/move-clients")
@requires(Role.ADMIN)
def admin_staff_move_clients(staff_id: int):
    """A therapist leaving: all their clients, and their future appointments, at once."""
    member = _staff_or_404(staff_id)
    form = MoveClientsForm(member.id)
    if form.validate_on_submit():
        try:
            moved, _future = admin.move_clients(current_user.id, member.id,
                                                form.therapist.data)
        except admin.NotATherapist:
            form.therapist.errors.append(_("Choose another enabled therapist."))
        else:
            flash(ngettext("%(num)d client moved, with their future appointments.",
                           "%(num)d clients moved, with their future appointments.", moved),
                  "info")
            return redirect(url_for("staff.admin_staff_member", staff_id=member.id))
    return _member_page(member, move_form=form)


@bp.get("/admin/staff/<int:staff_id>")
@requires(Role.ADMIN)
def admin_staff_member(staff_id: int):
    return _member_page(_staff_or_404(staff_id))


@bp.post("/admin/staff/<int:staff_id>/role")
@requires(Role.ADMIN)
def admin_staff_role(staff_id: int):
    member = _staff_or_404(staff_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            changed = admin.change_role(current_user.id, member.id, form.role.data)
        except admin.OwnAccount:
            form.role.errors.append(_("You cannot change your own role. Another admin can."))
        except admin.StillHasClients as refusal:
            form.role.errors.append(ngettext(
                "This therapist still has %(num)d client. Reassign it to another therapist "
                "first, from the client's page, then change the role.",
                "This therapist still has %(num)d clients. Reassign them to other therapists "
                "first, from each client's page, then change the role.",
                refusal.count,
            ))
        else:
            if changed:
                flash(_("The role of %(email)s was changed.", email=member.email), "info")
            return redirect(url_for("staff.admin_staff_member", staff_id=member.id))
    return _member_page(member, role_form=form)


@bp.post("/admin/staff/<int:staff_id>/password")
@requires(Role.ADMIN)
def admin_staff_password(staff_id: int):
    member = _staff_or_404(staff_id)
    form = PasswordForm()
    if form.validate_on_submit():
        admin.reset_password(current_user.id, member.id, form.password.data, policy())
        if member.id == current_user.id:
            # Every login session of the account has ended, this one too.
            flash(_("Your password was changed. Please log in with the new one."), "info")
            return redirect(url_for("staff.login"))
        flash(_("The password of %(email)s was changed. They have been logged out.",
                email=member.email), "info")
        return redirect(url_for("staff.admin_staff_member", staff_id=member.id))
    return _member_page(member, password_form=form)


@bp.post("/admin/staff/<int:staff_id>/disable")
@requires(Role.ADMIN)
def admin_staff_disable(staff_id: int):
    member = _staff_or_404(staff_id)
    if ActionForm().validate_on_submit():
        try:
            if admin.set_enabled(current_user.id, member.id, enabled=False):
                flash(_("%(email)s can no longer log in, and has been logged out.",
                        email=member.email), "info")
        except admin.OwnAccount:
            flash(_("You cannot disable your own account. Another admin can."), "error")
    return redirect(url_for("staff.admin_staff_member", staff_id=member.id))


@bp.post("/admin/staff/<int:staff_id>/enable")
@requires(Role.ADMIN)
def admin_staff_enable(staff_id: int):
    member = _staff_or_404(staff_id)
    if ActionForm().validate_on_submit() and admin.set_enabled(current_user.id, member.id,
                                                                enabled=True):
        flash(_("%(email)s can log in again.", email=member.email), "info")
    return redirect(url_for("staff.admin_staff_member", staff_id=member.id))


@bp.post("/admin/staff/<int:staff_id>/two-factor/off")
@requires(Role.ADMIN)
def admin_staff_two_factor_off(staff_id: int):
    """After a lost phone: the person sets two-factor sign-in up again at their next login."""
    member = _staff_or_404(staff_id)
    if ActionForm().validate_on_submit() and two_factor.turn_off(current_user.id, member.id):
        flash(_("Two-factor sign-in is off for %(email)s.", email=member.email), "info")
    return redirect(url_for("staff.admin_staff_member", staff_id=member.id))


# Rooms


@bp.route("/admin/rooms", methods=["GET", "POST"])
@requires(Role.ADMIN)
def admin_rooms():
    form = RoomForm()
    if form.validate_on_submit():
        try:
            room = rooms.add_room(current_user.id, form.name.data)
        except rooms.RoomNameTaken:
            form.name.errors.append(_("There is already a room with this name."))
        else:
            flash(_("Added the room %(name)s.", name=room.name), "info")
            return redirect(url_for("staff.admin_rooms"))
    return render_template("staff/admin/rooms.html", form=form, rooms=rooms.list_rooms(),
                           action=ActionForm(formdata=None))


def _room_or_404(room_id: int) -> Room:
    found = rooms.get_room(room_id)
    if found is None:
        abort(404)
    return found


@bp.route("/admin/rooms/<int:room_id>", methods=["GET", "POST"])
@requires(Role.ADMIN)
def admin_room(room_id: int):
    room = _room_or_404(room_id)
    form = RoomForm(obj=room)
    if form.validate_on_submit():
        try:
            rooms.rename_room(current_user.id, room.id, form.name.data)
        except rooms.RoomNameTaken:
            form.name.errors.append(_("There is already a room with this name."))
        else:
            flash(_("The room is now called %(name)s.", name=form.name.data), "info")
            return redirect(url_for("staff.admin_rooms"))
    return render_template("staff/admin/room.html", form=form, room=room)


@bp.post("/admin/rooms/<int:room_id>/deactivate")
@requires(Role.ADMIN)
def admin_room_deactivate(room_id: int):
    room = _room_or_404(room_id)
    if ActionForm().validate_on_submit() and rooms.set_room_active(current_user.id, room.id,
                                                                    active=False):
        flash(_("The room %(name)s is no longer offered. Past appointments keep it.",
                name=room.name), "info")
    return redirect(url_for("staff.admin_rooms"))


@bp.post("/admin/rooms/<int:room_id>/reactivate")
@requires(Role.ADMIN)
def admin_room_reactivate(room_id: int):
    room = _room_or_404(room_id)
    if ActionForm().validate_on_submit() and rooms.set_room_active(current_user.id, room.id,
                                                                    active=True):
        flash(_("The room %(name)s is offered again.", name=room.name), "info")
    return redirect(url_for("staff.admin_rooms"))


# Clients


def _reassign_unread(therapist_id: int, locale: str) -> str | None:
    therapist = admin.get_staff(therapist_id)
    if (language := unread_language(therapist, locale)) is None:
        return None
    return _("%(therapist)s has not said they read %(language)s: the brief will mark what "
             "this client writes in it. Choose them again to confirm.",
             therapist=therapist.display_name, language=language)


@bp.post("/admin/clients/<int:client_id>/therapist")
@requires(Role.ADMIN)
def admin_reassign_client(client_id: int):
    found = visible_client_or_404(client_id)
    form = ReassignForm()
    if not form.validate_on_submit():
        flash(_("Please choose a therapist."), "error")
    elif ((unread := _reassign_unread(form.therapist.data, found.locale))
          and session.pop("reassign_checked", None) != [found.id, form.therapist.data]):
        # Said before saving; choosing the same therapist again goes on.
        session["reassign_checked"] = [found.id, form.therapist.data]
        flash(unread, "info")
    else:
        try:
            changed = admin.reassign_client(current_user.id, found.id, form.therapist.data)
        except admin.NotATherapist:
            flash(_("Please choose a therapist."), "error")
        else:
            if changed:
                # Never the reference: flashed messages travel in the session cookie,
                # which is signed, not sealed. The page it leads to names the client.
                flash(_("%(therapist)s is now this client's therapist.",
                        therapist=found.therapist.display_name), "info")
    return redirect(url_for("staff.client", client_id=found.id))
