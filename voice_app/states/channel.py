"""ChannelState: what the page's data channel heard, and the images it sent. The conversation shows
it; the events that steer (not streaming text) go on to the figures and the call."""

import reflex as rx

from voice_app.states.call import CallState
from voice_app.states.conversation import ConversationState
from voice_app.states.insight import InsightState


class ChannelState(rx.State):
    @rx.event
    async def receive_events(self, batch: list[dict], number: int = 0):
        if steering := (await self.get_state(ConversationState))._took(batch, number):
            (await self.get_state(InsightState))._count(steering)
            (await self.get_state(CallState))._follow(steering)

    @rx.event
    async def image_shown(self, report: dict):
        """The model says what it sees (after the answer under way)."""
        if (await self.get_state(ConversationState))._image_shown(report):
            (await self.get_state(CallState))._answer_now()
