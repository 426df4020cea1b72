"""`make load`: simulated tablets fill complete check-ins at once against gunicorn.

Gunicorn runs with the deployed configuration (deploy/gunicorn.conf.py, 4 workers) on a
fresh database, SQLite by default or PostgreSQL with LOAD_DATABASE=postgres (started as
the PostgreSQL tests start it). LOAD_TABLETS tablets (20) each fill LOAD_CHECKINS
check-ins (3) in turn, from the code to the thank-you page, typing a text of their own on
every step that has a text question. A step (its POST and the page it leads to)
answered with the calm 503 page is sent again after a moment, as a person would.
Afterwards every check-in is read back: completed, lost (not finished, or a text missing
or changed) and duplicated (a text stored twice), with p50/p95/p99 of each step's time.
Exits 1 on any lost or duplicated answer. Results go to bench/results/load-<database>.json.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
from collections import defaultdict
from pathlib import Path

from bench.run import RESULTS, ROOT, Page, Session, _free_port

TABLETS = int(os.environ.get("LOAD_TABLETS", "20"))
CHECKINS = int(os.environ.get("LOAD_CHECKINS", "3"))
DATABASE = os.environ.get("LOAD_DATABASE", "sqlite")
QUESTIONNAIRE = "pre_session"
RETRIES = 20


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="intake-load-"))
    url, drop = database(workdir, DATABASE, "load")
    env = {**os.environ, "INTAKE_DATABASE_URL": url, "INTAKE_SECRET_KEY": "load-secret",
           "INTAKE_INSTANCE_PATH": str(workdir), "INTAKE_KIOSK_IDLE_MINUTES": "60",
           "INTAKE_TEXT_KEYS_FILE": str(workdir / "text_keys")}
    os.environ.update(env)
    try:
        codes = _prepare()
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
            cwd=ROOT, env={**env, "INTAKE_BIND": f"127.0.0.1:{port}"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(base)
            timings, retries = _run(base, codes)
        finally:
            server.terminate()
            server.wait(timeout=30)
        outcome = _check(codes)
    finally:
        drop()
    return _report(outcome, timings, retries)


def database(workdir: Path, kind: str, purpose: str):
    """Return the URL of a fresh database of this kind, and how to drop it afterwards."""
    if kind != "postgres":
        return f"sqlite:///{workdir / f'{purpose}.sqlite'}", lambda: None
    from sqlalchemy import create_engine, text

    server = subprocess.run([str(ROOT / "scripts" / "postgres-for-tests")], check=True,
                            capture_output=True, text=True).stdout.strip()
    name = f"intake_{purpose}_{os.getpid()}"
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"{server}/{name}", drop


def _prepare() -> dict[str, str]:
    """Migrate, add a therapist and one client per check-in; return code -> text typed."""
    from flask_migrate import upgrade

    from intake import create_app
    from intake.extensions import db
    from intake.infra.database import write_transaction
    from intake.models import Practice
    from intake.practice.accounts import create_staff
    from intake.practice.checkins import create_check_in
    from intake.practice.clients import add_client
    from intake.staff.blueprint import policy

    app = create_app()
    codes = {}
    with app.app_context():
        upgrade()
        with write_transaction() as session:
            session.add(Practice(name="Load test", crisis_line="988", emergency_number="911"))
        create_staff("load@example.org", "load-password", "therapist", policy())
        for number in range(TABLETS * CHECKINS):
            client = add_client(f"LOAD-{number:04d}", "load@example.org", "en",
                                app.config["LOCALES"])
            check_in = create_check_in(client.id, QUESTIONNAIRE, app.config["CHECKIN_LIFETIME"])
            codes[check_in.code] = f"typed on tablet, check-in {number}"
        db.engine.dispose()
    return codes


def _text_questions() -> list[str]:
    from intake.answers.labels import is_text
    from intake.questionnaires import REGISTRY

    return [question.key for question in REGISTRY[QUESTIONNAIRE].questions()
            if is_text(QUESTIONNAIRE, question.key)]


def _run(base: str, codes: dict[str, str]):
    timings: dict[str, list[float]] = defaultdict(list)
    retries = [0]
    lock = threading.Lock()
    texts = _text_questions()
    queue = list(codes.items())

    def tablet(share: list[tuple[str, str]]) -> None:
        for code, typed in share:
            client = Session(base)
            started = time.perf_counter()
            client.post("/start", {"code": code}, token_from="/")
            _note("start", started)
            page = client.get("/checkin")
            if page.geturl().removeprefix(base) == "/consent":
                # A first questionnaire: the client reads who sees the answers, and goes on.
                started = time.perf_counter()
                client.post("/consent", {"choice": "accepted"}, token_from="/consent")
                _note("consent", started)
                page = client.get("/checkin")
            path, html = page.geturl().removeprefix(base), page.read().decode()
            while path.startswith("/checkin/"):
                token = Session.TOKEN.search(html).group(1)
                fields = {"csrf_token": token, "go": "next", **{key: typed for key in texts}}
                for _attempt in range(RETRIES):
                    # One step as a tablet does it: the POST, then the next page it leads to.
                    started = time.perf_counter()
                    try:
                        response = Page(client.opener.open(
                            base + path, urllib.parse.urlencode(fields).encode()))
                        html = response.read().decode()
                        break
                    except urllib.error.HTTPError as error:
                        error.close()
                        if error.code != 503:
                            raise
                        with lock:
                            retries[0] += 1
                        time.sleep(0.5)
                else:
                    break  # gave up: the check-in counts as lost
                _note(path.removeprefix("/checkin/"), started)
                path = response.geturl().removeprefix(base)
            client.get("/done")

    def _note(step: str, started: float) -> None:
        with lock:
            timings[step].append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=tablet, args=(queue[n::TABLETS],))
               for n in range(TABLETS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, retries[0]


def _check(codes: dict[str, str]) -> dict:
    from sqlalchemy import select

    from intake import create_app
    from intake.extensions import db
    from intake.models import Answer, CheckIn, Response

    texts = set(_text_questions())
    outcome = {"check_ins": len(codes), "completed": 0, "lost": 0, "duplicated": 0}
    with create_app().app_context():
        for code, typed in codes.items():
            check_in = db.session.scalar(select(CheckIn).where(CheckIn.code == code))
            response = db.session.scalar(
                select(Response).where(Response.check_in_id == check_in.id))
            written = [answer.written() for answer in db.session.scalars(
                select(Answer).where(Answer.response_id == response.id,
                                     Answer.question.in_(texts)))]
            finished = check_in.finished_at is not None and response.submitted_at is not None
            if len(written) > len(texts):
                outcome["duplicated"] += 1
            elif not finished or sorted(written) != [typed] * len(texts):
                outcome["lost"] += 1
            else:
                outcome["completed"] += 1
        db.engine.dispose()
    return outcome


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _report(outcome: dict, timings: dict[str, list[float]], retries: int) -> int:
    steps = {step: {"count": len(values), "p50": statistics.median(values),
                    "p95": _percentile(values, 0.95), "p99": _percentile(values, 0.99)}
             for step, values in timings.items()}
    print(f"{DATABASE}: {TABLETS} tablets, {outcome['check_ins']} check-ins: "
          f"{outcome['completed']} completed, {outcome['lost']} lost, "
          f"{outcome['duplicated']} duplicated; {retries} steps sent again after a 503")
    print(f"{'step':<28}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for step, figures in steps.items():
        print(f"{step:<28}{figures['count']:>6}{figures['p50']:>10.0f}"
              f"{figures['p95']:>10.0f}{figures['p99']:>10.0f}")
    target = Path(os.environ.get("LOAD_RESULTS") or RESULTS / f"load-{DATABASE}.json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(
        {"tablets": TABLETS, **outcome, "retries": retries, "steps": steps}, indent=2))
    return 1 if outcome["lost"] or outcome["duplicated"] else 0


def _wait(base: str) -> None:
    import urllib.request

    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/", timeout=1).close()  # noqa: S310
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


if __name__ == "__main__":
    sys.exit(main())
