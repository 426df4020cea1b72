"""A short run of `make load` (bench/load.py): tablets filling check-ins at once against
gunicorn lose and duplicate nothing, on the database the suite runs on."""

import json
import os
import subprocess
import sys

from intake.config import ROOT
from tests import databases


def test_tablets_at_once_lose_and_duplicate_nothing(tmp_path):
    results = tmp_path / "load.json"
    environment = {**os.environ, "LOAD_TABLETS": "6", "LOAD_CHECKINS": "1",
                   "LOAD_DATABASE": "postgres" if databases.is_postgres() else "sqlite",
                   "LOAD_RESULTS": str(results)}
    finished = subprocess.run(
        [sys.executable, "-m", "bench.load"], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    result = json.loads(results.read_text())
    assert (result["completed"], result["lost"], result["duplicated"]) == (6, 0, 0)
    assert {"start", "today", "topics", "room"} <= result["steps"].keys()
