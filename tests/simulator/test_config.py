"""Session updates merge like the real API's, and keep the session when refused."""

from datetime import date

import pytest

from voice_app.simulator.config import parse_client_secret_request, update_session
from voice_app.simulator.errors import ApiError


def session(**fields):
    return parse_client_secret_request({"session": {"type": "realtime", **fields}}).session


def test_update_merges_nested_objects_and_keeps_the_rest():
    current = session(audio={"output": {"voice": "sage"}})
    updated = update_session(
        current,
        {"type": "realtime", "audio": {"input": {"turn_detection": {"type": "server_vad", "silence_duration_ms": 900}}}},
        voice_locked=False,
    )
    assert updated.audio.input.turn_detection.silence_duration_ms == 900
    assert updated.audio.input.turn_detection.threshold == 0.5
    assert updated.audio.output.voice == "sage"


def test_switching_turn_detection_type_replaces_it_whole():
    updated = update_session(
        session(),
        {"type": "realtime", "audio": {"input": {"turn_detection": {"type": "semantic_vad", "eagerness": "high"}}}},
        False,
    )
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


def test_update_keeps_what_the_client_set_and_restores_defaults_it_did_not():
    current = session(audio={"input": {"transcription": {"model": "gpt-live-transcribe", "language": "de"}}})
    updated = update_session(current, {"type": "realtime", "audio": {"input": {"transcription": {"keywords": ["Köln"]}}}}, False)
    assert updated.audio.input.transcription.language == "de" and updated.audio.input.transcription.keywords == ["Köln"]
    assert updated.audio.output.voice == "marin" and updated.tool_choice == "auto"


def test_switching_audio_format_or_tool_choice_kind_replaces_it_whole():
    current = session(tool_choice={"type": "function", "name": "get_time"}, tools=[{"type": "function", "name": "get_time"}])
    updated = update_session(
        current,
        {
            "type": "realtime",
            "tool_choice": {"type": "mcp", "server_label": "docs"},
            "audio": {"output": {"format": {"type": "audio/pcmu"}}},
        },
        False,
    )
    assert updated.tool_choice.model_dump() == {"type": "mcp", "server_label": "docs", "name": None}
    assert updated.audio.output.format.model_dump() == {"type": "audio/pcmu"}


def test_a_custom_voice_is_locked_like_a_named_one():
    current = session(audio={"output": {"voice": {"id": "voice_1"}}})
    with pytest.raises(ApiError) as refused:
        update_session(current, {"type": "realtime", "audio": {"output": {"voice": {"id": "voice_2"}}}}, voice_locked=True)
    assert refused.value.code == "cannot_update_voice"
    assert (
        update_session(current, {"type": "realtime", "audio": {"output": {"voice": "cedar"}}}, False).audio.output.voice
        == "cedar"
    )


def test_tracing_once_enabled_cannot_be_modified():
    assert update_session(session(), {"type": "realtime", "tracing": "auto"}, False).tracing == "auto"
    with pytest.raises(ApiError) as refused:
        update_session(session(tracing="auto"), {"type": "realtime", "tracing": {"workflow_name": "w"}}, False)
    assert refused.value.param == "session.tracing"


def test_update_to_a_shut_down_transcription_model_follows_the_sessions_calendar():
    change = {"type": "realtime", "audio": {"input": {"transcription": {"model": "gpt-4o-transcribe"}}}}

    def dated(day):
        return parse_client_secret_request({"session": {"type": "realtime"}}, today=lambda: day).session

    assert update_session(dated(date(2027, 2, 25)), change, False).audio.input.transcription.model == "gpt-4o-transcribe"
    with pytest.raises(ApiError) as refused:
        update_session(dated(date(2027, 2, 26)), change, False)
    assert refused.value.code == "model_not_found"


def test_an_update_past_the_models_window_is_refused_and_the_session_kept():
    current = session(model="gpt-realtime-1.5")
    change = {
        "type": "realtime",
        "truncation": {"type": "retention_ratio", "retention_ratio": 0.5, "token_limits": {"post_instructions": 30_000}},
    }
    with pytest.raises(ApiError) as refused:
        update_session(current, change, False)
    assert (refused.value.code, refused.value.param) == (
        "integer_above_max_value",
        "session.truncation.token_limits.post_instructions",
    )
    assert current.truncation == "auto"
    roomy = session(model="gpt-realtime-2")  # the same limit fits a 128k window
    assert update_session(roomy, change, False).truncation.token_limits.post_instructions == 30_000
