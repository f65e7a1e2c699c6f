"""A kept recording's passes, what counts as a recording, and the page's reports, read."""

import pytest

from voice_app.realtime import bounds
from voice_app.realtime.recording import (
    FAILED,
    NOT_A_RECORDING,
    PLAY,
    PLAY_SECONDS,
    TOO_LARGE,
    UPLOAD,
    kind_of,
    make_pass,
    offered,
    read_pass,
    refusal,
)

SECRET, OWNER, NOW = b"s" * 32, "a" * 64, 1_800_000_000
WEBM_HEAD = b"\x1a\x45\xdf\xa3\x9fB\x86\x81\x01B\xf7\x81\x01B\xf2\x81\x04B\xf3\x81\x08B\x82\x84webmB\x87\x81\x04"
MKV_HEAD = WEBM_HEAD.replace(b"webm", b"mkvx")


def test_a_pass_opens_only_what_it_was_made_for():
    token = make_pass(SECRET, PLAY, OWNER, 7, NOW)
    granted = read_pass(SECRET, token, PLAY, NOW + 10)
    assert granted.owner == OWNER and granted.conversation_id == 7 and granted.purpose == PLAY
    assert read_pass(SECRET, token, UPLOAD, NOW) is None, "a player's pass sends nothing"
    assert read_pass(b"other secret", token, PLAY, NOW) is None, "another server's pass"
    assert read_pass(SECRET, token, PLAY, NOW + PLAY_SECONDS + 1) is None, "expired"


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace(".7.", ".8."),  # another conversation
        lambda t: t.replace(OWNER, "b" * 64),  # another owner
        lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),  # a made-up signature
        lambda t: t + "x",
        lambda t: "",
        lambda t: "play.../../etc/passwd",
    ],
    ids=["conversation", "owner", "signature", "trailing", "empty", "path"],
)
def test_a_changed_pass_opens_nothing(change):
    assert read_pass(SECRET, change(make_pass(SECRET, PLAY, OWNER, 7, NOW)), PLAY, NOW) is None


def test_only_webm_and_ogg_count_as_recordings():
    assert kind_of(WEBM_HEAD) == "webm" and kind_of(b"OggS\x00\x02") == "ogg"
    assert kind_of(MKV_HEAD) is None and kind_of(b"RIFF....WAVE") is None and kind_of(b"") is None
    assert refusal(1000, WEBM_HEAD) == "" and refusal(0, WEBM_HEAD) == NOT_A_RECORDING
    assert refusal(1000, b"<html>") == NOT_A_RECORDING
    assert refusal(bounds.MAX_RECORDING_BYTES + 1, WEBM_HEAD) == TOO_LARGE


def test_the_size_bound_outlasts_a_session_at_the_recorders_rate():
    seconds = bounds.MAX_RECORDING_BYTES * 8 / bounds.RECORDING_BITS_PER_SECOND
    assert seconds > 60 * 60, "a session of the longest life fits"


def test_the_pages_reports_are_read_and_nothing_else_is_shown():
    assert offered({"state": "recording"}).recording
    done = offered({"state": "done", "url": "blob:http://127.0.0.1:3000/4d2c", "type": "audio/webm;codecs=opus", "full": False})
    assert (done.recording, done.url, done.extension, done.message) == (False, "blob:http://127.0.0.1:3000/4d2c", "webm", "")
    assert offered({"state": "done", "url": "javascript:alert(1)"}).url == "", "only the page's own Blob is offered"
    assert offered({"state": "done", "url": "blob:x", "type": "audio/ogg", "full": True}).message == bounds.RECORDING_FULL
    assert offered({"state": "done", "url": "blob:x", "type": "audio/ogg"}).extension == "ogg"
    assert offered({"state": "failed"}).message == FAILED
    assert offered({"state": "weird"}) is None and offered("junk") is None


def test_recording_is_off_unless_ticked_and_never_reaches_the_api():
    from voice_app.realtime.settings import SessionSettings
    from voice_app.realtime.settings_store import settings_from_form, settings_from_json, settings_to_json

    assert SessionSettings().record_calls is False
    ticked = settings_from_form({"record_calls": "on"}, SessionSettings())
    assert ticked.record_calls is True and settings_from_json(settings_to_json(ticked)).record_calls is True
    assert settings_from_form({"record_calls": "off"}, ticked).record_calls is False
    assert "record" not in str(ticked.session()) and "record" not in str(ticked.client_secret_request())
