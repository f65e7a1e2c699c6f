"""Standby (`idle_timeout_s` with a speech `wake_policy`): after that many whole seconds with
nobody speaking, inference pauses (`session.paused`), and the user's speech wakes it
(`session.resumed`). Paused time is billed apart, as `paused_seconds`."""

import asyncio
import time

from voice_app.live.events import ServerEvent
from voice_app.simulator.live import events

CHECK_EVERY_S = 0.25


class Standby:
    def __init__(self, session, idle_s: int | None) -> None:
        self.session, self.idle_s = session, idle_s
        self.last_heard = time.monotonic()
        self.paused_since: float | None = None
        self.paused_s = 0.0

    def activity(self) -> None:
        """Someone spoke: the silence starts again, and a paused session wakes."""
        now = time.monotonic()
        self.last_heard = now
        if self.paused_since is not None:
            self.paused_s += now - self.paused_since
            self.paused_since = None
            self.session.emit(events.event(ServerEvent.RESUMED))

    def paused_seconds(self) -> int:
        ongoing = time.monotonic() - self.paused_since if self.paused_since is not None else 0.0
        return int(self.paused_s + ongoing)  # rounded down, as billed

    async def watch(self) -> None:
        if not self.idle_s:
            return
        while True:
            await asyncio.sleep(CHECK_EVERY_S)
            model_speaks = self.session.speaker.given > self.session.speaker.sent  # its voice still plays
            if model_speaks or self.session.voice.speaking:
                self.last_heard = time.monotonic()
            elif self.paused_since is None and time.monotonic() - self.last_heard >= self.idle_s:
                self.paused_since = time.monotonic()
                self.session.emit(events.event(ServerEvent.PAUSED))
