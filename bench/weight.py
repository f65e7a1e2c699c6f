"""Page weight: what a real page load transfers before Connect, gzipped, against the 300 kB budget.

Chromium loads our page (and, for scale, the baseline page) and waits until Connect is ready and
the network is quiet; every response's body is counted as gzip sends it (a body the server already
compressed counts as sent). Also runnable alone, as a breakdown per file:
    scripts/in-netns .venv/bin/python -m bench.weight
"""

import contextlib
import gzip
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.pages import HERE
from tests.e2e.conftest import BROWSER_ARGS, CHROMIUM, running_app

BUDGET_KB = 300  # gzipped, before Connect (issue 26)
READY_MS = 60_000
QUIET_MS = 1000  # after the network goes idle: what a timer fetches a moment later counts too


def _compressed(response) -> int:
    """The body's bytes as gzip sends them; as sent, when the server compressed it itself."""
    if response.headers.get("content-encoding"):
        return response.request.sizes()["responseBodySize"]
    try:
        return len(gzip.compress(response.body(), 6))
    except Exception:  # a redirect or an aborted request: no body
        return 0


def loaded(browser, url: str, ready: str | None) -> dict[str, tuple[int, int]]:
    """{url: (bytes, gzipped bytes)} of every response of one fresh load, until `ready` (a CSS
    selector of an enabled element) is there and the network has been quiet a while."""
    context = browser.new_context()
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    try:
        page.goto(url)
        if ready:
            page.wait_for_function(
                f"() => {{ const e = document.querySelector('{ready}'); return e && !e.disabled; }}", timeout=READY_MS
            )
        page.wait_for_load_state("networkidle", timeout=READY_MS)
        page.wait_for_timeout(QUIET_MS)
        page.wait_for_load_state("networkidle", timeout=READY_MS)
        sizes = {}
        for response in responses:
            if response.request.resource_type == "websocket":
                continue
            sizes[response.url] = (len(response.body()), _compressed(response))
        return sizes
    finally:
        context.close()


@contextlib.contextmanager
def _browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def measure(app_url: str) -> tuple[dict, dict]:
    """(our page's responses, the baseline page's), as `loaded` gives them."""
    with _browser() as browser:
        ours = loaded(browser, app_url, "[data-testid=connect-button]")
        baseline_page = Path(tempfile.mkdtemp(prefix="weight-")) / "baseline.html"
        baseline_page.write_text((HERE / "baseline.html").read_text())
        baseline = loaded(browser, baseline_page.as_uri(), None)
    return ours, baseline


def rows(breakdown: bool = False) -> list[str]:
    """The rows, from our app served as `reflex run --env prod` serves it; `breakdown`: each of our
    page's files is printed first, largest first."""
    with running_app(Path(tempfile.mkdtemp(prefix="weight-")) / "reflex.log") as app_url:
        ours, baseline = measure(app_url)
    if breakdown:
        for url, (size, zipped) in sorted(ours.items(), key=lambda item: -item[1][1]):
            print(f"{zipped / 1024:8.1f} kB gzipped {size / 1024:8.1f} kB  {url.removeprefix(app_url)}")
    total, zipped = (sum(s[i] for s in ours.values()) for i in (0, 1))
    base_zipped = sum(s[1] for s in baseline.values()) or 1
    verdict = "within" if zipped <= BUDGET_KB * 1024 else "OVER"
    return [
        f"| page weight before Connect, gzipped ({len(ours)} responses; {total / 1024:.0f} kB unzipped) "
        f"| {zipped / 1024:.1f} kB | {base_zipped / 1024:.1f} kB | {zipped / base_zipped:.1f} |",
        f"| page weight before Connect, against its budget ({verdict}) | {zipped / 1024:.1f} kB | budget {BUDGET_KB} kB "
        f"| {zipped / (BUDGET_KB * 1024):.2f} |",
    ]


if __name__ == "__main__":
    print("\n".join(rows(breakdown=True)))
