"""`make bench`: requests per second of client and staff pages against a bare Flask route.

Everything runs in one go on this machine: gunicorn with one sync worker serves the
app on a fresh SQLite database, wrk loads each route in turn, and every figure is
reported as a ratio to the bare route measured in the same run, so the machine's
speed cancels out. Page weights are summed from the real responses.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench import slow_phone

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DURATION = os.environ.get("BENCH_SECONDS", "4")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# Minimum ratios of requests per second to the bare route's (latency targets as rates:
# "brief at most 4x the bare route's latency" is a rate of at least 1/4).
TARGETS = {"welcome page (tablet)": 0.5, "kiosk step GET": 0.5, "kiosk step POST": 0.3,
           "brief, 500 appointments": 0.25, "dashboard, 1000 clients": 0.2,
           "Today, 60 appointments": 0.2}
TODAY_APPOINTMENTS = 60
PAGE_LIMIT = 30 * 1024
# BENCH_DATABASE=postgres runs the same rounds on PostgreSQL (started as the PostgreSQL
# tests start it); its ratios are then compared with SQLite's last run (within 20%).
DATABASE = os.environ.get("BENCH_DATABASE", "sqlite")
SAME_WITHIN = 0.2


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 1
    from bench.load import database

    workdir = Path(tempfile.mkdtemp(prefix="intake-bench-"))
    url, drop = database(workdir, DATABASE, "bench")
    env = {
        **os.environ,
        "INTAKE_DATABASE_URL": url,
        "INTAKE_SECRET_KEY": "bench-secret",
        "INTAKE_INSTANCE_PATH": str(workdir),
        "INTAKE_KIOSK_IDLE_MINUTES": "60",
        "INTAKE_PASSWORD": "bench-password",
    }
    flask = [sys.executable, "-m", "flask", "--app", "bench.app"]
    run = {"cwd": ROOT, "env": env, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([*flask, "db", "upgrade"], **run)
    subprocess.run([*flask, "demo"], **run)
    made = subprocess.run(
        [*flask, "demo", "--clients", "1", "--appointments", "500"], cwd=ROOT, env=env,
        check=True, capture_output=True, text=True).stdout
    long_history = re.search(r"\((\S+) to", made).group(1)
    made = subprocess.run(
        [*flask, "demo", "--clients", "999", "--appointments", "5"], cwd=ROOT, env=env,
        check=True, capture_output=True, text=True).stdout
    _a_busy_day(flask, run, workdir, int(re.search(r"\(B-(\d+) to", made).group(1)))
    code = _checkin(flask, run, "pre_session")
    port = _free_port()
    server = subprocess.Popen(
        _pinned([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind",
                 f"127.0.0.1:{port}", "bench.app:app"]),
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base)
        results = measure(base, code, flask, run, long_history)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
        drop()
    return report(results)


def measure(base: str, code: str, flask, run, long_history_reference: str) -> dict:
    kiosk = Session(base)
    kiosk.post("/start", {"code": code}, token_from="/")
    _accept_consent(kiosk, base)
    step_path = kiosk.get("/checkin").geturl().removeprefix(base)
    token = kiosk.token(step_path)
    cookie = kiosk.cookie_header()
    body = urllib.parse.urlencode({"csrf_token": token, "go": "next", "feeling_today": "6"})
    tablet = Session(base)
    tablet.get("/")
    tablet.get("/")
    admin = Session(base)
    admin.post("/staff/login", {"email": "admin@example.org", "password": "demo-password"},
               token_from="/staff/login")
    long_history = _client_id(admin, long_history_reference)
    routes = {
        "bare route": (base + "/bench/bare", None, None),
        # The tablet between clients: its device cookie and session are already set.
        "welcome page (tablet)": (base + "/", tablet.cookie_header(), None),
        "welcome page (first visit)": (base + "/", None, None),
        "kiosk step GET": (base + step_path, cookie, None),
        "kiosk step POST": (base + step_path, cookie, body),
        "brief, 500 appointments": (f"{base}/staff/clients/{long_history}",
                                    admin.cookie_header(), None),
        "dashboard, 1000 clients": (base + "/staff/", admin.cookie_header(), None),
        "Today, 60 appointments": (base + "/staff/today", admin.cookie_header(), None),
    }
    # Each round loads every route in turn; a round's ratios share its bare-route figure,
    # and the median round is reported, so a burst of load elsewhere on the machine
    # moves one round, not the result.
    rounds = [{name: _wrk(*route) for name, route in routes.items()} for _ in range(ROUNDS)]
    return {"rounds": rounds, "weights": page_weights(base, flask, run),
            "slow_phone": slow_phone.measure(base, _checkin(flask, run, "pre_session"))}


def _accept_consent(client: Session, base: str) -> int | None:
    """Continue past the consent page if the client has not yet; return its weight then."""
    response = client.get("/checkin")
    if response.geturl().removeprefix(base) != "/consent":
        return None
    weight = _weigh(client, response.read())
    client.post("/consent", {"choice": "accepted"}, token_from="/consent")
    return weight


def page_weights(base: str, flask, run) -> dict:
    """Fetch every client page of every questionnaire; sum its bytes with CSS and JS."""
    weights = {}
    for questionnaire in ("intake", "pre_session", "post_session", "periodic"):
        client = Session(base)
        client.post("/start", {"code": _checkin(flask, run, questionnaire)}, token_from="/")
        consent = _accept_consent(client, base)
        if consent is not None:
            weights["/consent"] = consent
        for _ in range(20):
            response = client.get("/checkin")
            path = response.geturl().removeprefix(base)
            html = response.read()
            if not path.startswith("/checkin/"):
                break
            weights[f"{questionnaire} {path}"] = _weigh(client, html)
            client.post(path, {"go": "next"}, token_from=path)
        thanks = client.get("/thanks")
        weights[f"{questionnaire} /thanks"] = _weigh(client, thanks.read())
    welcome = Session(base)
    weights["/"] = _weigh(welcome, welcome.get("/").read())
    weights["/what-to-expect"] = _weigh(welcome, welcome.get("/what-to-expect").read())
    return weights


def _weigh(client: Session, html: bytes) -> dict:
    text = html.decode()
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', text)
    foreign = re.findall(r'(?:src|href|action)="((?:https?:)?//[^"]+)"', text)
    total = len(html) + sum(len(client.get(asset).read()) for asset in set(assets))
    return {"bytes": total, "foreign": foreign}


def report(results: dict) -> int:
    rounds = results["rounds"]
    failed = False
    print(f"{'route':<26}{'req/s':>10}{'ratio':>8}   rounds{'':<12}target")
    for name in rounds[0]:
        ratios = [one[name] / one["bare route"] for one in rounds]
        ratio = statistics.median(ratios)
        rate = statistics.median(one[name] for one in rounds)
        target = TARGETS.get(name)
        ok = target is None or ratio >= target
        failed |= not ok
        mark = "" if target is None else f"≥{target:.2f} {'ok' if ok else 'MISSED'}"
        spread = " ".join(f"{value:.2f}" for value in ratios)
        print(f"{name:<26}{rate:>10.0f}{ratio:>8.2f}   {spread:<18}{mark}")
    heaviest = max(results["weights"].items(), key=lambda item: item[1]["bytes"])
    foreign = {page: w["foreign"] for page, w in results["weights"].items() if w["foreign"]}
    print(f"client pages: {len(results['weights'])}, heaviest {heaviest[0]} "
          f"{heaviest[1]['bytes'] / 1024:.1f} KB with CSS and JS (limit 30 KB); "
          f"requests to other hosts: {sum(len(v) for v in foreign.values())}")
    failed |= heaviest[1]["bytes"] > PAGE_LIMIT or bool(foreign)
    failed |= not slow_phone.report(results["slow_phone"])
    failed |= _compare_with_sqlite(rounds)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "latest.json" if DATABASE == "sqlite" else f"latest-{DATABASE}.json"
    (RESULTS / name).write_text(json.dumps(results, indent=2))
    return 1 if failed else 0


def _ratios(rounds: list[dict]) -> dict[str, float]:
    return {name: statistics.median(one[name] / one["bare route"] for one in rounds)
            for name in rounds[0] if name != "bare route"}


def _compare_with_sqlite(rounds: list[dict]) -> bool:
    """On PostgreSQL, tell whether any ratio strays more than 20% from SQLite's last run,
    and what each page costs more, in milliseconds of this run's machine."""
    sqlite_run = RESULTS / "latest.json"
    if DATABASE == "sqlite" or not sqlite_run.exists():
        return False
    theirs = _ratios(json.loads(sqlite_run.read_text())["rounds"])
    bare_ms = 1000 / statistics.median(one["bare route"] for one in rounds)
    strayed = False
    print(f"{'route':<26}{'postgres':>10}{'sqlite':>8}{'added':>10}")
    for name, ratio in _ratios(rounds).items():
        ok = abs(ratio / theirs[name] - 1) <= SAME_WITHIN
        strayed |= not ok
        # A ratio is the bare route's time over the page's: the page's time is the bare
        # route's divided by its ratio, on either database.
        added = (1 / ratio - 1 / theirs[name]) * bare_ms
        print(f"{name:<26}{ratio:>10.2f}{theirs[name]:>8.2f}{added:>8.2f} ms   "
              f"{'within 20%' if ok else 'MORE THAN 20% APART'}")
    return strayed


class Session:
    """A browser-like client: keeps cookies, posts forms with their CSRF token."""

    TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> Page:
        return Page(self.opener.open(self.base + path))

    def token(self, path: str) -> str:
        return self.TOKEN.search(self.get(path).read().decode()).group(1)

    def post(self, path: str, data: dict, token_from: str) -> Page:
        fields = {"csrf_token": self.token(token_from), **data}
        return Page(self.opener.open(self.base + path, urllib.parse.urlencode(fields).encode()))

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)


class Page:
    """A response read to its end at once, as a browser reads it, so that its connection
    closes. A response left unread keeps a sync worker waiting for the client to close
    (gunicorn lingers up to 2 s after each response), and every other tablet behind it.
    """

    def __init__(self, response):
        with response:
            self.url = response.geturl()
            self.body = response.read()

    def geturl(self) -> str:
        return self.url

    def read(self) -> bytes:
        return self.body


def _client_id(session: Session, reference: str) -> int:
    html = session.get(f"/staff/?q={reference}").read().decode()
    return int(re.search(r'href="/staff/clients/(\d+)"', html).group(1))


def _a_busy_day(flask, run, workdir: Path, first: int) -> None:
    """Import a day of appointments (every ten minutes from 07:00, in two rooms), the way a
    practice loads its calendar, and start a pre-session check-in for a third of them."""
    day = time.strftime("%Y-%m-%d", time.gmtime())
    rows = ["reference,start,minutes,room,kind"]
    for n in range(TODAY_APPOINTMENTS):
        hour, minute = divmod(7 * 60 + n * 10, 60)
        rows.append(f"B-{first + n:06d},{day} {hour:02d}:{minute:02d},50,Room {n % 2 + 1},")
    day_file = workdir / "day.csv"
    day_file.write_text("\n".join(rows) + "\n")
    subprocess.run([*flask, "appointments", "import", str(day_file)], **run)
    for n in range(0, TODAY_APPOINTMENTS, 3):
        subprocess.run([*flask, "checkin", f"B-{first + n:06d}", "pre_session"], **run)


def _checkin(flask, run, questionnaire: str) -> str:
    output = subprocess.run(
        [*flask, "checkin", "C-1005", questionnaire], cwd=run["cwd"], env=run["env"],
        check=True, capture_output=True, text=True,
    ).stdout
    return re.search(r"code: (\w+)", output).group(1)


# wrk keeps the cookies the server sets, as a browser does: a visit's session is re-signed
# when its idle clock moves (every few seconds), not on every request as a replayed
# cookie would make it.
KEEP_COOKIES = """
request = function() return wrk.format() end
response = function(status, headers, body)
  local set = headers["Set-Cookie"]
  if not set then return end
  local name, value = set:match("^([^=]+)=([^;]*)")
  if not name then return end
  local cookie = wrk.headers["Cookie"]
  local pattern = name:gsub("%p", "%%%0") .. "=[^;]*"
  local replacement = (name .. "=" .. value):gsub("%%", "%%%%")
  local replaced, found = cookie:gsub(pattern, replacement)
  if found == 0 then replaced = cookie .. "; " .. name .. "=" .. value end
  wrk.headers["Cookie"] = replaced
end
"""


def _wrk(url: str, cookie: str | None = None, body: str | None = None) -> float:
    """Return requests per second over a short run with two connections."""
    command = ["wrk", "-t1", "-c2", f"-d{DURATION}s", "--latency"]
    script = None
    if cookie or body:
        script = Path(tempfile.mkstemp(suffix=".lua")[1])
        lines = []
        if cookie:
            lines.append(f"wrk.headers['Cookie'] = {json.dumps(cookie)}")
            lines.append(KEEP_COOKIES)
        if body:
            lines.append("wrk.method = 'POST'")
            lines.append(f"wrk.body = {json.dumps(body)}")
            lines.append("wrk.headers['Content-Type'] = 'application/x-www-form-urlencoded'")
        script.write_text("\n".join(lines) + "\n")
        command += ["-s", str(script)]
    output = subprocess.run(
        [*command, url], check=True, capture_output=True, text=True
    ).stdout
    if script:
        script.unlink()
    if "Non-2xx or 3xx responses" in output:
        raise RuntimeError(f"errors while loading {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def _pinned(command: list[str]) -> list[str]:
    return ["taskset", "-c", "0", *command] if shutil.which("taskset") else command


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(base: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/bench/bare", timeout=1).close()  # noqa: S310
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


if __name__ == "__main__":
    sys.exit(main())
