"""Every catalogue's client-facing entries are read back into English, and every difference
the reading found is closed: fixed in the catalogue, or kept with a reason."""

import json

import pytest

from intake.cli import back_translation
from intake.cli.back_translation import client_entries, record_problems
from intake.cli.i18n import read_catalog
from intake.infra.i18n import LANGUAGES

TRANSLATED = [code for code in LANGUAGES if code != "en"]


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_client_facing_entry_is_back_translated_and_closed(locale):
    assert record_problems(locale, read_catalog(locale)) == []


def test_client_facing_entries_are_the_questions_and_the_kiosk_not_the_staff_pages():
    sources = {entry.source for entry in client_entries(read_catalog("es"))}
    assert "I'd rather not say" in sources
    assert "If you need help now, tell the front desk or call your local emergency number." in (
        sources)
    assert "Audit log" not in sources and "Today" not in sources
    assert len(sources) > 300


def _records(locale):
    return [
        {"context": e.context, "source": e.source, "translation": e.translation,
         "back": e.source, "verdict": "same"}
        for e in client_entries(read_catalog(locale))
    ]


def test_the_check_finds_an_entry_changed_after_review_and_an_open_difference(
        tmp_path, monkeypatch):
    monkeypatch.setattr(back_translation, "RECORDS", tmp_path)
    records = _records("es")
    (tmp_path / "es.json").write_text(json.dumps(records))
    assert record_problems("es", read_catalog("es")) == []

    records[0]["translation"] = "otra cosa"
    records[1]["verdict"] = "justified"
    records[2]["verdict"] = "fixed"
    records[2]["note"] = "The scale read negative."
    del records[3]
    records.append({"context": None, "source": "Gone", "translation": "Ido", "back": "Gone",
                    "verdict": "same"})
    (tmp_path / "es.json").write_text(json.dumps(records))
    problems = record_problems("es", read_catalog("es"))
    assert [problem.split(": ")[-1] for problem in problems] == [
        "translated again since its back-translation",
        "a justified difference needs a note",
        "a fixed entry keeps the text it replaced in 'was'",
        "not back-translated",
        "no longer in the catalogue",
    ]


def test_a_missing_record_is_a_problem(tmp_path, monkeypatch):
    monkeypatch.setattr(back_translation, "RECORDS", tmp_path)
    assert record_problems("fr", read_catalog("fr")) == [
        f"fr: no back-translation record ({tmp_path / 'fr.json'})"]
