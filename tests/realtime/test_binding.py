"""A call is the page's own only once it shows the mark its secret was minted with."""

import pytest
from openai.types.realtime.realtime_tracing_config_param import TracingConfiguration

from voice_app.realtime import binding
from voice_app.realtime.binding import Binding, NotOurs


def updated(mark: str | None) -> dict:
    session = {"type": "realtime", "model": "gpt-realtime-2.1"}
    if mark is not None:
        session["tracing"] = binding.tracing(mark)
    return {"type": "session.updated", "event_id": "event_1", "session": session}


def test_the_mark_is_a_tracing_configuration_the_api_takes():
    tracing = binding.tracing("m1")
    assert set(tracing) <= set(TracingConfiguration.__annotations__) and isinstance(tracing["workflow_name"], str)
    assert binding.mark_of({"tracing": tracing}) == "m1"
    assert binding.mark_of({"tracing": "auto"}) == binding.mark_of(None) == binding.mark_of({"tracing": {"metadata": 5}}) == ""


def test_nothing_is_acted_on_until_the_call_shows_its_mark_then_everything_in_order():
    bound = Binding("m1")
    first, second = {"type": "input_audio_buffer.speech_started"}, {"type": "conversation.item.added"}
    assert bound.take(first) == [] and bound.take(second) == [] and not bound.bound
    answer = updated("m1")
    assert bound.take(answer) == [first, second, answer] and bound.bound
    assert bound.take(first) == [first]


@pytest.mark.parametrize("mark", ["another", "", None])
def test_a_call_that_shows_another_mark_or_none_is_not_ours(mark):
    with pytest.raises(NotOurs):
        Binding("m1").take(updated(mark))


def test_a_call_that_never_shows_its_mark_is_not_ours_and_holds_little():
    unproven = Binding("m1")
    for _ in range(binding.MAX_HELD):
        unproven.take({"type": "response.output_audio_transcript.delta"})
    with pytest.raises(NotOurs):
        unproven.take({"type": "response.output_audio_transcript.delta"})


def test_a_session_the_server_started_itself_needs_no_mark():
    assert Binding("").take({"type": "session.started"}) == [{"type": "session.started"}]
