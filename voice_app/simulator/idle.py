"""Idle nudges: server VAD's `idle_timeout_ms` (RealtimeAudioInputTurnDetectionParam). After that
long with nothing said and nothing answering or playing, the API sends
`input_audio_buffer.timeout_triggered`, commits the silence as an `input_audio` item and makes a
response: the model speaks up."""

import asyncio

from voice_app.realtime.events import ServerEvent as E
from voice_app.simulator import events
from voice_app.simulator.config import new_id
from voice_app.simulator.replies import voiced
from voice_app.simulator.vad import ms

POLL_S = 0.05
NUDGE = "Are you still there? Take your time: I am listening. This is the local simulator."


def timeout_ms(session) -> int | None:
    detection = session.audio.input.turn_detection
    return getattr(detection, "idle_timeout_ms", None)  # server VAD only: semantic VAD has none


async def watch(c) -> None:
    """Counts quiet time from the end of the last answer's audio (or the call's start)."""
    loop = asyncio.get_running_loop()
    since = loop.time()
    while not c.closed:
        await asyncio.sleep(POLL_S)
        timeout = timeout_ms(c.session)
        if timeout is None or c.busy:
            since = loop.time()
        elif loop.time() - since >= timeout / 1000:
            nudge(c, timeout)
            since = loop.time()


def nudge(c, timeout: int) -> None:
    item_id, end = new_id("item"), ms(c.heard_samples)
    c.emit(events.event(E.IDLE_TIMEOUT, audio_start_ms=max(0, end - timeout), audio_end_ms=end, item_id=item_id))
    previous = c.last_item_id()
    c.emit(events.event(E.INPUT_COMMITTED, item_id=item_id, previous_item_id=previous))
    item = events.user_audio_item(item_id)
    c.add_item(item_id, item)
    c.emit(events.event(E.ITEM_DONE, item=item, previous_item_id=previous))
    reply = voiced(NUDGE)
    reply.audio_in_s = timeout / 1000  # the silence is input audio, billed as such
    c.start_answer(reply)
