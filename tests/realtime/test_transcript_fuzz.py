"""The reducers under random and malformed events: they never raise; the transcript never loses a settled entry."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voice_app.realtime.events import ServerEvent
from voice_app.realtime.insight import Insight
from voice_app.realtime.transcript import DONE, Transcript

ids = st.sampled_from(["item_a", "item_b", "item_c", None, "", 7])
texts = st.one_of(st.none(), st.text(max_size=20), st.integers())
anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
items = st.fixed_dictionaries(
    {"id": ids, "type": st.sampled_from(["message", "function_call", "function_call_output", "weird", None])},
    optional={
        "role": st.sampled_from(["user", "assistant", "system", None]),
        "status": st.sampled_from(["completed", "incomplete", None]),
        "content": st.one_of(
            anything, st.lists(st.fixed_dictionaries({}, optional={"text": texts, "transcript": texts}), max_size=2)
        ),
        "call_id": ids,
        "name": texts,
        "arguments": texts,
        "output": texts,
    },
)
events = st.fixed_dictionaries(
    {"type": st.one_of(st.sampled_from([str(kind) for kind in ServerEvent]), st.text(max_size=10))},
    optional={
        "event_id": st.one_of(st.none(), st.text(max_size=3)),
        "item": st.one_of(items, anything),
        "item_id": ids,
        "received_ms": st.one_of(st.integers(), st.floats(allow_nan=False), st.text(max_size=3)),
        "usage": anything,
        "previous_item_id": ids,
        "delta": texts,
        "transcript": texts,
        "text": texts,
        "call_id": ids,
        "response": st.one_of(
            anything,
            st.fixed_dictionaries(
                {
                    "status": st.sampled_from(["cancelled", "completed", None]),
                    "output": st.one_of(anything, st.lists(items, max_size=2)),
                    "usage": anything,
                }
            ),
        ),
    },
)


@pytest.mark.slow  # two hundred generated event lists
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(events, anything), max_size=40))
def test_reducer_never_raises_and_keeps_settled_entries(batch):
    transcript, insight = Transcript(), Insight(model="gpt-realtime")
    settled = {}
    for event in batch:
        transcript.apply_all([event])
        if isinstance(event, dict):
            insight.apply(event)
        for entry in transcript.entries:
            if entry["status"] == DONE and entry["role"] != "tool":
                settled.setdefault(entry["id"], entry)
        for item_id in settled:
            assert transcript.find(item_id) is not None, "a completed entry was lost"
    assert all(isinstance(entry["text"], str) for entry in transcript.entries)
