"""The server's GPT-Live connection skips the reflected audio (about 100 frames a second) without
parsing it, whatever the key order: the package's models put `audio`/`delta` before `type`."""

import asyncio
import base64
import json

import websockets
from openai.types.live import InputAudioAppendEvent, OutputAudioDeltaEvent, SessionStartedEvent

from voice_app.realtime import sideband

PCM = base64.b64encode(bytes(4800)).decode()  # 100 ms of 24 kHz PCM16
OUTPUT = OutputAudioDeltaEvent(delta=PCM, event_id="ev_1", type="session.output_audio.delta", start_ms=0, end_ms=100)
INPUT = InputAudioAppendEvent(audio=PCM, type="session.input_audio.append", event_id="ev_2")
STARTED = SessionStartedEvent.model_validate(
    {
        "type": "session.started",
        "event_id": "ev_3",
        "session": {
            "id": "live_1",
            "expires_at": 1,
            "status": "active",
            "instructions": "",
            "model": "gpt-live-1",
            "client": {
                "data_channel": {
                    "allowed_client_events": ["session.close"],
                    "allowed_server_events": [{"type": "session.output_audio.delta"}],
                }
            },
        },
    }
)
TRANSCRIPT = {
    "delta": 'she said "type": "session.output_audio.delta"',
    "event_id": "ev_4",
    "type": "session.output_transcript.delta",
}


class Frames:
    """A connection that gives these frames, then closes normally."""

    def __init__(self, frames: list[bytes]):
        self.frames = frames

    async def recv_bytes(self):
        if not self.frames:
            raise websockets.ConnectionClosedOK(None, None)
        return self.frames.pop(0)

    async def send(self, event):
        pass


def frames() -> list[bytes]:
    audio = [
        OUTPUT.model_dump_json(exclude_none=True),
        INPUT.model_dump_json(exclude_none=True),
        json.dumps(OUTPUT.model_dump(exclude_none=True)),
    ]  # with spaces, as Python's json writes it
    assert all(not text.startswith('{"type"') for text in audio)  # the package's order: `type` is not first
    others = [STARTED.model_dump_json(exclude_none=True), json.dumps(TRANSCRIPT)]
    return [text.encode() for text in audio + others]


async def test_audio_frames_are_skipped_unparsed_in_the_packages_key_order(monkeypatch):
    parsed, heard = [], []
    loads = json.loads
    monkeypatch.setattr(sideband.json, "loads", lambda frame: parsed.append(frame) or loads(frame))

    async def hear(event):
        heard.append(event["type"])

    assert await sideband._listen(Frames(frames()), hear, asyncio.Queue())
    assert heard == ["session.started", "session.output_transcript.delta"]  # a selector or a quote naming audio is read
    assert len(parsed) == 2  # the three audio frames were never parsed
