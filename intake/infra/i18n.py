"""Languages: the locale table, how a request's locale is chosen, and a start-up check."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError


@dataclass(frozen=True)
class Language:
    code: str  # the catalogue folder's name, e.g. zh_Hans
    native_name: str  # the language's name in itself
    direction: str  # "ltr" or "rtl"

    @property
    def tag(self) -> str:
        """Return the BCP 47 tag for lang= attributes, e.g. zh-Hans."""
        return self.code.replace("_", "-")


LANGUAGES = {
    language.code: language
    for language in (
        Language("en", "English", "ltr"),
        Language("es", "Español", "ltr"),
        Language("ar", "العربية", "rtl"),
        Language("zh_Hans", "简体中文", "ltr"),
        Language("zh_Hant", "繁體中文", "ltr"),
        Language("vi", "Tiếng Việt", "ltr"),
        Language("ko", "한국어", "ltr"),
        # Tagalog and Filipino: CLDR (and so Babel) knows the language as fil; tl is an alias.
        Language("fil", "Filipino", "ltr"),
        Language("ru", "Русский", "ltr"),
        Language("uk", "Українська", "ltr"),
        Language("fa", "فارسی", "rtl"),
        Language("ur", "اردو", "rtl"),
        Language("fr", "Français", "ltr"),
        Language("pt_BR", "Português", "ltr"),  # the one Portuguese catalogue: Brazilian
        Language("ht", "Kreyòl ayisyen", "ltr"),
        Language("so", "Soomaali", "ltr"),
    )
}

# Tags a browser or a link may send for a catalogue under another name (lower case, "_").
ALIASES = {
    "tl": "fil",
    "zh": "zh_Hans", "zh_cn": "zh_Hans", "zh_sg": "zh_Hans", "zh_hans_cn": "zh_Hans",
    "zh_tw": "zh_Hant", "zh_hk": "zh_Hant", "zh_mo": "zh_Hant", "zh_hant_tw": "zh_Hant",
    "pt": "pt_BR", "pt_pt": "pt_BR",
}

SESSION_KEY = "locale"


class LocaleConfigError(RuntimeError):
    """Raised at start-up when the configured languages cannot be served."""


def configured() -> list[Language]:
    """Return the languages this installation offers, in menu order."""
    return [LANGUAGES[code] for code in current_app.config["LOCALES"]]


def normalize(value: str | None) -> str | None:
    """Map a user-supplied locale (zh-Hans, ZH_hans, es-MX) to a configured code, or None."""
    if not value or len(value) > 35:
        return None
    wanted = value.replace("-", "_").lower()
    wanted = ALIASES.get(wanted, wanted).lower()
    codes = current_app.config["LOCALES"]
    for code in codes:
        if code.lower() == wanted:
            return code
    return None


def select_locale() -> str:
    """Choose the locale: the menu's choice, the session, the account, Accept-Language."""
    if not has_request_context():
        # A command, or a domain message made outside a request: the default language.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = g.get("chosen_locale") or normalize(session.get(SESSION_KEY))
    if chosen:
        return chosen
    if (code := _account_locale()) is not None:
        return code
    for value, _quality in request.accept_languages:
        # In the client's order: "zh-TW" is Traditional Chinese, "tl" Filipino, "es-MX" Spanish.
        primary = value.replace("_", "-").split("-")[0]
        if code := normalize(value) or normalize(primary):
            return code
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _account_locale() -> str | None:
    try:
        if current_user and current_user.is_authenticated:
            return normalize(current_user.locale)
    except SQLAlchemyError:
        # The database is down: render the error page in the request's language.
        return None
    return None


def current_language() -> Language:
    """Return the Language of the locale this request renders in."""
    locale = get_locale()
    code = str(locale) if locale else current_app.config["BABEL_DEFAULT_LOCALE"]
    return LANGUAGES.get(code) or LANGUAGES[current_app.config["BABEL_DEFAULT_LOCALE"]]


@lru_cache(maxsize=256)
def display_name(code: str, in_locale: str) -> str:
    """Return a language's name in another language, e.g. Spanish in Arabic."""
    try:
        return Locale.parse(code).get_display_name(Locale.parse(in_locale)) or code
    except (ValueError, TypeError):
        return code


def language_name(code: str) -> str:
    """Return a language's name in the language this request renders in."""
    return display_name(code, current_language().code)


def staff_name(language: Language) -> str:
    """Return a language's name for staff: in the reader's language, then in itself.

    A desk that reads English tells Persian from Urdu by "Persian · فارسی", not by the
    script alone; the language a page is in is named once.
    """
    translated = language_name(language.code)
    if language.code == current_language().code or translated == language.code:
        return language.native_name
    return f"{translated[:1].upper()}{translated[1:]} · {language.native_name}"


def validate(app: Flask) -> None:
    """Refuse to start when a configured language has no table entry or no catalogue."""
    directory = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    default = app.config["BABEL_DEFAULT_LOCALE"]
    unknown = [code for code in app.config["LOCALES"] if code not in LANGUAGES]
    if unknown:
        raise LocaleConfigError(f"No language table entry for: {', '.join(unknown)}")
    if default not in app.config["LOCALES"]:
        raise LocaleConfigError(f"The default locale {default} is not configured.")
    missing = [
        code
        for code in app.config["LOCALES"]
        if not (directory / code / "LC_MESSAGES" / "messages.mo").exists()
    ]
    if missing:
        raise LocaleConfigError(
            f"No compiled catalogue for: {', '.join(missing)} "
            "(run `flask --app wsgi i18n compile`)."
        )


def init_app(app: Flask) -> None:
    """Check the languages and expose the locale table to templates."""
    validate(app)

    @app.context_processor
    def _languages() -> dict:
        return {"languages": configured(), "language": current_language()}
