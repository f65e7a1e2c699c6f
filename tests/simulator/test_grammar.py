"""The requests the simulator understands in words (speech/grammar.py): each rule, and what it leaves alone."""

import json

import pytest

from voice_app.simulator.speech.grammar import calls, zone_of

EXAMPLES = ["current_time", "calculate", "remember", "recall"]


@pytest.mark.parametrize(
    ("said", "name", "arguments"),
    [
        ("What time is it in Tokyo?", "current_time", {"timezone": "Asia/Tokyo"}),
        ("what's the time in New York", "current_time", {"timezone": "America/New_York"}),
        ("What time is it?", "current_time", {"timezone": "UTC"}),
        ("Remember that my locker is 42.", "remember", {"note": "my locker is 42"}),
        ("Please remember the milk", "remember", {"note": "the milk"}),
        ("What is on my note pad?", "recall", {}),
        ("Read me my notes.", "recall", {}),
        ("What is 12 times 7?", "calculate", {"expression": "12 * 7"}),
        ("What is twelve times seven?", "calculate", {"expression": "12 * 7"}),
        ("Calculate 3 plus 4 divided by 2", "calculate", {"expression": "3 + 4 / 2"}),
        ('calculate {"expression": "2+2"}', "calculate", {"expression": "2+2"}),  # named, as typed turns always could
        ('remember {"note": "blue"}', "remember", {"note": "blue"}),
        ("I remember", "remember", {}),  # a bare name, as ever
    ],
)
def test_a_request_in_words_calls_its_tool(said, name, arguments):
    [(called, given)] = calls(said, EXAMPLES)
    assert (called, json.loads(given)) == (name, arguments)


@pytest.mark.parametrize("said", ["Hello, can you hear me clearly?", "What is the weather like?", "What is love?"])
def test_other_words_call_nothing(said):
    assert calls(said, EXAMPLES) == []


def test_only_the_sessions_tools_are_called():
    assert calls("What time is it in Tokyo?", ["calculate"]) == []
    assert calls("What is 2 plus 2?", ["current_time"]) == []


def test_an_unknown_place_is_passed_as_said_for_the_tool_to_refuse():
    assert zone_of("Atlantis") == "Atlantis" and zone_of("the Paris") == "Europe/Paris"


def test_what_is_said_is_kept_as_said_and_only_the_start_of_a_long_turn_is_read():
    assert calls("Remember that my locker is B42.", EXAMPLES) == [("remember", '{"note": "my locker is B42"}')]
    assert calls("What time is it in Tokyo right now?", EXAMPLES) == [("current_time", '{"timezone": "Asia/Tokyo"}')]
    assert calls("time is it in Paris?", EXAMPLES) == [("current_time", '{"timezone": "Europe/Paris"}')]  # "what" unheard
    assert calls("Do you know what time it is, or remember?", ["current_time"]) == []  # asked in no way it knows
    assert calls("x" * 400 + " what time is it", EXAMPLES) == []  # past what the grammar reads
