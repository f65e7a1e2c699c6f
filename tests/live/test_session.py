"""The GPT-Live session a Connect asks for, checked against the `openai` package's live types."""

from openai.types.live import MediaSessionConfigParam
from openai.types.live.client_event_param import ClientEventParam
from pydantic import TypeAdapter

from voice_app.live import catalog, session
from voice_app.realtime.example_tools import example_tools
from voice_app.realtime.memory import remembered
from voice_app.service import backend
from voice_app.simulator.events import tokens_of as simulator_tokens
from voice_app.simulator.live.schema import RENDERED_PER_MESSAGE, LiveSession

ENTRIES = [
    {"id": "a", "role": "user", "text": "My code is 42.", "status": "done", "at": ""},
    {"id": "b", "role": "assistant", "text": "Noted.", "status": "done", "at": ""},
    {"id": "c", "role": "tool", "text": 'remember({"note": "42"}) → saved', "status": "done", "at": ""},
]


def config(tools=None):
    return session.config(
        "gpt-live-1.1",
        "beacon",
        "Be brief.",
        example_tools.schemas() if tools is None else tools,
        remembered(ENTRIES, catalog.MEMORY_TOKENS),
        "hash",
    )


def test_the_session_is_what_the_types_take_with_every_field_one_they_name():
    built = config()
    TypeAdapter(MediaSessionConfigParam).validate_python(built)
    assert set(built) <= set(MediaSessionConfigParam.__annotations__)
    functions = built["delegation"]["responses"]["tools"]
    assert {tool["name"] for tool in functions} == {"current_time", "calculate", "remember", "recall"}
    assert all(set(tool) <= {"type", "name", "description", "parameters"} for tool in functions)
    assert config(tools=[])["delegation"]["responses"]["tools"] == []  # never to the app, which answers no delegation


def test_the_conversation_so_far_is_startup_history_of_one_text_part_per_message():
    history = config()["input"]
    assert [(item["role"], item["content"][0]["type"]) for item in history] == [
        ("user", "input_text"),
        ("assistant", "output_text"),
        ("developer", "input_text"),
    ]
    assert all(len(item["content"]) == 1 and "id" not in item for item in history)
    assert "42" in history[0]["content"][0]["text"]


def test_the_page_may_only_hang_up_and_hears_only_what_it_shows():
    channel = config()["client"]["data_channel"]
    assert channel["allowed_client_events"] == ["session.close"]
    heard = channel["allowed_server_events"]
    assert all(("response_event" in selector) == (selector["type"] == "response.event") for selector in heard)
    for kind in channel["allowed_client_events"]:  # each a real client event
        TypeAdapter(ClientEventParam).validate_python({"type": kind})
    assert set(catalog.FORWARDED) <= {selector["type"] for selector in heard}


def test_standby_after_silence_is_asked_for_only_when_chosen_and_its_bounds_are_checked():
    import pytest

    from voice_app.realtime.settings import SessionSettings, SettingsError

    chosen = session.config("gpt-live-1.1", "marin", "", [], remembered([], 100), "hash", standby_s=30)
    TypeAdapter(MediaSessionConfigParam).validate_python(chosen)
    assert (chosen["idle_timeout_s"], chosen["wake_policy"]) == (30, {"type": "speech"})
    assert "idle_timeout_s" not in config() and "wake_policy" not in config()
    with pytest.raises(SettingsError, match="standby must start after 5 to 3600 seconds"):
        SessionSettings(engine="live", live_standby_s=2).checked()
    with pytest.raises(SettingsError, match="GPT-Live's only"):
        SessionSettings(voice="beacon").checked()
    assert SessionSettings(engine="live", voice="beacon", live_standby_s=60).checked().engine_model == "gpt-live-1.1"


def test_a_long_chinese_or_japanese_conversation_fits_the_startup_history_limit():
    """Four characters a token let about four times the limit through: the simulator, counting a
    token a character as tokenizers about do, takes what the app now gives it."""
    for sentence in (
        "我们今天下午去公园散步，天气很好，你觉得怎么样？",
        "こんにちは、今日はいい天気ですね。散歩に行きましょう。",
    ):
        entries = [
            {"id": f"e{n}", "role": "user" if n % 2 else "assistant", "text": sentence * 12, "status": "done", "at": ""}
            for n in range(200)
        ]
        memory = remembered(entries, backend.LIVE_MEMORY_TOKENS, catalog.MAX_INPUT_ITEMS)
        built = session.config("gpt-live-1.1", "marin", "Be brief.", [], memory, "hash")
        LiveSession.model_validate(built)  # refused past 8,192 tokens (context_length_exceeded)
        rendered = sum(simulator_tokens(item["content"][0]["text"]) + RENDERED_PER_MESSAGE for item in built["input"])
        assert catalog.MEMORY_TOKENS // 2 < rendered <= catalog.MEMORY_TOKENS, "most of the room used, none past it"
