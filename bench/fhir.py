"""`make bench`: the practice's FHIR NDJSON export, its rate and whether its memory stays flat.

A fresh SQLite database gets 1,000 submitted responses (every questionnaire, every kind of
answer, free text sealed as usual), then 9,000 more. After each, the whole practice is
exported as the admin's page and `flask fhir export` do (fhir_response.export_responses),
the lines counted and thrown away: once timed, once under tracemalloc for the peak of
memory allocated while exporting. Constant memory means the peak for 10,000 responses is
about the peak for 1,000. The process's peak RSS (ru_maxrss) is reported too.
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, insert, select

from intake import create_app
from intake.answers.submit import write_response
from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import Answer, CheckIn, Client, Practice, Response
from intake.practice.accounts import create_staff
from intake.questionnaires import RATHER_NOT_SAY, REGISTRY, Kind
from intake.reports import fhir_response
from intake.staff.blueprint import policy

RESULTS = Path(__file__).resolve().parent / "results"
SIZES = (1_000, 10_000)
CLIENTS = 200
# Flat: the peak for 10,000 responses within this factor of the peak for 1,000 (plus 1 MB).
FLAT = 1.5
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def answers_for(key: str, n: int) -> dict:
    """Return a full response that varies with n: choices, numbers, rather-not-say, text."""
    answers: dict = {}
    for question in REGISTRY[key].questions():
        choices = [c for c in question.choices_at(REGISTRY[key].version) if not c.exclusive]
        if question.kind is Kind.SINGLE:
            answers[question.key] = choices[n % len(choices)].code
        elif question.kind is Kind.MULTIPLE:
            answers[question.key] = [c.code for c in choices[n % 2::3]]
        elif question.kind is Kind.SCALE:
            answers[question.key] = RATHER_NOT_SAY if n % 7 == 0 else n % (question.high + 1)
        else:
            answers[question.key] = f"Texto libre número {n}: «quiero dormir mejor» ✓"
    return answers


def seed(first: int, last: int) -> None:
    """Store responses first..last-1 (ids too), each with its finished check-in."""
    keys = list(REGISTRY)
    with write_transaction() as session:
        connection = session.connection()
        for n in range(first, last):
            key = keys[n % len(keys)]
            at = START + timedelta(minutes=n)
            client_id = 1 + n % CLIENTS
            connection.execute(insert(CheckIn), {
                "id": n + 1, "client_id": client_id, "questionnaire": key,
                "code": f"B{n:08d}", "link_nonce": f"bench-{n}", "created_at": at,
                "started_at": at, "finished_at": at, "expires_at": at + timedelta(days=1)})
            connection.execute(insert(Response), {
                "id": n + 1, "check_in_id": n + 1, "client_id": client_id,
                "questionnaire": key, "version": REGISTRY[key].version,
                "locale": ("en", "es", "ar", "zh_Hans")[n % 4], "step": 0, "created_at": at,
                "updated_at": at, "submitted_at": at})
            write_response(connection, n + 1, REGISTRY[key], answers_for(key, n),
                           ("en", "es", "ar", "zh_Hans")[n % 4])


def export_all() -> int:
    """Export every response as the admin does; return the number of lines."""
    made = fhir_response.export_responses(None, "https://practice.example.org", via="bench")
    return sum(chunk.count("\n") for chunk in made.chunks)


def measure(size: int) -> dict:
    started = time.perf_counter()
    lines = export_all()
    seconds = time.perf_counter() - started
    assert lines == size, (lines, size)
    rows = db.session.scalar(select(func.count(Answer.id)))
    tracemalloc.start()
    tracemalloc.reset_peak()
    export_all()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"responses": size, "seconds": round(seconds, 2),
            "responses_per_second": round(size / seconds),
            "answer_rows": rows, "answer_rows_per_second": round(rows / seconds),
            "peak_traced_kib": peak // 1024,
            "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="intake-bench-fhir-"))
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI":
                      f"sqlite:///{workdir / 'bench.sqlite'}",
                      "TEXT_KEYS_FILE": str(workdir / "text_keys"),
                      "PASSWORD_HASH_PROFILE": "CHEAPEST"})
    results = []
    try:
        with app.app_context():
            upgrade()
            with write_transaction() as session:
                session.add(Practice(name="Bench"))
            therapist = create_staff("bench@example.org", "bench-password-long",
                                     "therapist", policy())
            with write_transaction() as session:
                session.add_all(Client(id=i, reference=f"B-{i:04d}", therapist_id=therapist.id,
                                       locale="en") for i in range(1, CLIENTS + 1))
            done = 0
            for size in SIZES:
                seed(done, size)
                done = size
                db.session.remove()
                results.append(measure(size))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    small, large = results
    flat = large["peak_traced_kib"] <= small["peak_traced_kib"] * FLAT + 1024
    print(f"{'FHIR NDJSON export':<20}{'responses':>10}{'per s':>8}{'answer rows/s':>15}"
          f"{'peak KiB':>10}{'max RSS KiB':>13}")
    for one in results:
        print(f"{'':<20}{one['responses']:>10}{one['responses_per_second']:>8}"
              f"{one['answer_rows_per_second']:>15}{one['peak_traced_kib']:>10}"
              f"{one['max_rss_kib']:>13}")
    print(f"memory {'flat' if flat else 'GROWS'}: peak {small['peak_traced_kib']} KiB for "
          f"{small['responses']}, {large['peak_traced_kib']} KiB for {large['responses']} "
          f"(limit x{FLAT} + 1 MB)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "fhir.json").write_text(json.dumps({"runs": results, "flat": flat}, indent=2))
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
