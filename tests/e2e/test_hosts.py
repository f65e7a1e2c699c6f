"""Two hosts on this machine (issue 27): two backend processes, each in a working directory of its
own, sharing one Redis (with a password) and one PostgreSQL, behind one balancer and one static
frontend; the API is a standalone simulator. Started at the same moment, with no migration first."""

import contextlib
import json
import os
import re
import signal

import httpx
import pytest
import sqlalchemy
from alembic.config import Config
from alembic.script import ScriptDirectory
from playwright.sync_api import expect

from tests.conftest import ROOT
from tests.e2e.test_browser import connect, entries, hang_up, mute, open_settings
from tests.e2e.test_deploy import use_tool
from tests.e2e.test_recording import record_calls, recorded_call
from tests.e2e.two_hosts import HOSTS, Hosts, running, saved_entries
from tests.e2e.waits import until


@pytest.fixture(scope="module")
def hosts(tmp_path_factory, postgresql, mcp_server):
    mcp_url, token = mcp_server
    guarded = {"label": "guarded", "url": mcp_url, "headers": {"Authorization": f"Bearer {token}"}, "allowed_tools": ["multiply"]}
    servers = json.dumps([guarded])
    with running(tmp_path_factory.mktemp("hosts"), postgresql, APP_MAX_CONCURRENT_CALLS="1", APP_MCP_SERVERS=servers) as hosts:
        yield hosts


def reached(page):
    """Once the page's socket has reached a backend (Connect enabled, or a call up)."""
    expect(page.get_by_test_id("connect-button").or_(page.get_by_test_id("disconnect-button"))).to_be_enabled()


@pytest.fixture
def page_on(hosts, browser):
    """Opens a new browser's page with its socket on the host named; after the test, each page's
    call is hung up (the cap of one call is the whole module's) and its browser closed."""
    opened = []

    def open_page(name: str):
        hosts.balancer.send_to(name)
        context = browser.new_context(permissions=["microphone"], viewport={"width": 900, "height": 1000})
        opened.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(hosts.frontend)
        reached(page)
        return page

    yield open_page
    for context in opened:
        for page in context.pages:
            if page.get_by_test_id("disconnect-button").is_visible():
                with contextlib.suppress(AssertionError):  # best effort: the test's own failure says more
                    hang_up(page)
        context.close()


def move(page, hosts: Hosts, name: str):
    """The page's socket to host `name`: the balancer closes its connections to the other host,
    and the page reconnects (the same page, the same call if one is up)."""
    hosts.balancer.send_to(name)
    before = hosts.balancer.opened.count(name)
    for other in HOSTS:
        if other != name:
            hosts.balancer.cut(other)
    until(page, lambda: hosts.balancer.opened.count(name) > before, 60, f"the page reconnecting to host {name}")
    reached(page)


def shown(page) -> str:
    """What the page says of its call: its status, error and server problem, for a failure's message."""
    shown_ids = ("status", "status-detail", "error-message", "server-problem")
    parts = [page.get_by_test_id(test_id).all_inner_texts() for test_id in shown_ids]
    return " | ".join(" ".join(texts) for texts in parts)


def attached_on(page, hosts: Hosts, name: str, before: int) -> tuple[str, str]:
    """(worker pid, call id) of the next call host `name` attaches to after `before` attachments."""
    until(page, lambda: len(hosts.attached(name)) > before, 30, f"host {name} attaching to the call")
    return hosts.attached(name)[-1]


def test_hosts_started_at_the_same_moment_reach_the_newest_schema_and_log_no_error(hosts):
    script = Config()
    script.set_main_option("script_location", str(ROOT / "alembic"))
    head = ScriptDirectory.from_config(script).get_current_head()
    engine = sqlalchemy.create_engine(hosts.database)
    try:
        with engine.connect() as db:
            versions = [row[0] for row in db.execute(sqlalchemy.text("select version_num from alembic_version"))]
    finally:
        engine.dispose()
    assert versions == [head]
    refused = [line for line in hosts.database_log.splitlines() if re.search(r"\b(ERROR|FATAL)\b", line)]
    assert not refused, "the hosts' migrations ran into each other:\n" + "\n".join(refused)
    for name in HOSTS:
        log = hosts.log(name)
        problems = [line for line in log.splitlines() if re.search(r"\b(ERROR|CRITICAL)\b|Traceback|will not be saved", line)]
        assert not problems, f"host {name} logged:\n" + "\n".join(problems)


def test_a_call_admitted_on_one_host_is_counted_on_the_other(hosts, page_on):
    first, second = page_on("a"), page_on("b")
    attached = {name: len(hosts.attached(name)) for name in HOSTS}
    mute(first)
    connect(first)
    attached_on(first, hosts, "a", attached["a"])  # host A admitted the first call
    mute(second)
    second.get_by_test_id("connect-button").click()
    expect(second.get_by_test_id("error-message")).to_contain_text("limit of simultaneous calls")
    hang_up(first)
    connect(second)  # the slot is free again, whichever host freed it
    attached_on(second, hosts, "b", attached["b"])
    hang_up(second)


def test_a_recording_kept_through_one_host_plays_through_the_other_and_a_delete_removes_it(hosts, page_on):
    page = page_on("a")
    record_calls(page)
    recorded_call(page)  # its reload comes back to host A: the balancer still sends there
    page.get_by_test_id("recording-keep").click()
    expect(page.get_by_test_id("recording-message")).to_have_text("Kept with the conversation: play it from History.")
    assert "recording kept" in hosts.log("a")

    move(page, hosts, "b")
    page.get_by_test_id("history-toggle").click()
    page.get_by_test_id("history-open").first.click()
    expect(page.get_by_test_id("history-recording"), "host B offers the recording host A kept").to_be_visible()
    page.wait_for_function("""() => {
        const audio = document.querySelector("[data-testid=history-recording]");
        return audio && !audio.error && audio.readyState >= 1 && audio.duration > 0;
    }""")
    path = re.sub(r"^https?://[^/]+", "", page.get_by_test_id("history-recording").get_attribute("src"))
    for name in HOSTS:  # the pass signed on one host is good on either
        assert httpx.get(hosts.urls[name] + path).status_code == 200, f"host {name} plays it"

    delete = page.get_by_test_id("history-delete").first
    delete.click()
    delete.click()  # the second press deletes
    expect(page.get_by_test_id("history-item")).to_have_count(0)
    for name in HOSTS:
        assert httpx.get(hosts.urls[name] + path).status_code == 404, f"deleted on host {name} too"


def test_an_approval_sent_through_the_other_host_reaches_the_call(hosts, page_on):
    page = page_on("a")
    open_settings(page)
    page.get_by_test_id("mcp-server").click()
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-message")).to_contain_text("Saved")
    mute(page)
    before = len(hosts.attached("a"))
    connect(page)
    attached_on(page, hosts, "a", before)  # host A holds the call's server connection
    move(page, hosts, "b")
    expect(page.get_by_test_id("send-button"), "the call stays up as its page's socket moves to host B").to_be_enabled()
    page.get_by_test_id("text-input").fill('multiply {"a": 4, "b": 5}')
    page.get_by_test_id("send-button").click()
    asked = page.get_by_test_id("mcp-approval")
    until(page, lambda: asked.count() or not shown(page).startswith("connected"), 30, "the approval being asked")
    assert asked.count(), f"no approval was asked; the page shows: {shown(page)}"
    page.get_by_test_id("mcp-approve").click()  # handled by host B
    expect(entries(page).filter(has_text='guarded.multiply({"a": 4, "b": 5}) → 20')).to_have_count(1)
    expect(entries(page).filter(has_text="· approved")).to_have_count(1)
    hang_up(page)


def test_a_call_outlives_the_worker_holding_it(hosts, page_on):
    """kill -9 of the worker holding the call's server connection, mid-call: another host takes the
    call over, the model's next tool call runs, and the conversation is saved whole, once."""
    page = page_on("a")
    mute(page)
    before = len(hosts.attached("a"))
    connect(page)
    pid, call = attached_on(page, hosts, "a", before)
    use_tool(page, 'remember {"note": "the blue door"}', "Noted (1 on the pad)")

    hosts.balancer.send_to("b")  # where the page reconnects once its host is gone
    os.kill(int(pid), signal.SIGKILL)

    def taken_over():
        return call in [attached for _, attached in hosts.attached("b")]

    until(page, lambda: taken_over() or shown(page).startswith(("idle", "error")), 60, "host B taking the call over")
    assert taken_over(), f"host B did not take the call over; the page shows: {shown(page)}\n{hosts.log('b')[-6000:]}"
    reached(page)
    use_tool(page, 'remember {"note": "the red door"}', "Noted (2 on the pad)")
    assert re.search(rf"INFO tool ran call={re.escape(call)} tool=remember", hosts.log("b")), "host B ran it"
    expect(page.get_by_test_id("error-message")).to_have_count(0)
    expect(page.get_by_test_id("server-problem")).to_have_count(0)
    hang_up(page)

    turns = [("user", 'remember {"note": "the blue door"}'), ("user", 'remember {"note": "the red door"}')]
    roles = ["user", "tool", "assistant"] * len(turns)
    until(page, lambda: [role for role, _ in saved_entries(hosts, page)] == roles, 30, f"the conversation saved as {roles}")
    saved = saved_entries(hosts, page)
    assert [saved[0], saved[3]] == turns
    assert len(set(saved)) == len(saved), f"an entry is saved twice: {saved}"
    page.reload()
    expect(entries(page)).to_have_count(len(roles))
