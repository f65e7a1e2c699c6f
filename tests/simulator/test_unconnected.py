"""A call whose peer never connects is ended, as ICE fails it at the real API."""

import asyncio

from tests.simulator.client import Call as Client
from voice_app.simulator import peer
from voice_app.simulator.config import parse_session
from voice_app.simulator.faults import SessionFaults
from voice_app.simulator.peer import Call


async def test_a_call_whose_page_went_away_after_its_offer_is_ended(monkeypatch):
    monkeypatch.setattr(peer, "CONNECT_WITHIN_S", 0.5, raising=False)  # 30 s in earnest
    # A browser's offer carries no end-of-candidates: without a bound, ICE waits for more forever.
    client = Client("http://unused")
    offer = "\r\n".join(line for line in (await client.offer()).split("\r\n") if line != "a=end-of-candidates")
    ended = []
    call = Call(parse_session({"type": "realtime"}), SessionFaults(), on_closed=ended.append)
    try:
        await call.answer(offer)
        await client.pc.close()  # the page went away: the answer is never taken
        await asyncio.wait_for(call.ended.wait(), 20)
        assert ended == [call]
    finally:
        await call.close()
