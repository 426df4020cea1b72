"""`flask i18n`: extract, update, compile and check the catalogues.

Registered as a plugin command, so it runs before the app can start: the app
refuses to start without compiled catalogues, and this is what compiles them.
"""

from __future__ import annotations

import io
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from ..config import ROOT
from .back_translation import client_entries, record_problems

TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
SOURCE_LOCALE = "en"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    # With a context, for short words that mean different things in different questions.
    "pgettext": ((1, "c"), 2),
    "_lp": ((1, "c"), 2),
    "lazy_pgettext": ((1, "c"), 2),
    "N_": None,  # marked now, translated when shown (the brief's messages)
}
# A fixed date keeps the extracted file identical from one run to the next.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")
TAG = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9]*)")


@click.group("i18n", help="Extract, update, compile and check the translation catalogues.")
def i18n() -> None:
    """Group the catalogue commands."""


def _extract() -> Catalog:
    with open(ROOT / "babel.cfg") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(
        project="intake", version="1", creation_date=EPOCH, revision_date=EPOCH,
        msgid_bugs_address="", fuzzy=False,
    )
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS, comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _pot_text(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, include_lineno=False,
             omit_header=False)
    return buffer.getvalue()


def _locales() -> list[str]:
    found = TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")
    return sorted(path.parent.parent.name for path in found)


def _read(path: Path, locale: str | None = None) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=locale)


def _path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def read_catalog(locale: str) -> Catalog:
    """Return a locale's catalogue as it is in translations/."""
    return _read(_path(locale), locale)


@i18n.command("extract")
def extract() -> None:
    """Write translations/messages.pot from the source."""
    POT.write_bytes(_pot_text(_extract()))
    click.echo(f"extracted {len(_read(POT))} messages to {POT.relative_to(ROOT)}")


@i18n.command("update")
@click.option("--add", "new_locale", help="Start a catalogue for a new locale, e.g. pt_BR.")
def update(new_locale: str | None) -> None:
    """Bring every catalogue in line with messages.pot (English is filled from the source)."""
    locales = set(_locales()) | ({new_locale} if new_locale else set())
    for locale in sorted(locales):
        # Read afresh for each locale: Catalog.update shares the template's messages.
        template = _read(POT)
        path = _path(locale)
        if path.exists():
            catalog = _read(path, locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=locale, project="intake", version="1",
                              creation_date=EPOCH, revision_date=EPOCH)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        catalog.revision_date = EPOCH
        if locale == SOURCE_LOCALE:
            for message in catalog:
                if message.id:
                    message.string = message.id
                    message.flags.discard("fuzzy")
        with open(path, "wb") as handle:
            write_po(handle, catalog, width=100, sort_output=True, include_lineno=False,
                     ignore_obsolete=True)
        missing = sum(1 for m in catalog if m.id and not m.string)
        click.echo(f"{locale}: {len(catalog)} messages, {missing} untranslated")


LOCALE_OPTION = click.option("--locale", "only", help="Only this catalogue, e.g. fr.")


def _chosen(only: str | None) -> list[str]:
    """Return the catalogues a command works on: the one asked for, or all of them."""
    return [only] if only else _locales()


@i18n.command("compile")
@LOCALE_OPTION
def compile_(only: str | None) -> None:
    """Compile every catalogue to .mo; fail on a catalogue that does not compile."""
    failed = False
    locales = _chosen(only)
    for locale in locales:
        path = _path(locale)
        catalog = _read(path, locale)
        errors = list(catalog.check())
        for message, problems in errors:
            for problem in problems:
                click.echo(f"{locale}: {message.id!r}: {problem}", err=True)
        failed |= bool(errors)
        with open(path.with_suffix(".mo"), "wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
    if failed:
        sys.exit(1)
    click.echo(f"compiled {len(locales)} catalogues")


@i18n.command("check")
@LOCALE_OPTION
def check(only: str | None) -> None:
    """Fail on a stale .pot, untranslated or fuzzy entries, placeholder or HTML mismatches."""
    locales = _chosen(only)
    problems = find_problems(locales)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{len(locales)} catalogues complete and consistent")


def find_problems(locales: list[str] | None = None) -> list[str]:
    """Return every problem with the catalogues (or with some), as lines to print."""
    problems = []
    if not POT.exists() or POT.read_bytes() != _pot_text(_extract()):
        problems.append("messages.pot is stale: run `flask --app wsgi i18n extract` and `update`")
    template_ids = {m.id for m in _read(POT) if m.id} if POT.exists() else set()
    for locale in locales or _locales():
        catalog = read_catalog(locale)
        ids = {m.id for m in catalog if m.id}
        if ids != template_ids:
            problems.append(f"{locale}: not updated from messages.pot")
        for message in catalog:
            if not message.id:
                continue
            problems.extend(f"{locale}: {p}: {message.id!r}" for p in message_problems(message))
    return problems


def message_problems(message) -> list[str]:
    """Return what is wrong with one translated message."""
    if message.fuzzy:
        return ["fuzzy"]
    sources = message.id if isinstance(message.id, tuple | list) else (message.id,)
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    if not all(strings):
        return ["untranslated"]
    found = []
    wanted = sorted(PLACEHOLDER.findall(sources[0]))
    wanted_tags = sorted(t.lower() for t in TAG.findall(sources[0]))
    for string in strings:
        if sorted(PLACEHOLDER.findall(string)) != wanted and len(sources) == 1:
            found.append("placeholders differ")
        if sorted(t.lower() for t in TAG.findall(string)) != wanted_tags:
            found.append("adds or drops HTML")
    return found


@i18n.command("blind")
@click.argument("locale")
def blind(locale: str) -> None:
    """Print a catalogue's client-facing translations without their English, as JSON."""
    entries = client_entries(read_catalog(locale))
    sheet = [{"n": n, "translation": entry.translation} for n, entry in enumerate(entries)]
    click.echo(json.dumps(sheet, ensure_ascii=False, indent=1))


@i18n.command("back-translations")
@LOCALE_OPTION
def back_translations(only: str | None) -> None:
    """Fail when a catalogue's client-facing entries are not all read back and closed."""
    locales = [locale for locale in _chosen(only) if locale != SOURCE_LOCALE]
    problems = [problem for locale in locales
                for problem in record_problems(locale, read_catalog(locale))]
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{len(locales)} back-translation records cover their catalogues")
