"""Reflex makes every public method of a state an event any client may send, with any arguments
(Reflex issue 7032). So the events a client can reach are listed here, each one the page sends: a
new public method fails this test until it is meant (and used)."""

import re

import reflex as rx

import voice_app.voice_app  # noqa: F401  (the app: every state is defined)
from tests.conftest import ROOT

# state class -> the events the page (or on_load) sends it; setvar reaches only `set_` handlers.
REACHABLE = {
    "CallState": {
        "connection_status",
        "disconnect",
        "image_problem",
        "interrupt",
        "page_loaded",
        "send_text",
        "set_draft",
        "shortcut",
        "start_talking",
        "stop_talking",
        "toggle_mute",
    },
    "ConnectState": {"connect", "prepare"},
    "ChannelState": {"image_shown", "receive_events"},
    "ConversationState": {"export_json", "export_markdown", "page_loaded"},
    "HistoryState": {"close", "continue_conversation", "delete", "download", "new_conversation", "open", "refresh"},
    "InsightState": {"logged", "page_loaded", "set_log_filter", "set_log_json", "toggle_log"},
    "LiveState": {"offer"},
    "McpState": set(),  # what it shows is the server's: the answers go to ServerCallState
    "RecordingState": {"keep", "page_loaded", "recording_changed"},
    "SettingsFormState": {"apply_settings", "choose_microphone", "page_loaded"},
    "SettingsState": {"found_microphones", "pick_engine", "toggle_settings"},
    # `hear` is sent by the server's own handlers (call_reported, LiveState.offer); it checks that the
    # call is the page's own, not yet heard.
    "ServerCallState": {"approve", "call_reported", "decline", "hear"},
}


def _ours() -> dict[str, type[rx.State]]:
    found, todo = {}, [rx.State]
    while todo:  # by subclass, which needs no Reflex context (a test's own thread has none)
        state = todo.pop()
        todo.extend(state.__subclasses__())
        if state.__module__.startswith("voice_app.") and not getattr(state, "_mixin", False):
            found[state.__name__] = state
    return found


def test_only_the_events_the_page_sends_are_reachable():
    states = _ours()
    assert set(states) == set(REACHABLE), "a state was added or removed: list what the page sends it"
    for name, state in states.items():
        reachable = set(state.event_handlers) - {"setvar"}
        assert reachable == REACHABLE[name], f"{name}: {sorted(reachable ^ REACHABLE[name])}"


def test_every_reachable_event_is_one_the_page_sends():
    """The list above is not a wish list: each event is named in the page's code."""
    page = "\n".join(path.read_text() for path in (ROOT / "voice_app").rglob("*.py") if "simulator" not in path.parts)
    for name, events in REACHABLE.items():
        for event in events:
            assert re.search(rf"\b{name}\.{event}\b", page), f"{name}.{event} is reachable but the page never sends it"


def test_a_helper_made_public_would_be_caught():
    """What the first test checks does fail for a public helper: Reflex registers any public
    function of a state, decorated or not; a private one it leaves alone."""

    def helper(self):
        pass

    assert rx.State._item_is_event_handler("helper", helper)
    assert not rx.State._item_is_event_handler("_helper", helper)
