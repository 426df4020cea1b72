"""Wrong check-in codes: slow down guessing, never lock a shared tablet for long.

Three counts, each a row of the throttle table (docs/decisions.md has the arithmetic):

- **a device** (its cookie): the first FREE_TRIES wrong codes cost nothing; after that
  each one makes the device wait a little longer (5 s, 10 s, 20 s ... at most 5
  minutes). A right code clears it, so does a quiet quarter of an hour, so does the
  front desk ("let this device try again").
- **an address** (the network the request comes from, as far as the deployment trusts
  forwarded headers): at most ADDRESS_LIMIT wrong codes per quarter of an hour, for
  someone who throws the device cookie away. A waiting room shares one address, so it
  is loose.
- **the practice**: at most PRACTICE_LIMIT wrong codes per minute from everywhere
  together. Above it, code entry pauses for the rest of the minute and the staff pages
  say that many wrong codes were typed.

A code that exists but is finished, expired or cancelled is not a guess: it is never
counted (the client's Finish may have been stored without its thank-you page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..infra.database import insert_if_missing, write_transaction
from ..models import Throttle, utcnow

FREE_TRIES = 3
FIRST_WAIT = timedelta(seconds=5)
LONGEST_WAIT = timedelta(minutes=5)
DEVICE_MEMORY = timedelta(minutes=15)
ADDRESS_LIMIT = 40
ADDRESS_WINDOW = timedelta(minutes=15)
PRACTICE_LIMIT = 20
PRACTICE_KEY = "practice"
ALERT_FOR = timedelta(hours=1)


@dataclass(frozen=True)
class Wait:
    """Code entry is paused for this device until `until`, for this reason."""

    until: datetime
    reason: str  # device | address | practice

    def seconds(self, now: datetime) -> int:
        return max(1, int((self.until - now).total_seconds() + 0.999))


def device_wait(failures: int) -> timedelta:
    """Return how long a device waits after this many wrong codes in a row."""
    if failures <= FREE_TRIES:
        return timedelta(0)
    return min(FIRST_WAIT * 2 ** (failures - FREE_TRIES - 1), LONGEST_WAIT)


def _keys(device: str, address: str) -> list[str]:
    keys = [f"address:{address}", PRACTICE_KEY]
    return [f"device:{device}", *keys] if device else keys


def wait_before_guess(device: str, address: str, now: datetime | None = None) -> Wait | None:
    """Return the wait before this device may try a code, or None when it may now."""
    now = now or utcnow()
    rows = db.session.scalars(select(Throttle).where(Throttle.key.in_(_keys(device, address))))
    waits = [Wait(row.locked_until, row.key.split(":")[0]) for row in rows
             if row.locked_until and row.locked_until > now]
    return max(waits, key=lambda wait: wait.until) if waits else None


def record_wrong_code(device: str, address: str, now: datetime | None = None) -> None:
    """Count one wrong code against the device, the address and the practice."""
    now = now or utcnow()
    keys = _keys(device, address)
    with write_transaction() as session:
        # Made first without reading (two first guesses at once never fail on the second),
        # then locked while counted, so that no guess goes uncounted.
        for key in keys:
            insert_if_missing(session, Throttle,
                              {"key": key, "failures": 0, "window_started_at": now})
        rows = {row.key: row for row in session.scalars(
            select(Throttle).where(Throttle.key.in_(keys)).with_for_update())}

        def row(key: str) -> Throttle:
            return rows[key]

        if device:
            mine = row(f"device:{device}")
            if now - mine.window_started_at > DEVICE_MEMORY:  # a quiet while: start afresh
                mine.failures = 0
            mine.failures += 1
            mine.window_started_at = now  # the last wrong code
            wait = device_wait(mine.failures)
            mine.locked_until = now + wait if wait else None
        _count(row(f"address:{address}"), now, ADDRESS_WINDOW, ADDRESS_LIMIT, ADDRESS_WINDOW)
        practice = row(PRACTICE_KEY)
        minute = now.replace(second=0, microsecond=0)
        _count(practice, now, timedelta(minutes=1), PRACTICE_LIMIT,
               minute + timedelta(minutes=1) - now, window_start=minute)


def _count(row: Throttle, now: datetime, window: timedelta, limit: int, pause: timedelta,
           window_start: datetime | None = None) -> None:
    if now - row.window_started_at >= window:
        row.failures, row.window_started_at = 0, window_start or now
    row.failures += 1
    if row.failures >= limit:
        row.locked_until = now + pause


def record_right_code(device: str) -> None:
    """Clear a device's count after a right code."""
    if device:
        clear_device(f"device:{device}")


def clear_device(key: str) -> bool:
    """Let a device try again at once (the front desk's action); return whether it waited."""
    if not key.startswith("device:"):
        return False
    with write_transaction() as session:
        row = session.get(Throttle, key)
        if row is None or not row.failures:
            return False
        row.failures, row.locked_until = 0, None
    return True


@dataclass(frozen=True)
class WaitingDevice:
    key: str
    label: str  # a few characters the tablet shows, so the desk knows which one it is
    failures: int
    until: datetime | None


def label_of(device: str) -> str:
    """Return the short name a device shows while it waits (from its cookie, not secret)."""
    return device[:4].upper() if device else ""


def waiting_devices(now: datetime | None = None) -> list[WaitingDevice]:
    """Return the devices with wrong codes counted in the last quarter of an hour."""
    now = now or utcnow()
    rows = db.session.scalars(
        select(Throttle).where(Throttle.key.like("device:%"), Throttle.failures > 0,
                               Throttle.window_started_at > now - DEVICE_MEMORY)
        .order_by(Throttle.window_started_at.desc()).limit(20))
    return [WaitingDevice(row.key, label_of(row.key.removeprefix("device:")), row.failures,
                          row.locked_until if row.locked_until and row.locked_until > now
                          else None)
            for row in rows]


def practice_alarm(now: datetime | None = None) -> datetime | None:
    """Return when the practice-wide limit was last reached, within the last hour."""
    now = now or utcnow()
    row = db.session.get(Throttle, PRACTICE_KEY)
    if row is None or row.locked_until is None or row.locked_until < now - ALERT_FOR:
        return None
    return row.locked_until
