"""The deployment guide, followed to the letter: its commands are read from docs/deploying.md and
run as written, on free ports. A plain static file server serves the exported frontend; the
backend runs alone, then as two workers sharing the page state in a real Redis.
"""

import contextlib
import re
import secrets
import shlex
import socket
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import NO_SPEECH, ROOT, free_port, standalone_simulator
from tests.e2e.conftest import app_environment, serving
from tests.e2e.test_browser import connect, entries, hang_up
from tests.e2e.test_history import muted, say
from tests.e2e.test_memory import remembered

REBUILDS_FRONTEND = True  # the export replaces the shared `.web` build

GUIDE_PORTS = {"8000": "backend", "3000": "frontend", "6379": "redis"}
KEY = "sk-test-deployed-0123456789"


def guide_blocks() -> list[list[str]]:
    """The shell blocks of the deployment guide, as lists of command lines."""
    guide = (ROOT / "docs" / "deploying.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", guide, re.S)
    return [[line for line in block.splitlines() if line.strip()] for block in blocks]


def parsed(line: str, ports: dict, shell: dict) -> tuple[dict, list[str]]:
    """A guide line as (environment assignments, argv), with the guide's ports swapped for ours
    and its `$VARIABLES` (the operator's own secrets) read from `shell`, as a shell would."""
    line = re.sub(r"\b(8000|3000|6379)\b", lambda m: str(ports[GUIDE_PORTS[m.group(1)]]), line)
    line = re.sub(r"\$([A-Z_]+)", lambda m: shell[m.group(1)], line)
    words = shlex.split(line, comments=True)
    env = {}
    while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    return env, words


def _wait_for_port(port: int, process: subprocess.Popen, timeout_s: float = 30):
    deadline = time.monotonic() + timeout_s
    while True:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        assert process.poll() is None and time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.1)


@contextlib.contextmanager
def follow(commands: list[str], ports: dict, env: dict, logs: Path):
    """Run the guide's commands in order: one-off commands to completion, servers kept running
    until the end. Yields each server's log path by what it serves."""
    served: dict[str, Path] = {}
    with contextlib.ExitStack() as stack:
        for number, line in enumerate(commands):
            assignments, argv = parsed(line, ports, env)
            run_env = {**env, **assignments}
            log_path = logs / f"{number}-{Path(argv[0]).name}.log"
            if argv[0] == "redis-server":
                log = stack.enter_context(open(log_path, "w"))
                process = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
                stack.callback(lambda p=process: (p.terminate(), p.wait(10)))
                _wait_for_port(ports["redis"], process)
                served["redis"] = log_path
            elif "run" in argv:
                stack.enter_context(serving(argv, run_env, log_path, f"http://127.0.0.1:{ports['backend']}/ping"))
                served["backend"] = log_path
            elif "http.server" in argv:
                stack.enter_context(serving(argv, run_env, log_path, f"http://127.0.0.1:{ports['frontend']}/"))
                served["frontend"] = log_path
            else:
                done = subprocess.run(argv, cwd=ROOT, env=run_env, capture_output=True, text=True, timeout=600)
                assert done.returncode == 0, f"{line}\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        yield served


@pytest.fixture(scope="module")
def deployment(request, tmp_path_factory):
    """The guide's first block; for "redis", with its `reflex run` replaced by the second block,
    and the API a standalone simulator (the built-in one lives in a single worker)."""
    basic, scaled = guide_blocks()
    logs = tmp_path_factory.mktemp(f"deploy-{request.param}")
    ports = {name: free_port() for name in GUIDE_PORTS.values()}
    with contextlib.ExitStack() as stack:
        if request.param == "redis":
            simulator_url = stack.enter_context(standalone_simulator(options=NO_SPEECH))[0]
            env = app_environment(
                logs / "app", OPENAI_API_KEY=KEY, OPENAI_BASE_URL=simulator_url + "/v1", REDIS_PASSWORD=secrets.token_urlsafe(18)
            )
            at = next(i for i, line in enumerate(basic) if " run " in line)
            commands = basic[:at] + scaled + basic[at + 1 :]
        else:
            env, commands = app_environment(logs / "app"), basic
        served = stack.enter_context(follow(commands, ports, env, logs))
        yield f"http://127.0.0.1:{ports['frontend']}", served["backend"]


@pytest.fixture
def deployed_page(browser, deployment):
    context = browser.new_context(permissions=["microphone"], viewport={"width": 900, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(deployment[0])
    yield page
    context.close()


def test_the_guide_has_a_static_frontend_a_backend_and_a_redis_variant():
    basic, scaled = guide_blocks()
    assert any("reflex export" in line and "REFLEX_API_URL=" in line for line in basic)
    assert any("http.server" in line for line in basic)
    assert any("--backend-only" in line for line in basic)
    assert any("REFLEX_REDIS_URL=" in line and "GRANIAN_WORKERS=2" in line for line in scaled)
    # Redis as production runs it: with a password, which the workers' URL carries.
    assert any(line.startswith("redis-server") and '--requirepass "$REDIS_PASSWORD"' in line for line in scaled)
    assert any('REFLEX_REDIS_URL="redis://:$REDIS_PASSWORD@' in line for line in scaled)


@pytest.mark.parametrize("deployment", ["one-backend", "redis"], indirect=True)
def test_a_conversation_works_end_to_end_and_survives_a_reload(deployed_page, deployment):
    page = deployed_page
    assert page.url.startswith(deployment[0])  # the page comes from the static server, not the backend
    connect(page)
    expect(entries(page).nth(1)).to_contain_text("I heard", timeout=30_000)  # a spoken turn
    muted(page)
    say(page, "Is the static frontend talking to the backend")
    hang_up(page)
    count = entries(page).count()
    page.reload()
    expect(entries(page)).to_have_count(count)
    asked = page.locator("[data-testid=transcript-entry][data-role=user]").filter(has_text="Is the static frontend talking")
    expect(asked).to_have_count(1)
    expect(page.get_by_test_id("status")).to_have_text("idle")


def use_tool(page, text: str, result: str):
    """A typed turn that makes the simulator call an example tool; done once the model has answered."""
    page.get_by_test_id("text-input").fill(text)
    page.get_by_test_id("send-button").click()
    tool = page.locator("[data-testid=transcript-entry][data-role=tool]").filter(has_text=f"{text.split()[0]}(").last
    try:
        expect(tool).to_contain_text(result, timeout=20_000)
        expect(entries(page).last).to_contain_text("The tools returned", timeout=20_000)
        expect(entries(page).last).to_have_attribute("data-status", "done", timeout=20_000)
    except AssertionError as failed:  # what the page showed says where the turn stopped
        shown = "\n".join(entries(page).all_inner_texts())
        problem = page.get_by_test_id("error-message").all_inner_texts()
        raise AssertionError(f"{failed}\nThe transcript:\n{shown}\nError shown: {problem}") from None


def _connected_by(page, backend_log: Path) -> str:
    """Connect, and say which worker minted the call's secret (the log names its pid)."""
    before = backend_log.read_text().count("client secret minted")
    connect(page)
    minted = re.findall(r"voice_app\[(\d+)\] INFO client secret minted", backend_log.read_text())
    assert len(minted) == before + 1
    return minted[-1]


def _reconnected_to(page, backend_log: Path, wanted) -> str:
    """Reload (a new websocket, which either worker may take) and connect, until the worker that
    serves the page is one `wanted` accepts."""
    for _ in range(20):
        page.reload()
        expect(page.get_by_test_id("connect-button")).to_be_enabled()
        worker = _connected_by(page, backend_log)
        if wanted(worker):
            return worker
        hang_up(page)
    pytest.fail("twenty reloads never reached the other worker")


@pytest.mark.parametrize("deployment", ["redis"], indirect=True)
def test_a_page_moving_between_workers_carries_on_where_it_was(deployed_page, deployment):
    """The note pad lives only in the page state (not in the saved conversation): a worker that
    served the page before and kept a stale copy would show it. Worker A, then B, then A again."""
    page, backend_log = deployed_page, deployment[1]
    muted(page)
    first = _connected_by(page, backend_log)
    use_tool(page, 'remember {"note": "the blue door"}', "Noted (1 on the pad)")
    hang_up(page)
    _reconnected_to(page, backend_log, lambda worker: worker != first)
    assert "the blue door" in remembered(page), "the other worker gives the new session the conversation"
    use_tool(page, 'remember {"note": "the red door"}', "Noted (2 on the pad)")
    hang_up(page)
    _reconnected_to(page, backend_log, lambda worker: worker == first)
    use_tool(page, "recall", "1. the blue door; 2. the red door")
    hang_up(page)
    page.reload()
    expect(entries(page)).to_have_count(11)  # three turns of user, tool and answer, and a question
    roles = [entries(page).nth(i).get_attribute("data-role") for i in range(11)]
    assert roles == ["user", "tool", "assistant", "user", "assistant", *["user", "tool", "assistant"] * 2]
    # Each call's tools ran on the worker holding the server's connection to that call: both did.
    log = backend_log.read_text()
    holder = {call: pid for pid, call in re.findall(r"voice_app\[(\d+)\] INFO server attached call=(\S+)", log)}
    ran = re.findall(r"voice_app\[(\d+)\] INFO tool ran call=(\S+)", log)
    assert len(ran) == 3 and all(holder[call] == pid for pid, call in ran), ran
    assert len({pid for pid, _ in ran}) == 2
