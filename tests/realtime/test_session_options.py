"""The advanced session options: each checked with a message, each built as the GA session names it."""

import json

import pytest

from voice_app.realtime.settings import SessionSettings, SettingsError
from voice_app.realtime.settings_store import lowered_note, saved_settings, settings_from_form


def test_reasoning_effort_goes_only_to_models_that_reason():
    assert SessionSettings(reasoning_effort="high").session()["reasoning"] == {"effort": "high"}
    assert "reasoning" not in SessionSettings(model="gpt-realtime-1.5", reasoning_effort="high").session()
    # A live call keeps its model: a 1.5 session is not sent reasoning when 2.1 is chosen mid-call.
    assert "reasoning" not in SessionSettings().session_update(model="gpt-realtime-1.5")["session"]
    with pytest.raises(SettingsError, match="reasoning effort 'huge'"):
        SessionSettings(reasoning_effort="huge").checked()


def test_idle_nudge_is_server_vad_idle_timeout_and_off_by_default():
    detection = SessionSettings(idle_timeout_ms=6000).session()["audio"]["input"]["turn_detection"]
    assert detection["idle_timeout_ms"] == 6000
    assert SessionSettings().session()["audio"]["input"]["turn_detection"]["idle_timeout_ms"] is None
    with pytest.raises(SettingsError, match="5,000 to 30,000 ms"):
        SessionSettings(idle_timeout_ms=100).checked()
    with pytest.raises(SettingsError, match="only with server VAD"):
        SessionSettings(idle_timeout_ms=6000, turn_detection="semantic_vad").checked()


def test_text_only_answers_are_output_modalities_text_live_too():
    assert SessionSettings().session()["output_modalities"] == ["audio"]
    assert SessionSettings(answer_mode="text").session_update()["session"]["output_modalities"] == ["text"]
    with pytest.raises(SettingsError, match="answer mode 'both'"):
        SessionSettings(answer_mode="both").checked()


def test_transcription_language_and_prompt_reach_the_transcription():
    chosen = SessionSettings(
        transcription_model="gpt-live-transcribe", transcription_language="fr", transcription_prompt="Reflex, WebRTC"
    )
    assert chosen.session()["audio"]["input"]["transcription"] == {
        "model": "gpt-live-transcribe",
        "language": "fr",
        "prompt": "Reflex, WebRTC",
    }
    with pytest.raises(SettingsError, match="ISO-639-1"):
        SessionSettings(transcription_language="French").checked()
    with pytest.raises(SettingsError, match="gpt-realtime-whisper takes no transcription prompt"):
        SessionSettings(transcription_prompt="names").checked()


def test_transcription_keywords_are_a_list_for_the_models_that_take_them():
    chosen = SessionSettings(transcription_model="gpt-live-transcribe", transcription_keywords="Reflex, WebRTC\n aiortc ,")
    assert chosen.session()["audio"]["input"]["transcription"]["keywords"] == ["Reflex", "WebRTC", "aiortc"]
    assert "keywords" not in SessionSettings().session()["audio"]["input"]["transcription"]
    with pytest.raises(SettingsError, match="keywords work only with gpt-transcribe, gpt-live-transcribe"):
        SessionSettings(transcription_keywords="Reflex").checked()


def test_long_call_truncation_and_answer_cap():
    session = SessionSettings(
        truncation="retention_ratio", retention_ratio=0.7, truncation_token_limit=5000, max_output_tokens=300
    ).session()
    assert session["truncation"] == {
        "type": "retention_ratio",
        "retention_ratio": 0.7,
        "token_limits": {"post_instructions": 5000},
    }
    assert session["max_output_tokens"] == 300
    assert SessionSettings().session()["truncation"] == "auto" and SessionSettings().session()["max_output_tokens"] == "inf"
    assert SessionSettings(truncation="retention_ratio").session()["truncation"] == {
        "type": "retention_ratio",
        "retention_ratio": 0.8,
    }
    for bad, message in (
        (dict(retention_ratio=1.5), "between 0 and 1"),
        (dict(max_output_tokens=5000), "1 to 4,096"),
        (dict(max_output_tokens="lots"), "1 to 4,096"),
        (dict(max_output_tokens=True), "1 to 4,096"),
    ):
        with pytest.raises(SettingsError, match=message):
            SessionSettings(**bad).checked()


def test_stored_prompt_replaces_typed_instructions():
    chosen = SessionSettings(
        instructions_source="stored_prompt",
        prompt_id="pmpt_abc123",
        prompt_version="4",
        prompt_variables="city = Paris\n\nname=Ada Lovelace",
    )
    session = chosen.session()
    assert session["prompt"] == {"id": "pmpt_abc123", "version": "4", "variables": {"city": "Paris", "name": "Ada Lovelace"}}
    assert "instructions" not in session
    typed = SessionSettings().session_update()["session"]
    assert typed["prompt"] is None and typed["instructions"]  # back to typed: the stored prompt is cleared


@pytest.mark.parametrize(
    "changes, message",
    [
        (dict(prompt_id="abc"), "looks like pmpt_"),
        (dict(prompt_id="pmpt_x", prompt_version="v 2"), "prompt version"),
        (dict(prompt_id="pmpt_x", prompt_variables="no equals sign"), "line 1: write name=value"),
        (dict(prompt_id="pmpt_x", prompt_variables="a=1\na=2"), "'a' is given twice"),
    ],
)
def test_a_bad_stored_prompt_is_refused_with_what_to_fix(changes, message):
    with pytest.raises(SettingsError, match=message):
        SessionSettings(instructions_source="stored_prompt", **changes).checked()


def test_form_strings_become_options_and_a_refusal_changes_nothing():
    current = SessionSettings()
    chosen = settings_from_form({"max_output_tokens": "250", "idle_timeout_ms": "", "retention_ratio": "0.5"}, current)
    assert chosen.max_output_tokens == 250 and chosen.idle_timeout_ms == 0 and chosen.retention_ratio == 0.5
    assert settings_from_form({"max_output_tokens": " INF "}, current).max_output_tokens == "inf"
    with pytest.raises(SettingsError, match="whole number of tokens"):
        settings_from_form({"max_output_tokens": "12.5", "answer_mode": "text"}, current)
    assert current == SessionSettings()  # frozen: nothing half-applied


def test_settings_saved_before_these_options_still_load():
    old = {"model": "gpt-realtime-2", "voice": "cedar", "speed": 1.2, "instructions": "Be brief."}
    loaded, notices = saved_settings(json.dumps(old))
    assert (loaded.model, loaded.voice, loaded.speed, loaded.instructions) == ("gpt-realtime-2", "cedar", 1.2, "Be brief.")
    assert loaded.answer_mode == "audio" and loaded.max_output_tokens == "inf" and not notices


def _limit(session: dict):
    return session["truncation"].get("token_limits", {}).get("post_instructions")


def test_a_truncation_limit_past_the_models_window_is_refused_naming_the_most():
    ratio = dict(truncation="retention_ratio", truncation_token_limit=27_905)
    with pytest.raises(SettingsError, match="at most 27,904 with gpt-realtime-1.5"):
        SessionSettings(model="gpt-realtime-1.5", **ratio).checked()
    assert _limit(SessionSettings(model="gpt-realtime-2.1", **ratio).checked().session()) == 27_905
    with pytest.raises(SettingsError, match="at most 96,000 with gpt-realtime-2.1-mini"):
        SessionSettings(model="gpt-realtime-2.1-mini", truncation_token_limit=96_001).checked()
    with pytest.raises(SettingsError, match="at most 27,904"):  # typed in the form with the model
        settings_from_form({"model": "gpt-realtime-1.5", "truncation_token_limit": "50000"}, SessionSettings())


def test_a_model_change_lowers_a_limit_it_cannot_take_and_says_so():
    current = SessionSettings(truncation="retention_ratio", truncation_token_limit=60_000)
    chosen = settings_from_form({"model": "gpt-realtime-1.5", "truncation_token_limit": "60000"}, current)
    assert chosen.truncation_token_limit == 27_904 and _limit(chosen.session()) == 27_904
    assert "now 27,904, the most gpt-realtime-1.5 takes" in lowered_note(current, chosen)
    back = settings_from_form({"model": "gpt-realtime-2", "truncation_token_limit": "27904"}, chosen)
    assert back.truncation_token_limit == 27_904 and lowered_note(chosen, back) == ""
    # Saved before the window was checked: loaded, lowered, and the user told (not reset to defaults).
    loaded, notices = saved_settings(
        json.dumps({"model": "gpt-realtime-1.5", "voice": "cedar", "truncation_token_limit": 40_000})
    )
    assert (loaded.voice, loaded.truncation_token_limit) == ("cedar", 27_904) and "27,904" in notices[0]


def test_the_app_never_sends_a_limit_past_the_sessions_window():
    chosen = SessionSettings(truncation="retention_ratio", truncation_token_limit=96_000).checked()
    # Chosen for gpt-realtime-2.1 while the call runs gpt-realtime-1.5: its update keeps within 1.5.
    assert _limit(chosen.session_update(model="gpt-realtime-1.5")["session"]) == 27_904
    assert _limit(chosen.session_update()["session"]) == 96_000
