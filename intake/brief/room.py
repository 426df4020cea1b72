"""The room checklist: what to prepare before the next appointment."""

from __future__ import annotations

from collections.abc import Mapping

from intake.questionnaires import Room, where

from .declared import notes_of_chosen
from .model import ChecklistItem, Record
from .text import message_id

# Each questionnaire that asks about the room, and the question it asks (declared `room`).
ROOM_QUESTIONS = {questionnaire.key: question
                  for questionnaire, question in (*where(room=Room.WISHES),
                                                  *where(room=Room.PROBLEMS))}
# What the client wishes for before an appointment; what was uncomfortable after one.
WISHES = tuple(key for key, question in ROOM_QUESTIONS.items() if question.room is Room.WISHES)
FEEDBACK = tuple(key for key, question in ROOM_QUESTIONS.items()
                 if question.room is Room.PROBLEMS)


def sources(latest: Mapping[str, Record]) -> list[Record]:
    """Return the responses the checklist reads, newest first."""
    # Each wish stands; of the feedback, only the newest says how the room is now.
    feedback = [latest[key] for key in FEEDBACK if key in latest]
    chosen = [latest[key] for key in WISHES if key in latest]
    if feedback:
        chosen.append(max(feedback, key=lambda r: (r.submitted_at, r.id)))
    return sorted(chosen, key=lambda r: (r.submitted_at, r.id), reverse=True)


def room_checklist(latest: Mapping[str, Record]) -> list[ChecklistItem]:
    """Return the notes of the room wishes and problems, newest first, each note once."""
    items: list[ChecklistItem] = []
    seen: set[str] = set()
    for record in sources(latest):
        asked = ROOM_QUESTIONS[record.questionnaire]
        for note in notes_of_chosen(asked, record.answers.get(asked.key)):
            # A wish and a problem can carry the same note ("warm the room"): say it once.
            if message_id(note) not in seen:
                seen.add(message_id(note))
                items.append(ChecklistItem(note, record.questionnaire))
    return items
