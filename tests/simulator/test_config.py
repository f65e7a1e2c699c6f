"""Session updates merge like the real API's, and keep the session when refused."""

import pytest

from voice_app.simulator.config import parse_client_secret_request, update_session
from voice_app.simulator.errors import ApiError


def session(**fields):
    return parse_client_secret_request({"session": {"type": "realtime", **fields}}).session


def test_update_merges_nested_objects_and_keeps_the_rest():
    current = session(audio={"output": {"voice": "sage"}})
    updated = update_session(current, {"type": "realtime", "audio": {"input": {"turn_detection": {"type": "server_vad", "silence_duration_ms": 900}}}}, voice_locked=False)
    assert updated.audio.input.turn_detection.silence_duration_ms == 900
    assert updated.audio.input.turn_detection.threshold == 0.5
    assert updated.audio.output.voice == "sage"


def test_switching_turn_detection_type_replaces_it_whole():
    updated = update_session(session(), {"type": "realtime", "audio": {"input": {"turn_detection": {"type": "semantic_vad", "eagerness": "high"}}}}, False)
    assert updated.audio.input.turn_detection.type == "semantic_vad"


def test_turn_detection_null_means_push_to_talk():
    updated = update_session(session(), {"type": "realtime", "audio": {"input": {"turn_detection": None}}}, False)
    assert updated.audio.input.turn_detection is None


def test_refused_update_leaves_the_session_unchanged():
    current = session(instructions="Keep me.")
    with pytest.raises(ApiError) as refused:
        update_session(current, {"type": "realtime", "instructions": "New", "speed": 2}, False)
    assert refused.value.code == "unknown_parameter" and refused.value.param == "session.speed"
    assert current.instructions == "Keep me."


def test_strings_are_not_numbers():
    with pytest.raises(ApiError) as refused:
        session(audio={"output": {"speed": "1.2"}})
    assert refused.value.param == "session.audio.output.speed"
