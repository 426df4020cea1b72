"""The back-translation record of each catalogue: what a client reads, read back into English.

A reviewer who has not seen the English translates every client-facing entry of a catalogue
back into English (`flask i18n blind LOCALE`, cli/i18n.py, gives them the entries without
their source), then compares each with its source. The record, one JSON file per language under
docs/languages/back-translations/, keeps for every entry the translation reviewed, its
back-translation and a verdict: "same" (the meaning holds), "fixed" (the translation was
changed; "was" keeps the text it replaced) or "justified" (a difference kept on purpose,
and why). The tests hold the record to the catalogue: an entry added or re-translated later
is not reviewed until its record says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from ..config import ROOT

RECORDS = ROOT / "docs" / "languages" / "back-translations"
# Where the text a client reads is declared or drawn.
CLIENT_SOURCES = (
    "intake/questionnaires/", "intake/kiosk/", "templates/kiosk/", "templates/_macros.html",
    "templates/_languages.html", "templates/base.html", "templates/errors/",
    "intake/practice/consent.py",
)
VERDICTS = ("same", "fixed", "justified")


@dataclass(frozen=True)
class Entry:
    context: str | None
    source: str
    translation: str

    @property
    def key(self) -> tuple[str | None, str]:
        return self.context, self.source


def _text(value) -> str:
    """Return a message's text; the forms of a plural are joined with " | "."""
    return " | ".join(value) if isinstance(value, tuple | list) else value


def is_client_facing(message: Message) -> bool:
    return any(path.startswith(CLIENT_SOURCES) for path, _line in message.locations)


def client_entries(catalog: Catalog) -> list[Entry]:
    """Return the catalogue's client-facing entries, in catalogue order."""
    return [
        Entry(message.context, _text(message.id), _text(message.string))
        for message in catalog
        if message.id and is_client_facing(message)
    ]


def record_path(locale: str) -> Path:
    return RECORDS / f"{locale}.json"


def record_problems(locale: str, catalog: Catalog) -> list[str]:
    """Return what keeps a catalogue's back-translation record from covering what ships."""
    path = record_path(locale)
    if not path.exists():
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        return [f"{locale}: no back-translation record ({shown})"]
    records = {(r.get("context"), r["source"]): r for r in json.loads(path.read_text())}
    problems = []
    for entry in client_entries(catalog):
        record = records.pop(entry.key, None)
        where = f"{locale}: {entry.source[:60]!r}"
        if record is None:
            problems.append(f"{where}: not back-translated")
        elif record.get("translation") != entry.translation:
            problems.append(f"{where}: translated again since its back-translation")
        elif not record.get("back"):
            problems.append(f"{where}: no back-translation")
        elif record.get("verdict") not in VERDICTS:
            problems.append(f"{where}: verdict must be one of {', '.join(VERDICTS)}")
        elif record["verdict"] != "same" and not record.get("note"):
            problems.append(f"{where}: a {record['verdict']} difference needs a note")
        elif record["verdict"] == "fixed" and not record.get("was"):
            problems.append(f"{where}: a fixed entry keeps the text it replaced in 'was'")
    problems.extend(f"{locale}: {source[:60]!r}: no longer in the catalogue"
                    for _context, source in records)
    return problems
