"""Configuration: defaults, INTAKE_* variables, and refusing to start unsafely."""

import stat

import pytest

from intake import config, create_app
from intake.infra.i18n import LocaleConfigError


def test_environment_variables_override_defaults():
    settings = config.from_environment({
        "INTAKE_DATABASE_URL": "postgresql+psycopg://u@h/db",
        "INTAKE_SECRET_KEY": "k",
        "INTAKE_KIOSK_IDLE_MINUTES": "5",
    })
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert settings["SECRET_KEY"] == "k"
    assert settings["KIOSK_IDLE_TIMEOUT"].total_seconds() == 300


def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_ENV", "production")
    monkeypatch.delenv("INTAKE_SECRET_KEY", raising=False)
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(config.ConfigError):
        create_app()


def test_production_cookies_are_secure(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_ENV", "production")
    monkeypatch.setenv("INTAKE_BASE_URL", "https://checkin.example.org/")
    monkeypatch.setenv("INTAKE_SECRET_KEY", "a long random secret")
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-intake"


def test_production_refuses_to_start_without_a_base_url(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_ENV", "production")
    monkeypatch.setenv("INTAKE_SECRET_KEY", "a long random secret")
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("INTAKE_BASE_URL", raising=False)
    database = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"}
    with pytest.raises(config.ConfigError, match="INTAKE_BASE_URL"):
        create_app(database)
    for wrong in ("checkin.example.org", "http://checkin.example.org", "https://"):
        monkeypatch.setenv("INTAKE_BASE_URL", wrong)
        with pytest.raises(config.ConfigError, match="INTAKE_BASE_URL"):
            create_app(database)
    monkeypatch.setenv("INTAKE_BASE_URL", "https://checkin.example.org/")
    assert create_app(database).config["BASE_URL"] == "https://checkin.example.org"


def test_development_generates_a_private_secret_once(tmp_path, monkeypatch):
    monkeypatch.delenv("INTAKE_SECRET_KEY", raising=False)
    monkeypatch.delenv("INTAKE_ENV", raising=False)
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path))
    first = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})
    second = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700  # the database lives here too


def test_the_app_refuses_to_start_without_the_default_catalogue(tmp_path):
    with pytest.raises(LocaleConfigError):
        create_app({"SECRET_KEY": "k", "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path),
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})


def test_the_app_refuses_an_unconfigured_default_locale(tmp_path):
    with pytest.raises(LocaleConfigError):
        create_app({"SECRET_KEY": "k", "BABEL_DEFAULT_LOCALE": "de",
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})


def test_the_server_waits_longer_than_the_database(tmp_path):
    """A stuck lock answers with the calm page before gunicorn kills the worker."""
    import runpy

    from intake.config import ROOT

    server = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    database = config.defaults(str(tmp_path))
    lock = database["DATABASE_LOCK_TIMEOUT"].total_seconds()
    statement = database["DATABASE_STATEMENT_TIMEOUT"].total_seconds()
    assert server["timeout"] > 3 * lock and server["timeout"] > statement
    assert server["graceful_timeout"] < server["timeout"]
    unit = (ROOT / "deploy" / "intake.service").read_text()
    assert "\nKillMode=control-group\n" in unit
    assert "gunicorn -c deploy/gunicorn.conf.py" in unit


def test_gunicorn_accepts_the_configuration(tmp_path):
    import os
    import subprocess
    import sys

    from intake.config import ROOT

    environment = {**os.environ, "INTAKE_INSTANCE_PATH": str(tmp_path),
                   "INTAKE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}",
                   "INTAKE_TEXT_KEYS_FILE": str(tmp_path / "text_keys")}
    checked = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
