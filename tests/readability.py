"""Reading grade of English text: Flesch-Kincaid, with a syllable counter of our own.

Good enough to compare versions of our own short, plain sentences; not a linguist's tool.
grade = 0.39 * words per sentence + 11.8 * syllables per word - 15.59
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_VOWELS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Count a word's syllables: groups of vowels, less a silent final e."""
    word = word.lower().split("'")[0]
    count = len(_VOWELS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # "make", "therapeutic" keeps its e
    if word.endswith("ed") and len(word) > 3 and word[-3] not in "aeiouytd" and count > 1:
        count -= 1  # "asked", "judged"; not "worried" (its e is in "ie"), not "wanted"
    return max(1, count)


def counts(texts: Iterable[str]) -> tuple[int, int, int]:
    """Return (sentences, words, syllables) of texts, each at least one sentence."""
    sentences = words = syllable_count = 0
    for text in texts:
        found = _WORD.findall(text)
        if not found:
            continue
        sentences += max(1, len(_SENTENCE_END.findall(text.strip())))
        words += len(found)
        syllable_count += sum(syllables(word) for word in found)
    return sentences, words, syllable_count


def grade(texts: Iterable[str]) -> float:
    """Return the Flesch-Kincaid grade of all the texts together."""
    sentences, words, syllable_count = counts(texts)
    return 0.39 * words / sentences + 11.8 * syllable_count / words - 15.59


def questionnaire_texts(questionnaire) -> list[str]:
    """Return every English text a client reads in a questionnaire, as offered now."""
    texts = [questionnaire.title, questionnaire.intro]
    for step in questionnaire.steps:
        if step.title:
            texts.append(step.title)
        for question in step.questions:
            texts += [question.label, question.hint, question.low_label, question.high_label]
            texts += [choice.label for choice in question.all_choices]
    return [str(text) for text in texts if text]


_MESSAGE = re.compile(r"""_\(\s*"((?:[^"\\]|\\.)*)"|_\(\s*'((?:[^'\\]|\\.)*)'""")


def template_texts(source: str) -> list[str]:
    """Return the messages of a template, its `{{ _("...") }}` calls."""
    return [double or single for double, single in _MESSAGE.findall(source)]
