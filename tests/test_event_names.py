"""Event names are written once: in voice_app/realtime/events.py and voice_app/live/events.py,
each one a name the `openai` package's types know.

Decided: the simulator implements the same APIs, so it uses the same names modules (it is scanned
like the app). Tests are not scanned: they are the APIs' clients, and spell the wire names
themselves, so a wrong name in an enum shows as a failing test instead of passing everywhere.
Names of one word ("error", "info") are not scanned either: they are also status words, keys
and the like. The browser code cannot import Python: JS_REPEATS below is what it writes itself.
"""

import ast
import re
from pathlib import Path
from typing import Literal, get_args, get_origin

import openai.types.live as live_types
import openai.types.realtime as realtime_types
import openai.types.responses as responses_types
import pytest

from voice_app.live.events import ClientEvent as LiveClient
from voice_app.live.events import ResponseEvent
from voice_app.live.events import ServerEvent as LiveServer
from voice_app.realtime.events import ClientEvent, ServerEvent

ROOT = Path(__file__).resolve().parent.parent
ENUM_MODULES = {ROOT / "voice_app/realtime/events.py", ROOT / "voice_app/live/events.py"}
NAMES = {str(member) for enum in (ServerEvent, ClientEvent, LiveServer, LiveClient, ResponseEvent) for member in enum}
DOTTED = {name for name in NAMES if "." in name}
# What the page does by itself, before Python hears of it, with the API's own wire names: it
# knows a GPT-Live session has started (then it sends what it held) and why it closed, hangs one
# up, and sends the image the user picked as an item. Each must be a name the enums hold.
JS_REPEATS = {"session.started", "session.closed", "session.close", "conversation.item.create"}


def _literals(kind) -> set[str]:
    """The `type` literals of a union of the package's event models (pydantic or TypedDict)."""
    if get_origin(kind) is Literal:
        return set(get_args(kind))
    found = set()
    for part in get_args(kind):
        found |= _literals(part)
    if hasattr(kind, "model_fields"):
        found |= _literals(kind.model_fields["type"].annotation)
    return found


@pytest.mark.parametrize(
    ("enum", "unions"),
    [
        (ServerEvent, (realtime_types.RealtimeServerEvent,)),
        (ClientEvent, (realtime_types.RealtimeClientEvent,)),
        (LiveServer, (live_types.ServerEvent, live_types.ConnectServerEvent)),
        (LiveClient, (live_types.ClientEvent, live_types.ConnectClientEvent)),
        (ResponseEvent, (responses_types.ResponseStreamEvent,)),
    ],
)
def test_each_name_is_the_packages(enum, unions):
    known = set().union(*map(_literals, unions))
    assert known, "the package's union was not read"
    assert [str(member) for member in enum if member not in known] == []


def _python_sources():
    for path in sorted((ROOT / "voice_app").rglob("*.py")):
        if path not in ENUM_MODULES:
            yield path


def test_event_names_are_written_only_in_the_enums():
    """A string (or bytes) constant equal to a dotted event name, anywhere in the app or the simulator."""
    found = []
    for path in _python_sources():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
                text = node.value.decode(errors="replace") if isinstance(node.value, bytes) else node.value
                if text.strip('"') in DOTTED:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {text}")
    assert found == []


def test_the_scan_finds_a_written_name(tmp_path, monkeypatch):
    """The scan above can fail: a module writing one is caught."""
    module = tmp_path / "voice_app" / "stray.py"
    module.parent.mkdir()
    module.write_text('HANG_UP = {"type": "session.close"}\n')
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    with pytest.raises(AssertionError, match="stray.py:1 session.close"):
        test_event_names_are_written_only_in_the_enums()


def test_the_browser_writes_only_its_few_names():
    written = set()
    for path in (ROOT / "assets/realtime").glob("*.js"):
        code = re.sub(r"//[^\n]*", "", path.read_text())  # comments may name events freely
        written |= set(re.findall(r"""["'`]([a-z_]+(?:\.[a-z_]+)+)["'`]""", code))
    assert written == JS_REPEATS
    assert JS_REPEATS <= NAMES
