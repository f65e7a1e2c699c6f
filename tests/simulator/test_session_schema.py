"""The whole GA session schema: what the simulator takes, echoes, and refuses as the API does."""

from datetime import date

import pytest
from openai.types.realtime import ClientSecretCreateResponse

from tests.simulator.schema import validate_server_event
from voice_app.simulator.config import parse_client_secret_request
from voice_app.simulator.errors import ApiError

RICH = {
    "type": "realtime",
    "model": "gpt-realtime-2",
    "reasoning": {"effort": "low"},
    "prompt": {
        "id": "pmpt_123",
        "version": "2",
        "variables": {
            "city": "Paris",
            "intro": {"type": "input_text", "text": "Hi", "prompt_cache_breakpoint": {"mode": "explicit"}},
            "map": {"type": "input_image", "detail": "auto", "image_url": "https://example.com/map.png"},
        },
    },
    "parallel_tool_calls": False,
    "tools": [
        {"type": "function", "name": "get_time", "description": "The time.", "parameters": {"type": "object"}},
        {
            "type": "mcp",
            "server_label": "docs",
            "server_url": "https://mcp.example.com",
            "headers": {"X-Team": "a"},
            "allowed_tools": {"read_only": True},
            "require_approval": {"never": {"tool_names": ["search"]}},
        },
    ],
    "tool_choice": {"type": "mcp", "server_label": "docs", "name": "search"},
    "truncation": {"type": "retention_ratio", "retention_ratio": 0.8, "token_limits": {"post_instructions": 8000}},
    "tracing": {"workflow_name": "support", "group_id": "g1", "metadata": {"tier": "gold"}},
    "max_output_tokens": 4096,
    "include": ["item.input_audio_transcription.logprobs"],
    "output_modalities": ["text"],
    "audio": {
        "input": {
            "format": {"type": "audio/pcmu"},
            "noise_reduction": {"type": "far_field", "strength": 0.5},
            "transcription": {
                "model": "gpt-live-transcribe",
                "language": "fr",
                "keywords": ["Reflex"],
                "languages": ["fr", "en"],
            },
            "turn_detection": {"type": "server_vad", "idle_timeout_ms": 6000, "silence_duration_ms": 700},
        },
        "output": {"format": {"type": "audio/pcma"}, "voice": {"id": "voice_1234"}, "speed": 1.2},
    },
}


def session(**fields):
    return parse_client_secret_request({"session": {"type": "realtime", **fields}}).session


def refusal(**fields) -> ApiError:
    with pytest.raises(ApiError) as refused:
        session(**fields)
    return refused.value


def test_a_session_using_every_part_of_the_schema_is_echoed_as_asked():
    payload = parse_client_secret_request({"session": RICH}).session.event_payload()
    for field in (
        "reasoning",
        "parallel_tool_calls",
        "tool_choice",
        "truncation",
        "max_output_tokens",
        "include",
        "output_modalities",
    ):
        assert payload[field] == RICH[field]
    assert payload["tracing"]["workflow_name"] == "support" and payload["prompt"]["variables"]["city"] == "Paris"
    assert payload["tools"][1]["require_approval"]["never"]["tool_names"] == ["search"]
    assert payload["audio"]["input"]["transcription"]["keywords"] == ["Reflex"]
    assert payload["audio"]["output"]["voice"] == {"id": "voice_1234"}
    validate_server_event({"type": "session.created", "event_id": "event_1", "session": payload})


def test_the_mint_response_names_a_custom_voice_by_its_id_as_its_type_says():
    minted = parse_client_secret_request({"session": RICH}).session.mint_payload()
    response = {"value": "ek_1", "expires_at": 1, "session": {"id": "sess_1", "object": "realtime.session", **minted}}
    assert ClientSecretCreateResponse.model_validate(response).session.audio.output.voice == "voice_1234"


def test_defaults_are_the_apis():
    payload = session().event_payload()
    assert (payload["model"], payload["tool_choice"], payload["truncation"], payload["max_output_tokens"]) == (
        "gpt-realtime-2.1",
        "auto",
        "auto",
        "inf",
    )
    assert payload["audio"]["input"]["turn_detection"]["type"] == "server_vad"
    assert session(audio={"input": {"transcription": {}}}).audio.input.transcription.model == "gpt-realtime-whisper"
    assert session(audio={"input": {"noise_reduction": {"type": "near_field"}}}).audio.input.noise_reduction.strength == 1.0


TRANSCRIPTION = ("audio", "input", "transcription")


@pytest.mark.parametrize(
    "fields, code, param",
    [
        ({"reasoning": {"effort": "max"}}, "invalid_value", "session.reasoning.effort"),
        ({"tool_choice": "sometimes"}, "invalid_value", "session.tool_choice"),
        ({"tool_choice": {"type": "file_search"}}, "invalid_value", "session.tool_choice.type"),
        ({"tool_choice": {"name": "get_time"}}, "missing_required_parameter", "session.tool_choice.type"),
        ({"tools": [{"type": "mcp", "server_label": "docs"}]}, "missing_required_parameter", "session.tools[0].server_url"),
        (
            {"tools": [{"type": "mcp", "server_label": "d", "connector_id": "connector_slack"}]},
            "invalid_value",
            "session.tools[0].connector_id",
        ),
        ({"tools": [{"type": "function", "name": "x" * 65}]}, "string_above_max_length", "session.tools[0].name"),
        (
            {"truncation": {"type": "retention_ratio", "retention_ratio": 1.5}},
            "decimal_above_max_value",
            "session.truncation.retention_ratio",
        ),
        (
            {"truncation": {"type": "retention_ratio", "retention_ratio": 0.5, "limit": 3}},
            "unknown_parameter",
            "session.truncation.limit",
        ),
        ({"tracing": "on"}, "invalid_value", "session.tracing"),
        ({"tracing": {"workflow": "x"}}, "unknown_parameter", "session.tracing.workflow"),
        ({"max_output_tokens": 0}, "integer_below_min_value", "session.max_output_tokens"),
        ({"max_output_tokens": "infinite"}, "invalid_value", "session.max_output_tokens"),
        ({"output_modalities": ["text", "audio"]}, "invalid_value", "session.output_modalities"),
        ({"include": ["item.logprobs"]}, "invalid_value", "session.include[0]"),
        ({"parallel_tool_calls": "yes"}, "invalid_type", "session.parallel_tool_calls"),
        ({"prompt": {"variables": {}}}, "missing_required_parameter", "session.prompt.id"),
        ({"audio": {"output": {"voice": {"id": "v", "name": "x"}}}}, "unknown_parameter", "session.audio.output.voice.name"),
        (
            {"audio": {"input": {"format": {"type": "audio/pcm", "rate": 16000}}}},
            "invalid_value",
            "session.audio.input.format.rate",
        ),
        ({"audio": {"input": {"format": {"type": "audio/opus"}}}}, "invalid_value", "session.audio.input.format.type"),
        (
            {"audio": {"input": {"noise_reduction": {"type": "mid_field"}}}},
            "invalid_value",
            "session.audio.input.noise_reduction.type",
        ),
        (
            {"audio": {"input": {"turn_detection": {"type": "server_vad", "idle_timeout_ms": "5s"}}}},
            "invalid_type",
            "session.audio.input.turn_detection.idle_timeout_ms",
        ),
    ],
)
def test_what_the_types_refuse_is_refused_in_the_apis_words(fields, code, param):
    refused = refusal(**fields)
    assert (refused.status, refused.code, refused.param) == (400, code, param)
    assert param in refused.message or "Supported" in refused.message or "One of" in refused.message


@pytest.mark.parametrize(
    "transcription, field",
    [
        ({"model": "gpt-realtime-whisper", "prompt": "expect names"}, "prompt"),
        ({"model": "gpt-live-transcribe", "delay": "low"}, "delay"),
        ({"model": "gpt-realtime-whisper", "keywords": ["Reflex"]}, "keywords"),
        ({"model": "gpt-4o-transcribe", "languages": ["en"]}, "languages"),
    ],
)
def test_transcription_options_only_go_with_the_models_that_take_them(transcription, field):
    refused = refusal(audio={"input": {"transcription": transcription}})
    assert refused.code == "unsupported_parameter" and refused.param == ".".join(("session", *TRANSCRIPTION, field))


def test_transcription_options_are_taken_by_the_models_that_take_them():
    assert session(audio={"input": {"transcription": {"model": "gpt-realtime-whisper", "delay": "high"}}})
    assert session(audio={"input": {"transcription": {"model": "gpt-transcribe", "prompt": "names", "languages": ["en"]}}})


@pytest.mark.parametrize("model", ["gpt-realtime-mini", "gpt-audio-1.5", "gpt-realtime-2025-08-28"])
def test_every_model_name_of_the_package_is_taken_while_it_is_served(model):
    asked = {"session": {"type": "realtime", "model": model}}
    assert parse_client_secret_request(asked, today=lambda: date(2026, 12, 1)).session.model == model


@pytest.mark.parametrize("model", ["gpt-realtime-mini", "gpt-audio-mini-2025-12-15"])
def test_a_model_is_not_found_from_its_shutdown_day(model):
    asked = {"session": {"type": "realtime", "model": model}}
    assert parse_client_secret_request(asked, today=lambda: date(2027, 1, 19)).session.model == model
    with pytest.raises(ApiError) as refused:
        parse_client_secret_request(asked, today=lambda: date(2027, 1, 20))
    assert (refused.value.status, refused.value.code) == (404, "model_not_found")


def test_a_shut_down_transcription_model_is_not_found():
    asked = {"session": {"type": "realtime", "audio": {"input": {"transcription": {"model": "whisper-1"}}}}}
    with pytest.raises(ApiError) as refused:
        parse_client_secret_request(asked, today=lambda: date(2027, 2, 26))
    assert refused.value.body()["error"] == {
        "message": "The model `whisper-1` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations",
        "type": "invalid_request_error",
        "param": None,
        "code": "model_not_found",
    }
