"""Rooms: where appointments take place; an admin adds, renames and retires them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..infra.database import write_transaction
from ..models import Room
from . import audit
from .admin import AdminError, NotFound, clean_text

ROOM_NAME_MAX = Room.name.type.length


class RoomNameTaken(AdminError):
    """Another room already has this name (ignoring case)."""


def list_rooms() -> list[Room]:
    """Return every room, active or not, by name."""
    return list(db.session.scalars(select(Room).order_by(Room.name)))


def get_room(room_id: int) -> Room | None:
    """Return one room, or None."""
    return db.session.get(Room, room_id)


def add_room(actor_id: int, name: str) -> Room:
    """Add a room; refuse a name another room has, ignoring case."""
    name = clean_text(name, ROOM_NAME_MAX, required=True)
    try:
        with write_transaction() as session:
            _refuse_taken_name(session, name)
            room = Room(name=name)
            session.add(room)
            session.flush()
            audit.add(session, "room.added", actor_id, detail=f"room_id={room.id}")
    except IntegrityError as error:
        raise RoomNameTaken(name) from error
    return room


def rename_room(actor_id: int, room_id: int, name: str) -> bool:
    """Rename a room; return whether the name changed."""
    name = clean_text(name, ROOM_NAME_MAX, required=True)
    try:
        with write_transaction() as session:
            room = _room(session, room_id)
            if room.name == name:
                return False
            _refuse_taken_name(session, name, room_id)
            room.name = name
            audit.add(session, "room.renamed", actor_id, detail=f"room_id={room_id}")
    except IntegrityError as error:
        raise RoomNameTaken(name) from error
    return True


def set_room_active(actor_id: int, room_id: int, active: bool) -> bool:
    """Deactivate or reactivate a room; rooms are never deleted, appointments refer to them."""
    with write_transaction() as session:
        room = _room(session, room_id)
        if room.is_active == active:
            return False
        room.is_active = active
        audit.add(session, "room.reactivated" if active else "room.deactivated", actor_id,
                  detail=f"room_id={room_id}")
    return True


def _room(session, room_id: int) -> Room:
    room = session.get(Room, room_id)
    if room is None:
        raise NotFound(f"no room {room_id}")
    return room


def _refuse_taken_name(session, name: str, room_id: int | None = None) -> None:
    # In Python, not SQL: SQLite's lower() knows only ASCII, and a practice has few rooms.
    wanted = name.casefold()
    for other_id, other_name in session.execute(select(Room.id, Room.name)):
        if other_id != room_id and other_name.casefold() == wanted:
            raise RoomNameTaken(name)
