"""One parser of the numbers others write: conversation ids (local storage, History's buttons, a
recording's pass) and an entry's heard characters."""

import asyncio

import pytest
from starlette.requests import Request

from voice_app.realtime.heard import heard_count
from voice_app.realtime.history import LARGEST_ID, conversation_number
from voice_app.realtime.numbers import whole_number
from voice_app.realtime.recording import PLAY, make_pass, read_pass
from voice_app.simulator.bodies import read_body
from voice_app.simulator.errors import ApiError

# "²".isdigit() and "٣".isdecimal() are true; int("²") raises, int("٣") is 3, int(" 7") is 7.
NOT_NUMBERS = ["²", "٣", "٣٤", " 7", "7 ", "7\n", "-1", "+7", "1_000", "9" * 30, "", None, 7, 7.0, ["7"], "0x7", "007"]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_what_is_not_written_in_digits_is_none(text):
    assert whole_number(text, 10**9) is None
    assert conversation_number(text) is None
    if isinstance(text, str):  # an entry's fields are text: heard_count reads any as text
        assert heard_count({"heard_chars": text}) is None


@pytest.mark.parametrize(("text", "number"), [("1", 1), ("7", 7), ("42", 42), (str(LARGEST_ID), LARGEST_ID)])
def test_an_id_the_database_could_give_is_read(text, number):
    assert conversation_number(text) == number


@pytest.mark.parametrize("text", ["0", str(LARGEST_ID + 1), "9" * 11])
def test_an_id_the_database_never_gives_is_none(text):
    assert conversation_number(text) is None


def test_heard_characters_run_from_none_to_an_entrys_most():
    assert heard_count({"heard_chars": "0"}) == 0
    assert heard_count({"heard_chars": "120"}) == 120
    assert heard_count({}) is None


def test_a_pass_names_a_conversation_as_the_parser_reads_it():
    secret, owner = b"s" * 32, "a" * 64
    assert read_pass(secret, make_pass(secret, PLAY, owner, 7, 1000.0), PLAY, 1000.0).conversation_id == 7
    assert read_pass(secret, make_pass(secret, PLAY, owner, LARGEST_ID + 1, 1000.0), PLAY, 1000.0) is None


@pytest.mark.parametrize("length", ["²".encode("latin-1"), "٣".encode(), b" 7", b"-1", b"1e3", b""])
def test_a_body_that_declares_no_length_is_read_as_it_comes(length):
    """A crafted Content-Length (Starlette reads "²" from latin-1, and "²".isdigit() is true)
    neither raises nor refuses: the body's own size decides (h11 refuses such a header; an
    in-process ASGI client need not)."""
    scope = {"type": "http", "method": "POST", "path": "/", "headers": [(b"content-length", length)]}
    sent = [{"type": "http.request", "body": b"{}", "more_body": False}]

    async def receive():
        return sent.pop(0)

    assert asyncio.run(read_body(Request(scope, receive), 100)) == b"{}"
    with pytest.raises(ApiError):
        sent.append({"type": "http.request", "body": b"x" * 101, "more_body": False})
        asyncio.run(read_body(Request(scope, receive), 100))
