import json

import pytest

from voice_app.realtime import catalog
from voice_app.realtime.settings import ApiSettings, SessionSettings, SettingsError


def test_default_request_body_is_the_ga_shape_with_sane_defaults():
    body = SessionSettings().client_secret_request()
    assert body["expires_after"] == {"anchor": "created_at", "seconds": 600}
    session = body["session"]
    assert session["type"] == "realtime" and session["model"] == "gpt-realtime-2.1"
    assert session["audio"]["output"] == {"voice": "marin", "speed": 1.0}
    assert session["audio"]["input"]["noise_reduction"] is None
    assert session["audio"]["input"]["transcription"] == {"model": "gpt-realtime-whisper"}
    assert session["audio"]["input"]["turn_detection"]["type"] == "server_vad"
    assert session["instructions"]
    assert "OpenAI-Beta" not in str(body) and "modalities" not in session


def test_push_to_talk_turns_detection_off_and_semantic_vad_is_offered():
    assert SessionSettings(turn_detection="push_to_talk").session()["audio"]["input"]["turn_detection"] is None
    semantic = SessionSettings(turn_detection="semantic_vad").session()["audio"]["input"]["turn_detection"]
    assert semantic["type"] == "semantic_vad"


def test_session_update_reasserts_transcription_and_turn_detection():
    settings = SessionSettings(transcription_model="gpt-live-transcribe", noise_reduction="far_field", silence_ms=900)
    update = settings.session_update()
    assert update["type"] == "session.update" and update["session"]["type"] == "realtime"
    audio_in = update["session"]["audio"]["input"]
    assert audio_in["transcription"] == {"model": "gpt-live-transcribe"} and audio_in["noise_reduction"] == {"type": "far_field"}
    assert audio_in["turn_detection"]["silence_duration_ms"] == 900
    assert "model" not in update["session"]  # a session's model cannot change
    assert "output" not in update["session"]["audio"]  # neither voice nor speed unless asked
    assert settings.session_update(voice=True)["session"]["audio"]["output"] == {"voice": "marin"}


def test_speed_goes_alone_so_it_can_wait_for_the_end_of_a_response():
    update = SessionSettings(speed=1.3).speed_update()
    assert update == {"type": "session.update", "session": {"type": "realtime", "audio": {"output": {"speed": 1.3}}}}


def test_no_model_offered_or_defaulted_is_retiring():
    offered = (*catalog.MODELS, *catalog.TRANSCRIPTION_MODELS)
    assert not set(offered) & set(catalog.RETIREMENTS)
    assert SessionSettings().model not in catalog.RETIREMENTS
    assert SessionSettings().transcription_model not in catalog.RETIREMENTS
    assert all(r.successor in offered for r in catalog.RETIREMENTS.values())


@pytest.mark.parametrize(
    "saved, field, successor, words",
    [
        ("gpt-realtime", "model", "gpt-realtime-2.1", "gpt-realtime shuts down on 2027-01-20"),
        ("gpt-realtime-mini", "model", "gpt-realtime-2.1-mini", "2027-01-20: now using gpt-realtime-2.1-mini"),
        ("gpt-4o-realtime-preview", "model", "gpt-realtime-2.1", "has been shut down"),
        ("gpt-4o-mini-transcribe", "transcription_model", "gpt-realtime-whisper", "shuts down on 2027-02-26"),
        ("whisper-1", "transcription_model", "gpt-realtime-whisper", "whisper-1 shuts down"),
    ],
)
def test_a_saved_retiring_model_moves_to_its_successor_with_a_notice(saved, field, successor, words):
    from voice_app.realtime.settings_store import saved_settings, settings_to_json

    text = json.dumps({field: saved, "voice": "sage"})
    settings, notices = saved_settings(text)
    assert getattr(settings, field) == successor and settings.voice == "sage"  # the rest is kept
    assert len(notices) == 1 and words in notices[0]
    assert saved_settings(settings_to_json(settings))[1] == []  # once moved, nothing more to say


@pytest.mark.parametrize(
    "change, words",
    [
        ({"model": "gpt-5"}, "Unknown model"),
        ({"voice": "robot"}, "Unknown voice"),
        ({"turn_detection": "clap"}, "Unknown turn detection"),
        ({"secret_seconds": 5}, "10 to 7200"),
        ({"instructions": "x" * 20_001}, "too long"),
        ({"speed": 2.0}, "speaking speed"),
        ({"vad_threshold": 1.5}, "threshold"),
        ({"eagerness": "eager"}, "Unknown eagerness"),
    ],
)
def test_settings_a_user_got_wrong_say_what_to_do(change, words):
    with pytest.raises(SettingsError, match=words):
        SessionSettings().with_changes(**change)


def test_no_key_means_the_simulator():  # the variables themselves: tests/test_config.py
    assert ApiSettings().simulated and not ApiSettings(api_key="sk-1").simulated
    assert "sk-1" not in repr(ApiSettings(api_key="sk-1"))


def test_settings_survive_a_round_trip_through_the_browser_and_bad_saves_fall_back():
    from voice_app.realtime.settings_store import settings_from_json, settings_to_json

    chosen = SessionSettings(voice="ash", turn_detection="push_to_talk", speed=1.2)
    assert settings_from_json(settings_to_json(chosen)) == chosen
    assert settings_from_json("") == SessionSettings()
    assert settings_from_json("{broken") == SessionSettings()
    assert settings_from_json('{"voice": "robot"}') == SessionSettings()
    assert settings_from_json('{"voice": "sage", "retired_field": 1}').voice == "sage"


def test_form_values_are_parsed_and_checked():
    from voice_app.realtime.settings_store import settings_from_form

    got = settings_from_form({"silence_ms": "800", "vad_threshold": "0.7", "voice": "verse", "unknown": "x"}, SessionSettings())
    assert (got.silence_ms, got.vad_threshold, got.voice) == (800, 0.7, "verse")
    with pytest.raises(SettingsError, match="silence must be a number"):
        settings_from_form({"silence_ms": "soon"}, SessionSettings())
    with pytest.raises(SettingsError, match="between 100 and 5000"):
        settings_from_form({"silence_ms": "20"}, SessionSettings())


def test_example_tools_setting_is_a_checkbox_and_travels_with_the_session():
    from voice_app.realtime.settings_store import settings_from_form

    assert settings_from_form({"example_tools": "on"}, SessionSettings(example_tools=False)).example_tools
    assert not settings_from_form({"example_tools": "off"}, SessionSettings()).example_tools
    tools = [{"type": "function", "name": "f", "description": "d", "parameters": {"type": "object", "properties": {}}}]
    assert SessionSettings().client_secret_request(tools)["session"]["tools"] == tools
    assert SessionSettings().session_update(tools=tools)["session"]["tools"] == tools
    assert SessionSettings().session_update()["session"]["tools"] == []  # turning tools off takes them away


def test_what_gpt_live_takes_none_of_is_said():
    from voice_app.realtime.settings import SessionSettings

    stored = SessionSettings(instructions_source="stored_prompt", prompt_id="pmpt_1")
    assert stored.not_taken == ""  # the Realtime API takes it
    assert "no stored prompt" in SessionSettings(engine="live", instructions_source="stored_prompt", prompt_id="pmpt_1").not_taken
    assert SessionSettings(engine="live").not_taken == ""
