"""Free text sealed at rest: AES-256-GCM, bound to its row, with keys outside the database.

What a client writes in their own words is the most sensitive thing the app keeps. Each
text is sealed with the current key and a fresh 96-bit nonce; the row it belongs to
(response, question, position) is authenticated with it, so a sealed text moved to
another row, or changed by one bit, does not open. The row also names the key that
sealed it, so keys can be rotated: add a key (it seals from then on), reseal the older
texts in small transactions (a run killed half-way leaves every text readable by one of
the keys), then retire the old key once no row names it (`flask keys`).

The keys live in a file outside the database (one per line, `ID KEY`, the newest
first), readable by the app's user only. A copy of the database alone reads nothing.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, current_app

NONCE_BYTES = 12
RECHECK_SECONDS = 30.0
KEY_ID = re.compile(r"[a-z0-9]{1,16}")


class SealError(Exception):
    """A sealed text cannot be opened: its key is missing, or the text was changed."""


class KeyMissing(SealError):
    def __init__(self, key_id: str):
        super().__init__(f"no key {key_id!r} in the key file")
        self.key_id = key_id


class KeyFileError(RuntimeError):
    """The key file is missing, unreadable or malformed."""


def binding(response_id: int, question: str, position: int) -> bytes:
    """Return what ties a sealed answer to its row."""
    return f"answer/{response_id}/{question}/{position}".encode()


@dataclass
class Keyring:
    """The keys of one key file: the first seals, every one opens what it sealed."""

    path: Path
    keys: dict[str, AESGCM] = field(default_factory=dict)
    current: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _read: tuple[float, float] = (0.0, 0.0)  # the file's mtime when read, and when checked

    @classmethod
    def load(cls, path: Path) -> Keyring:
        ring = cls(path)
        ring.reload()
        return ring

    def reload(self) -> None:
        """Read the key file again (after `flask keys new` in another process)."""
        modified = self.path.stat().st_mtime if self.path.exists() else 0.0
        entries = read_key_file(self.path)
        with self._lock:
            self.keys = {key_id: AESGCM(key) for key_id, key in entries}
            self.current = entries[0][0]
            self._read = (modified, time.monotonic())

    def _follow_the_file(self) -> None:
        """Seal with a key added since, however long this process runs (a stat every 30 s)."""
        modified, checked = self._read
        if time.monotonic() - checked < RECHECK_SECONDS:
            return
        self._read = (modified, time.monotonic())
        try:
            changed = self.path.stat().st_mtime != modified
        except OSError:
            return  # keep sealing with the keys in memory; reading will say what is missing
        if changed:
            self.reload()

    def seal(self, text: str, bound_to: bytes) -> tuple[str, str]:
        """Return the sealed text and the id of the key that sealed it."""
        self._follow_the_file()
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self.keys[self.current].encrypt(nonce, text.encode(), bound_to)
        return base64.urlsafe_b64encode(nonce + sealed).decode(), self.current

    def open(self, sealed: str, key_id: str, bound_to: bytes) -> str:
        """Return the text; raise SealError if it cannot be opened as it is."""
        if key_id not in self.keys:
            self.reload()  # a key added since this process started
            if key_id not in self.keys:
                raise KeyMissing(key_id)
        try:
            raw = base64.urlsafe_b64decode(sealed.encode())
            return self.keys[key_id].decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:],
                                             bound_to).decode()
        except (InvalidTag, ValueError) as error:
            raise SealError("a sealed text does not match its row or its key") from error


def read_key_file(path: Path) -> list[tuple[str, bytes]]:
    """Return the (id, key) pairs of a key file, newest first."""
    try:
        lines = path.read_text().splitlines()
    except OSError as error:
        raise KeyFileError(f"cannot read the key file {path}: {error.strerror}") from error
    entries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split()
        try:
            key = base64.urlsafe_b64decode(parts[1].encode()) if len(parts) == 2 else b""
        except ValueError:
            key = b""
        if not KEY_ID.fullmatch(parts[0]) or len(key) != 32:
            raise KeyFileError(f"{path}, line {number}: expected an id and a 256-bit key")
        entries.append((parts[0], key))
    if not entries:
        raise KeyFileError(f"the key file {path} holds no key")
    if len({key_id for key_id, _ in entries}) != len(entries):
        raise KeyFileError(f"the key file {path} names a key twice")
    return entries


def write_key_file(path: Path, entries: list[tuple[str, bytes]]) -> None:
    """Replace the key file in one step (a crash leaves the old file or the new one)."""
    text = "# intake text keys: newest first; keep a copy somewhere safe, apart from backups\n"
    text += "".join(f"{key_id} {base64.urlsafe_b64encode(key).decode()}\n"
                    for key_id, key in entries)
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def add_key(path: Path) -> str:
    """Put a new key first in the key file (creating it if needed); return its id."""
    entries = read_key_file(path) if path.exists() else []
    taken = {key_id for key_id, _ in entries}
    key_id = next(candidate for candidate in (secrets.token_hex(4) for _ in range(100))
                  if candidate not in taken)
    write_key_file(path, [(key_id, AESGCM.generate_key(bit_length=256)), *entries])
    return key_id


def remove_key(path: Path, key_id: str) -> None:
    entries = read_key_file(path)
    kept = [entry for entry in entries if entry[0] != key_id]
    if len(kept) == len(entries):
        raise KeyFileError(f"the key file {path} has no key {key_id!r}")
    if not kept:
        raise KeyFileError("the last key cannot be removed")
    write_key_file(path, kept)


_EXTENSION = "intake.keyring"


def init_app(app: Flask) -> None:
    """Load the key file; in development, create it the first time.

    In production a missing key file is never replaced by a new one (texts sealed with
    the new key would be lost when the right file came back): the app starts, says so in
    its log, and every page that needs a key answers with a calm 503 until it is there.
    """
    path = Path(app.config["TEXT_KEYS_FILE"])
    if not path.exists() and app.config["ENV"] != "production":
        path.parent.mkdir(parents=True, exist_ok=True)
        add_key(path)
    if path.exists():
        app.extensions[_EXTENSION] = Keyring.load(path)
    else:
        app.extensions[_EXTENSION] = None
        app.logger.error("no text key file at %s: run `flask keys new` to create it", path)


def keyring() -> Keyring:
    """Return this app's keys; raise KeyFileError when it has none."""
    ring = current_app.extensions.get(_EXTENSION)
    if ring is None:
        path = Path(current_app.config["TEXT_KEYS_FILE"])
        if not path.exists():
            raise KeyFileError(f"no text key file at {path}")
        ring = current_app.extensions[_EXTENSION] = Keyring.load(path)
    return ring


def seal_answer(text: str, response_id: int, question: str, position: int) -> tuple[str, str]:
    """Return an answer's text sealed for its row, and the id of the key used."""
    return keyring().seal(text, binding(response_id, question, position))


def open_answer(text: str | None, sealed_with: str | None, response_id: int, question: str,
                position: int) -> str | None:
    """Return an answer's text as written (None when it has none)."""
    if text is None:
        return None
    if sealed_with is None:
        raise SealError("an answer's text is not sealed")
    return keyring().open(text, sealed_with, binding(response_id, question, position))
