"""A phone on a slow mobile network: first contentful paint of the welcome page and a step.

Chromium's own network emulation (400 kbit/s each way, 400 ms round trip, as a slow 3G
phone) loads each page with an empty cache; the figure is the page's first contentful
paint, with the number of requests it made. Target: 1.5 s or less.
"""

from __future__ import annotations

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SLOW = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8,
        "uploadThroughput": 400_000 / 8}
TARGET_MS = 1500
FCP = ("new Promise(done => new PerformanceObserver((list, observer) => {"
       " for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint')"
       " { observer.disconnect(); done(entry.startTime); } })"
       ".observe({type: 'paint', buffered: true}))")


def measure(base: str, code: str) -> dict[str, dict]:
    """Return {page: {"fcp_ms": ..., "requests": ...}} for the welcome page and a step."""
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW)
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        for name, go in (("welcome page", lambda: page.goto(base + "/")),
                         ("step page", lambda: _to_step(page, code))):
            go()
            requests.clear()
            page.reload(wait_until="load")
            found[name] = {"fcp_ms": round(page.evaluate(FCP)), "requests": len(requests)}
        browser.close()
    return found


def _to_step(page, code: str) -> None:
    page.locator("#code").fill(code)
    page.locator(".code-form button[type=submit]").click()
    page.wait_for_selector("#progress-text")


def report(found: dict[str, dict]) -> bool:
    """Print the figures; return whether every page met the target."""
    ok = True
    for name, figures in found.items():
        met = figures["fcp_ms"] <= TARGET_MS
        ok &= met
        print(f"slow phone, {name:<14} first paint {figures['fcp_ms']:>5} ms, "
              f"{figures['requests']} requests (target ≤{TARGET_MS} ms "
              f"{'ok' if met else 'MISSED'})")
    return ok
