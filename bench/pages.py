"""Our page and the baseline page in headless Chromium, with the same stopwatch in both."""

import contextlib
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from tests.conftest import standalone_simulator
from tests.e2e.conftest import BROWSER_ARGS, CHROMIUM, FAKE_MICROPHONE, running_app_process
from voice_app.realtime import catalog

HERE = Path(__file__).parent
BASELINE_PATH = "/bench-baseline"
READY_MS = 60_000


@contextlib.contextmanager
def launched(log_path: Path, **env):
    """A standalone simulator, our app's backend (with a key) against it, and Chromium: yields
    (browser, app URL, the simulator's control API, the app's process)."""
    with (
        standalone_simulator() as (simulator_url, _, _log),
        running_app_process(log_path, OPENAI_API_KEY="sk-bench", OPENAI_BASE_URL=f"{simulator_url}/v1", **env) as (
            app_url,
            process,
        ),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*BROWSER_ARGS, *FAKE_MICROPHONE, "--use-fake-ui-for-media-stream"]
        )
        # No kept-alive connections: the server may close an idle one as the next request goes out.
        control = httpx.Client(base_url=f"{simulator_url}/control", limits=httpx.Limits(max_keepalive_connections=0))
        try:
            yield browser, app_url, control, process
        finally:
            browser.close()


def simulator_api(control: httpx.Client) -> str:
    """The simulator's API, beside its control API."""
    return str(control.base_url).removesuffix("/control/").removesuffix("/control") + "/v1"


@contextlib.contextmanager
def opened(
    browser, app_url: str, api_url: str, baseline: bool, muted: bool = False, frames: list | None = None, live: bool = False
):
    """A fresh browser context on our page or the baseline (which mints straight at `api_url`,
    the simulator our app's backend uses). Muted pages send no
    speech, so no answer starts by voice. What the page sends on its websockets goes to `frames`
    as (time, text). `live`: our page with GPT-Live chosen."""
    context = browser.new_context(permissions=["microphone"], viewport={"width": 900, "height": 1000})
    page = context.new_page()
    page.add_init_script(path=str(HERE / "instrument.js"))
    if live:
        page.add_init_script("localStorage.setItem('voice_settings', JSON.stringify({engine: 'live'}))")
    if frames is not None:
        page.on("websocket", lambda ws: ws.on("framesent", lambda text: frames.append((time.monotonic(), str(text)))))
    try:
        if baseline:
            page.add_init_script(
                f"window.BASELINE = {{secretsUrl: '{api_url}{catalog.CLIENT_SECRETS_PATH}', "
                f"callsUrl: '{api_url}{catalog.CALLS_PATH}', model: '{catalog.DEFAULT_MODEL}'}};"
            )
            # At the API's own origin: Chromium's private network access would stop its fetches
            # from another loopback port (ours go through the backend).
            origin = api_url.removesuffix("/v1")
            html = (HERE / "baseline.html").read_text()
            page.route(f"{origin}{BASELINE_PATH}*", lambda route: route.fulfill(body=html, content_type="text/html"))
            page.goto(f"{origin}{BASELINE_PATH}{'?muted' if muted else ''}")
        else:
            page.goto(app_url)
            page.get_by_test_id("connect-button").wait_for(state="visible", timeout=READY_MS)
            page.wait_for_function("() => !document.querySelector('[data-testid=connect-button]').disabled", timeout=READY_MS)
            if muted:
                page.get_by_test_id("mute-button").click()
                page.wait_for_function(
                    "() => document.querySelector('[data-testid=mute-button]').getAttribute('aria-pressed') === 'true'"
                )
        yield page
        page.evaluate("() => window.__benchPeers.forEach((pc) => pc.close())")
    finally:
        context.close()


POINTED_MS = 300  # a person's pointer reaches a button a few hundred ms before the click


def click_connect(page) -> None:
    """As a person does: the pointer onto Connect (a real hover, on either page), a pause, then the
    click, with the stopwatch started in the same task, so no test-driver time is counted."""
    page.hover("[data-testid=connect-button]")
    page.wait_for_timeout(POINTED_MS)
    page.evaluate(
        "() => { window.__bench.click = performance.now(); document.querySelector('[data-testid=connect-button]').click(); }"
    )


def wait_connected(page) -> None:
    page.wait_for_function("() => window.__bench.connected !== null", timeout=READY_MS)


def send_text(page, baseline: bool, text: str) -> None:
    if baseline:
        page.evaluate("(text) => sendText(text)", text)
    else:
        page.get_by_test_id("text-input").fill(text)
        page.get_by_test_id("send-button").click()


def stopwatch(page) -> dict:
    return page.evaluate("() => window.__bench")
