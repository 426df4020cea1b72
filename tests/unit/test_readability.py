"""What an English-speaking client reads is plain: Flesch-Kincaid grade 6 or below.

Two measures (tests/readability.py). Read as a client reads it, each label, hint and choice
is a sentence of its own. Read strictly, everything on the client's pages is one passage in
which only full stops end sentences, so a list of choices becomes one long sentence; the
intake with its notices must pass even so.
"""

from pathlib import Path

import pytest

from intake.questionnaires import REGISTRY
from tests.readability import grade, questionnaire_texts, syllables, template_texts

KIOSK = Path(__file__).resolve().parents[2] / "templates" / "kiosk"
PAGES = ("base.html", "step.html", "consent.html", "_what_to_expect.html", "thanks.html",
         "welcome.html")
GRADE = 6.0


def notices() -> list[str]:
    """Return every message of the client pages around the questions, English as written."""
    return [text for name in PAGES for text in template_texts((KIOSK / name).read_text())]


def strict(texts: list[str]) -> float:
    return grade([" ".join(texts)])


@pytest.mark.parametrize(("word", "count"), [
    ("therapy", 3), ("therapist", 3), ("judged", 1), ("worried", 2), ("make", 1),
    ("people", 2), ("interpreter", 4), ("comfortable", 4), ("I'd", 1), ("meeting", 2),
])
def test_the_syllable_counter_counts_our_words(word, count):
    assert syllables(word) == count


@pytest.mark.parametrize("key", list(REGISTRY))
def test_each_questionnaire_with_its_notices_reads_at_grade_6_or_below(key):
    assert grade(questionnaire_texts(REGISTRY[key]) + notices()) <= GRADE


def test_the_intake_with_its_notices_reads_at_grade_6_even_read_strictly():
    assert strict(questionnaire_texts(REGISTRY["intake"]) + notices()) <= GRADE


def test_the_consent_page_reads_at_grade_6_or_below():
    texts = template_texts((KIOSK / "consent.html").read_text())
    assert len(texts) > 8
    assert strict(texts) <= GRADE


def test_the_measure_tells_hard_text_from_plain():
    plain = ["You can stop at any time.", "Your therapist reads your answers."]
    hard = ["Confidentiality considerations necessitate comprehensive documentation "
            "notwithstanding institutional obligations."]
    assert grade(plain) < GRADE < grade(hard)
