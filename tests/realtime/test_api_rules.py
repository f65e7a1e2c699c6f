"""The API's mid-call rules the app follows: pure, on GA-shaped payloads."""

import pytest

from voice_app.realtime import api_rules, catalog

CALL = {"id": "item_c", "type": "function_call", "call_id": "call_1", "name": "current_time", "arguments": "{}"}
MESSAGE = {
    "id": "item_m",
    "type": "message",
    "role": "assistant",
    "content": [{"type": "output_audio", "transcript": "Let me check."}],
}


def done(status, *output):
    return {"id": "resp_1", "object": "realtime.response", "status": status, "output": list(output)}


def test_a_completed_response_runs_its_calls_and_only_its_calls():
    calls = api_rules.calls_to_run(done("completed", MESSAGE, CALL, {**CALL, "call_id": "call_2"}))
    assert calls == [
        {"call_id": "call_1", "name": "current_time", "arguments": "{}", "response_id": "resp_1"},
        {"call_id": "call_2", "name": "current_time", "arguments": "{}", "response_id": "resp_1"},
    ]


@pytest.mark.parametrize("status", ["cancelled", "incomplete", "failed", "in_progress", None])
def test_a_response_that_did_not_complete_runs_nothing(status):
    assert api_rules.calls_to_run(done(status, CALL)) == []
    assert api_rules.function_calls(done(status, CALL))[0]["call_id"] == "call_1"  # still known, to show as not run


@pytest.mark.parametrize(
    "response",
    [None, "x", {"status": "completed", "output": "x"}, {"status": "completed", "output": [None, 3, {"type": "function_call"}]}],
)
def test_malformed_responses_run_nothing(response):
    assert api_rules.calls_to_run(response) == []


def test_a_push_to_talk_hold_must_be_well_over_the_apis_minimum():
    assert api_rules.PUSH_TO_TALK_MIN_MS > catalog.MIN_COMMIT_MS
    assert not api_rules.held_long_enough(catalog.MIN_COMMIT_MS)
    assert api_rules.held_long_enough(api_rules.PUSH_TO_TALK_MIN_MS)


@pytest.mark.parametrize(
    "error, shown",
    [
        ({"code": "response_cancel_not_active", "message": "Cancellation failed: no active response found."}, ""),
        ({"code": "conversation_already_has_active_response", "message": "Conversation already has an active response."}, ""),
        ({"code": "input_audio_buffer_commit_empty", "message": "buffer too small"}, "notice"),
        ({"code": "invalid_value", "message": "Invalid value: 'x'."}, "error"),
        ({}, "error"),
        (None, "error"),
    ],
)
def test_races_are_not_shown_as_errors(error, shown):
    kind, message = api_rules.error_shown(error)
    assert kind == shown and (message or kind == "")
    if kind == "notice":
        assert "too short" in message


def test_a_refused_memory_item_says_the_model_goes_on_without_the_earlier_conversation():
    shown, message = api_rules.error_shown({"code": "invalid_value", "message": "Item too large.", "event_id": "memory_3"})
    assert shown == "error" and "could not be given the earlier conversation (Item too large)" in message
    assert "goes on" in message


def test_an_error_is_logged_by_its_codes_never_its_message():
    secret = "Bearer sk-mcp-token-in-a-message"
    race, codes = api_rules.error_logged(
        {
            "type": "invalid_request_error",
            "code": "conversation_already_has_active_response",
            "message": secret,
            "event_id": "answer_1",
        }
    )
    assert race and "answer_1" in codes and secret not in codes
    race, codes = api_rules.error_logged({"type": "server_error", "code": "x\ny" * 100, "message": secret})
    assert not race and secret not in codes and "\n" not in codes and len(codes) < 400
    assert api_rules.error_logged("not an object")[0] is False
