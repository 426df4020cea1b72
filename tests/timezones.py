"""Time zones for tests that need "today" to have room on both sides of now."""

from datetime import datetime


def noon_zone(now: datetime) -> str:
    """Return a fixed-offset zone where it is about noon at `now` (UTC), so that an hour
    before and after are the same calendar day whenever the tests run."""
    hours = 12 - now.hour
    if not hours:
        return "Etc/GMT"
    # Etc/GMT-N is N hours ahead of UTC (the POSIX sign is inverted).
    return f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"
