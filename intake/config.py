"""Configuration: defaults, then INTAKE_* environment variables, then test overrides."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


class ConfigError(RuntimeError):
    """Raised at start-up when the configuration cannot work."""


def defaults(instance_path: str) -> dict:
    """Return the settings every installation starts from."""
    return {
        "ENV": "development",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'intake.sqlite'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        # How long a write waits for a lock (SQLite's write lock, PostgreSQL's row and table
        # locks), and how long one PostgreSQL statement may run: both well below the
        # server's worker time-out (deploy/gunicorn.conf.py: 30 s), so that a stuck lock
        # gives the calm 503 page, never a killed worker. A request makes at most a few
        # writes in a row: 3 x 5 s stays below 30 s.
        "DATABASE_LOCK_TIMEOUT": timedelta(seconds=5),
        "DATABASE_STATEMENT_TIMEOUT": timedelta(seconds=15),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "LOCALES": [
            "en", "es", "ar", "zh_Hans", "zh_Hant", "vi", "ko", "fil",
            "ru", "uk", "fa", "ur", "fr", "pt_BR", "ht", "so",
        ],
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "MAX_FORM_MEMORY_SIZE": 64 * 1024,
        "MAX_FORM_PARTS": 200,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "SESSION_COOKIE_NAME": "intake",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        "STAFF_IDLE_TIMEOUT": timedelta(minutes=15),
        "STAFF_ABSOLUTE_TIMEOUT": timedelta(hours=8),
        # Login throttling: the arithmetic is in docs/decisions.md.
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_FAILURE_WINDOW": timedelta(minutes=15),
        "LOGIN_LOCKOUT": timedelta(minutes=15),
        "LOGIN_LOCKOUT_MAX": timedelta(hours=1),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": 10,
        "LOGIN_ADDRESS_WINDOW": timedelta(hours=1),
        "LOGIN_ADDRESS_LOCKOUT": timedelta(hours=1),
        "KIOSK_IDLE_TIMEOUT": timedelta(minutes=3),
        "KIOSK_IDLE_WARNING": timedelta(seconds=30),
        "CHECKIN_LIFETIME": timedelta(hours=24),
        "PREFERRED_URL_SCHEME": "http",
        # Where phones reach the app, for links and QR codes: never the request's Host or
        # X-Forwarded-Host, which a client can forge. Required in production.
        "BASE_URL": DEVELOPMENT_BASE_URL,
        # How many proxies stand in front (each must overwrite, not append to, the
        # X-Forwarded-* headers it receives): that many hops of X-Forwarded-For, -Proto
        # and -Host are trusted, for the client's address, HTTPS and same-origin checks.
        "BEHIND_PROXY": 0,
        # The keys that seal free text at rest (intake/sealing.py), outside the database.
        "TEXT_KEYS_FILE": str(Path(instance_path) / "text_keys"),
        # The practice's time zone until an admin sets one (an IANA name).
        "TIMEZONE": "UTC",
        # Where the intake link is emailed from (smtp://user:password@host:port/?from=...);
        # None: the desk is not offered to email it.
        "SMTP_URL": None,
    }


def from_environment(environ: os._Environ | dict) -> dict:
    """Read the INTAKE_* variables that are set."""
    settings: dict = {}
    if url := environ.get("INTAKE_DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = url
    if key := environ.get("INTAKE_SECRET_KEY"):
        settings["SECRET_KEY"] = key
    if env := environ.get("INTAKE_ENV"):
        settings["ENV"] = env
    if minutes := environ.get("INTAKE_KIOSK_IDLE_MINUTES"):
        settings["KIOSK_IDLE_TIMEOUT"] = timedelta(minutes=float(minutes))
    if hours := environ.get("INTAKE_CHECKIN_HOURS"):
        settings["CHECKIN_LIFETIME"] = timedelta(hours=float(hours))
    if proxies := environ.get("INTAKE_BEHIND_PROXY"):
        settings["BEHIND_PROXY"] = int(proxies)
    if base := environ.get("INTAKE_BASE_URL"):
        settings["BASE_URL"] = base.rstrip("/")
    if locale := environ.get("INTAKE_DEFAULT_LOCALE"):
        settings["BABEL_DEFAULT_LOCALE"] = locale
    if keys := environ.get("INTAKE_TEXT_KEYS_FILE"):
        settings["TEXT_KEYS_FILE"] = keys
    if zone := environ.get("INTAKE_TIMEZONE"):
        settings["TIMEZONE"] = zone
    if smtp := environ.get("INTAKE_SMTP_URL"):
        settings["SMTP_URL"] = smtp
    return settings


def finish(config: dict, instance_path: str) -> None:
    """Derive the settings that depend on others and refuse unsafe combinations."""
    production = config["ENV"] == "production"
    if not config.get("SECRET_KEY"):
        if production:
            raise ConfigError("INTAKE_SECRET_KEY must be set when INTAKE_ENV=production.")
        config["SECRET_KEY"] = _development_secret(Path(instance_path))
    try:
        ZoneInfo(config["TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"INTAKE_TIMEZONE {config['TIMEZONE']!r} is not an IANA time zone "
                          "name (for example Europe/Madrid).") from error
    config["BASE_URL"] = _base_url(config.get("BASE_URL"), production)
    if production:
        config["SESSION_COOKIE_SECURE"] = True
        config["SESSION_COOKIE_NAME"] = "__Host-intake"
        config["PREFERRED_URL_SCHEME"] = "https"
    lock = config["DATABASE_LOCK_TIMEOUT"].total_seconds()
    connect_args = config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault("connect_args", {})
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        connect_args.setdefault("timeout", lock)  # SQLite's busy time-out
        _private_folder(Path(instance_path))
    elif config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        statement = config["DATABASE_STATEMENT_TIMEOUT"].total_seconds()
        connect_args.setdefault("options", f"-c lock_timeout={int(lock * 1000)} "
                                           f"-c statement_timeout={int(statement * 1000)}")


def _base_url(base: str | None, production: bool) -> str:
    """Return the address links are built on; refuse one that cannot be it."""
    if production and (not base or base == DEVELOPMENT_BASE_URL):
        raise ConfigError("INTAKE_BASE_URL must be set when INTAKE_ENV=production: the "
                          "address phones open for links and QR codes.")
    parts = urlsplit(base or "")
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or (
            production and parts.scheme != "https"):
        raise ConfigError(f"INTAKE_BASE_URL is not an address links can start with: {base!r}")
    return base.rstrip("/")


def _private_folder(folder: Path) -> None:
    """Keep the instance folder (the database, the secret) readable by its owner only."""
    folder.mkdir(parents=True, exist_ok=True)
    if folder.stat().st_uid == os.getuid():
        folder.chmod(0o700)


def _development_secret(instance: Path) -> str:
    """Return the instance folder's secret key, creating it once with mode 0600."""
    path = instance / "secret_key"
    _private_folder(instance)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()
