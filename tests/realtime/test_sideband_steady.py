"""The server's connection to a call is attached again after each drop, a few times in a row at
most; one that held a good while starts that count again, so a long call survives rare drops."""

import asyncio

import pytest
import websockets

from voice_app.realtime import sideband


class Dropping:
    """A connection that drops after `held_s` (or, the last one, closes normally: the call ended)."""

    def __init__(self, held_s: float, ends: bool = False):
        self.held_s, self.ends = held_s, ends

    async def enter(self):
        return self

    async def recv_bytes(self):
        await asyncio.sleep(self.held_s)
        raise websockets.ConnectionClosedOK(None, None) if self.ends else websockets.ConnectionClosedError(None, None)

    async def send(self, event):
        pass

    async def close(self):
        pass


async def hold(connections: list[Dropping]):
    attaches = []

    async def attached():
        attaches.append(1)

    async def heard(event):
        pass

    lined_up = iter(connections)
    await sideband.hold(lambda: next(lined_up), heard, attached, asyncio.Queue(), 5)
    return len(attaches)


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    monkeypatch.setattr(sideband, "REATTACH_DELAYS_S", (0.01, 0.01, 0.01))
    monkeypatch.setattr(sideband, "STEADY_S", 0.1)


async def test_drops_far_apart_are_each_attached_again_however_many():
    assert await hold([*(Dropping(0.15) for _ in range(6)), Dropping(0.01, ends=True)]) == 7


async def test_drops_in_quick_succession_give_up_after_three_reattaches():
    with pytest.raises(sideband.Lost, match="dropped"):
        await hold([Dropping(0.01) for _ in range(6)])


class Speaking(Dropping):
    """A GPT-Live sideband: reflected audio, one event, then the session's end."""

    def __init__(self):
        super().__init__(0, ends=True)
        self.frames = [
            b'{"type":"session.input_audio.append","audio":"AAAA"}',
            b'{"type":"session.output_audio.delta","delta":"AAAA","start_ms":0,"end_ms":20}',
            b'{"type":"session.output_transcript.delta","delta":"Hi","start_ms":0,"end_ms":20,"event_id":"e1"}',
        ]

    async def recv_bytes(self):
        return self.frames.pop(0) if self.frames else await super().recv_bytes()


async def test_reflected_audio_is_left_unread_and_events_are_heard():
    heard = []

    async def on_heard(event):
        heard.append(event["type"])

    async def attached():
        pass

    speaking = Speaking()
    await sideband.hold(lambda: speaking, on_heard, attached, asyncio.Queue(), 5)
    assert heard == ["session.output_transcript.delta"]
