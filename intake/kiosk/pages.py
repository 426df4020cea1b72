"""Rendered step pages, kept while they hold nothing that identifies the client.

Rendering a step (its questions, choices and labels, in one language) is most of
what a client page costs, and most views of a step look the same for everyone: the
step has not been answered yet, or only with choice codes. Those pages are rendered
once per worker with a placeholder for the CSRF token. A page that shows free text,
a goal in the client's words, an error or a message is never kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import session

from ..infra.keeping import TOKEN_MARK, Shelf
from ..questionnaires import Question
from ..questionnaires.model import TEXT_KINDS

_PAGES = Shelf("step_pages", 512)


def cache_key(questions: list[Question], answers: dict, *parts: Hashable) -> tuple | None:
    """Return the key of a page showing these answers, or None if it must not be kept."""
    frozen = []
    for question in questions:
        value = answers.get(question.key)
        if value is None:
            continue
        if question.kind in TEXT_KINDS or question.goal:
            return None  # the client's own words
        frozen.append((question.key, tuple(value) if isinstance(value, list) else value))
    if any(question.goal for question in questions) or session.get("_flashes"):
        return None
    return (*parts, tuple(frozen))


def render(key: tuple | None, render_page: Callable[[str], str], token: Callable[[], str]) -> str:
    """Return the page for this key, rendering it with a token placeholder when new."""
    if key is None:
        return render_page(token())
    return _PAGES.get(key, lambda: render_page(TOKEN_MARK)).replace(TOKEN_MARK, token(), 1)
