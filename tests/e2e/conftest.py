"""The app in prod mode, and Chromium with a fake microphone, inside the test's network namespace.

The frontend must be built beforehand (`make test` does it, with the network); here
`reflex run --env prod` only recompiles, offline.
"""

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import FIXTURES, ROOT, free_port

expect.set_options(timeout=15_000)  # a shared, busy machine: give the page time, fail on what it shows

CHROMIUM = os.environ.get("CHROMIUM", "/usr/lib/chromium/chromium")


def fake_microphone(wav: Path | str) -> list[str]:
    """Chromium's arguments for a fake microphone that says `wav`, looped, from each capture's start."""
    return ["--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={wav}"]


FAKE_MICROPHONE = fake_microphone(FIXTURES / "hello.wav")
BROWSER_ARGS = [
    "--allow-loopback-in-peer-connection",
    # Outside a namespace Chromium looks up Google's hosts by itself: resolve nothing but loopback.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--no-sandbox",
]


@contextlib.contextmanager
def serving(
    argv: list[str], env: dict, log_path: Path, ready_url: str, timeout_s: float = 180, cwd: Path = ROOT, wait: bool = True
):
    """A server process of its own process group, ready once `ready_url` answers 200 (unless not
    `wait`: then `wait_until_ready` is the caller's); stopped with SIGTERM to the group (and it must stop)."""
    with open(log_path, "a") as log:
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        if wait:
            wait_until_ready(process, log_path, ready_url, timeout_s)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
            pytest.fail(f"{process.args[:3]} did not stop on SIGTERM:\n{log_path.read_text()[-3000:]}")


def wait_until_ready(process: subprocess.Popen, log_path: Path, ready_url: str, timeout_s: float = 180):
    """Until `ready_url` answers 200; the process must not exit meanwhile."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(ready_url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert process.poll() is None, f"{process.args[:3]} exited at start:\n{log_path.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"{process.args[:3]} did not start:\n{log_path.read_text()[-3000:]}"
        time.sleep(0.5)


def app_environment(log_path: Path, **env_changes) -> dict:
    """The test's environment without any API settings, with a database (and recordings) of the app's own."""
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "REFLEX_REDIS_URL")}
    env["REFLEX_DB_URL"] = f"sqlite:///{log_path.parent / 'conversations.db'}"
    env["APP_RECORDINGS_DIR"] = str(log_path.parent / "recordings")  # kept recordings: the test's own
    # Every page of the tests is one browser at one address, and a Connect that fails after its
    # secret was minted holds its slot to the length limit: the caps are tested where they are set.
    env.update(APP_MAX_CONCURRENT_CALLS="1000", APP_MAX_CALLS_PER_CLIENT="100", APP_MAX_CALLS_PER_ADDRESS="1000")
    # The simulator's ear and voice off: the tests of the page are timed by the placeholder's answers
    # (the fake microphone's speech played back, as long as it); test_spoken.py turns them on.
    env["VOICE_SIMULATOR_SPEECH"] = "0"
    env.update(env_changes)
    return env


@contextlib.contextmanager
def running_app(log_path: Path, port: int | None = None, **env_changes):
    """`reflex run --env prod` on a free port: frontend and backend on one. Yields its URL."""
    with running_app_process(log_path, port, **env_changes) as (url, _process):
        yield url


@contextlib.contextmanager
def running_app_process(log_path: Path, port: int | None = None, migrate: bool = True, cpus: str | None = None, **env_changes):
    """As running_app, yielding (URL, the `reflex run` process); on the CPUs `cpus` names
    (`taskset`'s list, e.g. "0"), with every process and thread it starts, if given."""
    port = port or free_port()
    env = app_environment(log_path, **env_changes)
    with open(log_path, "w") as log:
        if migrate:  # as docs/deploying.md says: the schema first, then the app
            subprocess.run(
                [str(ROOT / ".venv/bin/reflex"), "db", "migrate"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=120,
            )
    url = f"http://127.0.0.1:{port}"
    argv = [str(ROOT / ".venv/bin/reflex"), "run", "--env", "prod", "--frontend-port", str(port), "--backend-port", str(port)]
    argv = ["taskset", "--cpu-list", cpus, *argv] if cpus else argv
    with serving(argv, env, log_path, f"{url}/ping") as process:
        httpx.get(url, timeout=10).raise_for_status()  # the page too
        yield url, process


@pytest.fixture(scope="session")
def app_log(tmp_path_factory) -> Path:
    """The log of the session's app: what its operator reads."""
    return tmp_path_factory.mktemp("app") / "reflex.log"


@pytest.fixture(scope="session")
def app_url(app_log):
    # The tests inject faults into the simulator the app mounts when it has no key.
    with running_app(app_log, VOICE_SIMULATOR_FAULTS="1", APP_OPENAI_TIMEOUT_S="3") as url:
        yield url


@pytest.fixture
def control(app_url):
    """The simulator's control API; tests that count calls start with none left by earlier tests."""
    with httpx.Client(base_url=f"{app_url}/simulator/control") as http:
        deadline = time.monotonic() + 45  # a page closed mid-call is noticed by ICE consent at worst
        while http.get("/stats").json()["calls"] and time.monotonic() < deadline:
            time.sleep(0.2)
        yield http
        http.delete("/faults").raise_for_status()


def launch(playwright, *extra, microphone=True):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: run `make test` (installs Debian's chromium) or set CHROMIUM.")
    return playwright.chromium.launch(
        executable_path=CHROMIUM, args=[*BROWSER_ARGS, *(FAKE_MICROPHONE if microphone else []), *extra]
    )


# Module scope: sync Playwright keeps an event loop running while it lives, which the
# asyncio tests in other modules cannot share.
@pytest.fixture(scope="module")
def playwright_driver():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_driver):
    browser = launch(playwright_driver, "--use-fake-ui-for-media-stream")
    yield browser
    browser.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(permissions=["microphone"], viewport={"width": 900, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(app_url)
    yield page
    context.close()


@contextlib.contextmanager
def _own_browser_page(playwright, url, *args, microphone=True):
    browser = launch(playwright, *args, microphone=microphone)
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.set_default_timeout(20_000)
    page.goto(url)
    try:
        yield page
    finally:
        browser.close()


@pytest.fixture
def page_without_microphone(playwright_driver, app_url):
    with _own_browser_page(playwright_driver, app_url) as page:  # no fake UI: the permission request is refused
        yield page


@pytest.fixture
def page_with_no_microphone_at_all(playwright_driver, app_url):
    with _own_browser_page(playwright_driver, app_url, "--use-fake-ui-for-media-stream", microphone=False) as page:
        yield page


def pytest_collection_modifyitems(items):
    """Modules that rebuild the shared `.web` (REBUILDS_FRONTEND = True) run after the others,
    whose session-wide app serves that build."""
    items.sort(key=lambda item: bool(getattr(item.module, "REBUILDS_FRONTEND", False)))
