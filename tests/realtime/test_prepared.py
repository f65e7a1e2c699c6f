"""When a secret prepared on intent may serve a Connect, and when an intent mints another."""

from dataclasses import replace

from voice_app.realtime.client_secrets import ClientSecret
from voice_app.realtime.prepared import MIN_LIFE_S, Prepared, wanted
from voice_app.realtime.settings import SessionSettings

NOW, TIMEOUT = 1_000_000.0, 15.0
MARIN, CEDAR = SessionSettings().session(), SessionSettings(voice="cedar").session()


def minted(expires_in: float = 60, session: dict = MARIN) -> Prepared:
    return Prepared(session, 1, NOW - 1).ready(ClientSecret("ek_test", int(NOW + expires_in)))


def test_a_ready_secret_serves_exactly_its_session_while_it_has_life_left():
    assert minted().serves(MARIN, NOW, TIMEOUT)
    assert not minted().serves(CEDAR, NOW, TIMEOUT)  # another voice: a fresh mint
    assert minted(MIN_LIFE_S).serves(MARIN, NOW, TIMEOUT)
    assert not minted(MIN_LIFE_S - 1).serves(MARIN, NOW, TIMEOUT)


def test_a_secret_being_minted_serves_one_connect_until_the_apis_timeout():
    pending = Prepared(MARIN, 1, NOW - 1)
    assert pending.serves(MARIN, NOW, TIMEOUT) and not pending.serves(CEDAR, NOW, TIMEOUT)
    assert not replace(pending, claimed=3).serves(MARIN, NOW, TIMEOUT)  # another Connect waits for it
    assert not pending.serves(MARIN, NOW + TIMEOUT, TIMEOUT)  # its worker went away with it


def test_an_intent_mints_only_when_nothing_fitting_is_held_or_on_its_way():
    assert wanted(None, MARIN, NOW, TIMEOUT)
    assert not wanted(Prepared(MARIN, 1, NOW), MARIN, NOW, TIMEOUT)
    assert not wanted(Prepared(MARIN, 1, NOW), CEDAR, NOW, TIMEOUT)  # one mint at a time
    assert not wanted(minted(), MARIN, NOW, TIMEOUT)
    assert wanted(minted(), CEDAR, NOW, TIMEOUT)
    assert wanted(minted(MIN_LIFE_S - 1), MARIN, NOW, TIMEOUT)


def test_the_secret_is_left_out_of_its_repr():
    assert "ek_test" not in repr(minted())
