"""Browser tests: the real app under gunicorn, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from intake import create_app
from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import Practice
from tests import databases
from tests.conftest import TEXT_KEYS, settings

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
TABLET = {"width": 820, "height": 1180}
PHONE = {"width": 390, "height": 844}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_database(tmp_path_factory, migrated_template) -> str:
    return databases.copy(migrated_template, tmp_path_factory.mktemp("live"))


@pytest.fixture(scope="session")
def live_app(live_database):
    """The same database as the server, for arranging data and checking what was saved."""
    app = create_app(settings(live_database))
    with app.app_context():
        with write_transaction() as session:
            session.add(Practice(name="Test Practice", crisis_line="988",
                                 emergency_number="911"))
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def server(live_database, live_app, tmp_path_factory):
    port = _free_port()
    env = {
        **os.environ,
        "INTAKE_DATABASE_URL": live_database,
        "INTAKE_SECRET_KEY": "test-secret",
        "INTAKE_INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        "INTAKE_TEXT_KEYS_FILE": str(TEXT_KEYS),
    }
    process = subprocess.Popen(  # noqa: S603  (our own command line)
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=1).close()  # noqa: S310
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError(process.stderr.read().decode())
    yield base
    process.terminate()
    process.wait(timeout=10)
    process.stderr.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=[TABLET, PHONE], ids=["tablet", "phone"])
def page(request, browser):
    context = browser.new_context(viewport=request.param, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# Letters and digits drawn exactly like a code point no font has are drawn without a font: the
# "tofu" box Chinese showed on machines where the fonts were missing.
_MISSING_GLYPHS = """
(text) => {
  const canvas = document.createElement('canvas'); canvas.width = 48; canvas.height = 48;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  ctx.font = '32px ' + getComputedStyle(document.body).fontFamily;
  const draw = (ch) => { ctx.clearRect(0, 0, 48, 48); ctx.fillText(ch, 4, 36);
    const pixels = ctx.getImageData(0, 0, 48, 48).data; let sum = 0;
    for (let i = 3; i < pixels.length; i += 4) sum = (sum * 31 + pixels[i]) | 0;
    return sum; };
  const tofu = draw('\\u{10FFFD}');
  const seen = new Set(); const missing = [];
  for (const ch of text) {
    if (seen.has(ch) || !/[\\p{L}\\p{N}]/u.test(ch)) continue;
    seen.add(ch);
    if (draw(ch) === tofu) missing.push(ch);
  }
  return missing;
}
"""


def missing_glyphs(page) -> list[str]:
    """Return the letters and digits of the page that are drawn with no font."""
    return page.evaluate(_MISSING_GLYPHS, page.inner_text("body"))


def size_name(page) -> str:
    return "phone" if page.viewport_size["width"] < 600 else "tablet"


@pytest.fixture
def arrange(live_app):
    """Make a therapist, a client and a check-in in the server's database."""
    from datetime import timedelta

    from intake.practice import consent
    from intake.practice.accounts import create_staff
    from intake.practice.checkins import create_check_in
    from intake.practice.clients import add_client
    from intake.staff.blueprint import policy

    counter = {"n": 0}

    def check_in(questionnaire="intake", locale="en", consented=True):
        counter["n"] += 1
        n = f"{time.monotonic_ns()}"
        with live_app.app_context():
            therapist = create_staff(f"t{n}@example.org", "a long password", "therapist",
                                     policy())
            client = add_client(f"B-{n}", therapist.email, locale, live_app.config["LOCALES"])
            if consented:
                consent.record(client.id, "accepted", locale, None)
            made = create_check_in(client.id, questionnaire, timedelta(hours=1))
            code, check_in_id = made.code, made.id
            db.session.remove()
        return code, check_in_id

    return check_in


def saved_answers(live_app, check_in_id) -> dict:
    from sqlalchemy import select

    from intake.models import Response

    with live_app.app_context():
        response = db.session.scalar(select(Response).where(Response.check_in_id == check_in_id))
        result = {"submitted": response is not None and response.submitted_at is not None}
        for row in response.answers if response else []:
            value = row.code if row.code is not None else (
                row.number if row.number is not None else row.written())
            result.setdefault(row.question, []).append(value)
        db.session.remove()
        return result
