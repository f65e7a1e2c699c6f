"""The events the page forwards to Python: written once, in events.py, and enough for the reducers."""

import re
from pathlib import Path

from voice_app.live.translate import CREATED, DELEGATED, USAGE
from voice_app.realtime import events
from voice_app.realtime.events import ServerEvent
from voice_app.realtime.insight import _HANDLERS as INSIGHT_HANDLERS
from voice_app.realtime.transcript import _HANDLERS as TRANSCRIPT_HANDLERS
from voice_app.realtime.transcript import Transcript

BROWSER_CODE = Path(__file__).parents[2] / "assets" / "realtime"


def test_forwarded_events_are_real_server_events_once_each():
    assert all(isinstance(kind, ServerEvent) for kind in events.FORWARDED)
    assert len(set(events.FORWARDED)) == len(events.FORWARDED)


def test_forwarded_events_cover_what_the_transcript_and_the_figures_handle():
    handled = set(TRANSCRIPT_HANDLERS) | set(INSIGHT_HANDLERS)
    # the app's own (live/translate.py): made from GPT-Live's usage, its delegated calls', and its creation
    assert handled - set(events.FORWARDED) == {USAGE, DELEGATED, CREATED}


def test_merged_deltas_are_forwarded_text_deltas_of_the_transcript():
    for kind in events.MERGED_DELTAS:
        assert kind in events.FORWARDED
        assert TRANSCRIPT_HANDLERS[kind] is Transcript._delta  # merging appends text: only for deltas


def test_the_browser_modules_do_not_restate_the_event_list():
    named = {
        kind
        for path in BROWSER_CODE.glob("*.js")
        for kind in re.findall(r"[\"'`]([a-z_]+(?:\.[a-z_]+)+)[\"'`]", path.read_text())
    }
    assert named & {str(kind) for kind in ServerEvent} == set()  # the list comes in as a prop
