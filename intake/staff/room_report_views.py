"""Placeholder: filled in by the issue-5 work."""

from .blueprint import bp  # noqa: F401
