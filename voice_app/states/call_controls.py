"""The controls that act on a call: a typed message, mute, interrupt, push-to-talk and the
keyboard's shortcuts. A mixin of CallState (its vars and helpers are CallState's)."""

import time

import reflex as rx

from voice_app.realtime import api_rules, bounds, images
from voice_app.realtime.call_phase import Status
from voice_app.realtime.events import ClientEvent
from voice_app.states.settings import SettingsState

IDLE, CONNECTING, CONNECTED, ERROR = Status.IDLE, Status.CONNECTING, Status.CONNECTED, Status.ERROR


class CallControls(rx.State, mixin=True):
    draft: str = ""
    muted: bool = False
    talking: bool = False  # push-to-talk is held
    _talk_started: float = 0.0  # when push-to-talk was pressed (server time)

    @rx.event
    def set_draft(self, value: str):
        self.draft = bounds.text(value, bounds.MAX_TEXT_CHARS) if isinstance(value, str) else ""

    @rx.event
    def send_text(self, form_data: dict | None = None):
        text = self.draft.strip()
        if not text:
            return
        if self.status != CONNECTED:
            self.error_message = "Connect first: messages go to the model during a call."
            return
        if self.answering:
            self._interrupt()  # a message typed over the model stops it, as speaking over it does
        item = {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}
        self._send_all([{"type": ClientEvent.ITEM_CREATE.value, "item": item}, *self._turns.answer()])
        self.draft = ""

    @rx.event
    def image_problem(self, problem: str):
        self.notice = images.PROBLEMS.get(problem, images.UNREADABLE) if isinstance(problem, str) else images.UNREADABLE

    def _answer_now(self):
        """The user showed an image: the model says what it sees (after the answer under way)."""
        if self.status == CONNECTED:
            self._send_all(self._turns.answer())

    @rx.event
    def toggle_mute(self):
        self.muted = not self.muted

    @rx.event
    def interrupt(self):
        if self.status == CONNECTED and self.answering:
            self._interrupt()

    @rx.event
    async def start_talking(self):
        if self.status == CONNECTED and not self.talking and await self.get_var_value(SettingsState.push_to_talk):
            self.talking, self._talk_started = True, time.time()
            if self.answering:
                self._interrupt()  # talking over the model stops it, as server VAD would
            self._send_all([{"type": ClientEvent.INPUT_CLEAR.value}])

    @rx.event
    def stop_talking(self):
        if not self.talking:
            return
        self.talking = False
        if api_rules.held_long_enough((time.time() - self._talk_started) * 1000):
            self._send_all(self._turns.commit())  # answered once the API says it has the audio
        else:  # a tap: the API would refuse to commit so little, so nothing is sent but a clear
            self._send_all([{"type": ClientEvent.INPUT_CLEAR.value}])
            self.notice = api_rules.TOO_SHORT

    @rx.event
    async def shortcut(self, key: dict):
        key = key if isinstance(key, dict) else {}
        if key.get("key") == "m" and key.get("down"):
            self.muted = not self.muted
        elif key.get("key") == " ":
            await self.start_talking() if key.get("down") else self.stop_talking()
