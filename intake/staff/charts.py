"""Trend charts for the brief: post-session ratings and goal progress over time."""

from __future__ import annotations


def trend_charts(brief) -> list:
    """Return (name, svg) pairs for the brief's trends (filled in once charts exist)."""
    return []
