"""The call's phase (call_phase.py): every allowed transition, and every other one refused."""

import itertools

import pytest

from voice_app.realtime.call_phase import CallPhase as P
from voice_app.realtime.call_phase import CallStep as S
from voice_app.realtime.call_phase import Status, step

ALLOWED = {
    (P.IDLE, S.BEGIN): P.ADMITTED,
    (P.ERROR, S.BEGIN): P.ADMITTED,  # connect again after a failure
    (P.ADMITTED, S.DIAL): P.DIALING,
    (P.DIALING, S.OPEN): P.CONNECTED,
    (P.ADMITTED, S.LEAVE): P.IDLE,  # Disconnect while the secret is minted
    (P.DIALING, S.LEAVE): P.IDLE,
    (P.CONNECTED, S.LEAVE): P.IDLE,
    (P.ERROR, S.LEAVE): P.IDLE,  # Disconnect clears the error
    (P.IDLE, S.FAIL): P.ERROR,  # a Connect refused (an access code, a limit)
    (P.ADMITTED, S.FAIL): P.ERROR,  # the mint failed
    (P.DIALING, S.FAIL): P.ERROR,  # the page's connection failed
    (P.CONNECTED, S.FAIL): P.ERROR,
    (P.ERROR, S.FAIL): P.ERROR,  # refused again
}


@pytest.mark.parametrize("phase, what", list(ALLOWED))
def test_an_allowed_step_leads_where_it_says(phase, what):
    assert step(phase, what) is ALLOWED[phase, what]


@pytest.mark.parametrize("phase, what", [pair for pair in itertools.product(P, S) if pair not in ALLOWED])
def test_any_other_step_is_refused(phase, what):
    assert step(phase, what) is None


def test_the_page_sees_four_words_and_a_call_from_admitted_to_connected():
    assert [p.status for p in P] == [Status.IDLE, Status.ERROR, Status.CONNECTING, Status.CONNECTING, Status.CONNECTED]
    assert [p for p in P if p.in_call] == [P.ADMITTED, P.DIALING, P.CONNECTED]
    assert [str(s) for s in Status] == ["idle", "connecting", "connected", "error"]  # the page's contract
