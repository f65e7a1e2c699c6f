"""The calculator refuses a result too large before computing it, and stays exact below that."""

import json
import re
import time

import pytest

from voice_app.realtime.calculator import MAX_DIGITS, evaluate
from voice_app.realtime.example_tools import example_tools


async def test_a_tower_of_powers_is_refused_at_once_with_its_size():
    began = time.monotonic()
    result = await example_tools.call("calculate", json.dumps({"expression": "(((9**99)**99)**99)**99"}))
    assert result.failed and "would have about 9,353 digits; at most 1,000 are allowed" in result.output
    assert time.monotonic() - began < 2  # computed, it took over 30 s (92 million digits)


@pytest.mark.parametrize(
    "expression, words",
    [
        ("9 ** 9 ** 9", "about 369,693,100 digits"),
        ("2 ** (10 ** 300)", "about 3.0e+299 digits"),
        ("10 ** 1000", "about 1,001 digits"),
        ("*".join(["9**99"] * 11), "about 1,040 digits"),
        ("2 ** (2 ** 3000)", "too large for a decimal number"),
        ("1e308 * 10", "too large for a decimal number"),
        ("10 ** 400 / 3", "too large for a decimal number"),
        ("(-8) ** 0.5", "not a real number"),
    ],
)
def test_results_out_of_bounds_are_refused_in_words(expression, words):
    began = time.monotonic()
    with pytest.raises(ValueError, match=re.escape(words)):
        evaluate(expression)
    assert time.monotonic() - began < 2


def test_the_largest_allowed_result_is_exact_and_printable():
    assert evaluate(f"10 ** {MAX_DIGITS - 1}") == "1" + "0" * (MAX_DIGITS - 1)  # under Python's 4,300-digit str limit
    assert evaluate("2 ** 3000 % 1000") == "376" and evaluate(f"(10 ** {MAX_DIGITS - 1}) // 7 % 13") == str(10**999 // 7 % 13)
