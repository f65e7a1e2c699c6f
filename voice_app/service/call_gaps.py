"""A takeover's gap, filled (service/hearing.py calls this): what a Realtime API call said while no
server connection heard it (its holder died, or the connection dropped) is retrieved from the API
(realtime/gap_filling.py says how), put in the record in its place, saved once, and a tool call
the model still waits for runs. GPT-Live can retrieve no item: its gap stays unheard."""

from voice_app.realtime.call_record import Heard
from voice_app.realtime.gap_filling import Gap
from voice_app.service.logs import get_logger

log = get_logger()


class CallGaps:
    def __init__(self, hearing, taken_over: bool):
        self.hearing = hearing
        self.taken_over = taken_over and not hearing.live  # a first holder hears its call from the start
        self.gap: Gap | None = None
        self.warned = False

    async def attached(self):
        """Attached to the call (taken over, or again after a drop): look for what went unheard."""
        if self.hearing.live:
            return
        if self.gap is None and self.taken_over:
            transcript = self.hearing.record.transcript
            known = {entry["id"] for entry in transcript.entries} | transcript.given
            self.gap = Gap(known=known, after=transcript.entries[-1]["id"] if transcript.entries else None)
        self.taken_over = True  # an attachment after this one follows a drop
        if self.gap is not None:
            self._send(self.gap.ask(await self._hints()))

    async def heard(self, said: list[dict]):
        """The call's events, once the record took them."""
        if self.gap is None:
            return
        for event in said:
            if last := self.gap.heard(event):
                self._send(self.gap.ask(await self._hints(), last))
            if refused := self.gap.refused(event):
                log.warning("unheard item not retrieved call=%s item=%s", self.hearing.call_id, refused[:64])
            done, call = self.gap.retrieved(event, lambda item_id: self.hearing.record.transcript.find(item_id) is not None)
            if done is None:
                continue
            heard = self.hearing.record.take(done)
            if call is not None:  # answered once it ran (TurnTaking sends the output, then asks the answer)
                self.hearing.record.turns.tools_running[call["response_id"]] = 1
                log.info("unheard tool call runs call=%s tool=%s", self.hearing.call_id, call["name"][:64])
            await self.hearing.act(Heard(save=heard.save, run=[call] if call else [], send=heard.send))

    async def _hints(self) -> list:
        """The items the page showed of this call, in order; none if its states cannot say."""
        try:
            hints = await self.hearing.page.item_ids(self.hearing.call_id)
        except Exception as error:  # the page's states away: the API's own sign of a gap still works
            log.warning("page items not read call=%s error=%s", self.hearing.call_id, type(error).__name__)
            return []
        return hints if isinstance(hints, list) else []

    def _send(self, events: list[dict]):
        for event in events:
            self.hearing.outbox.put_nowait(event)
        if self.gap.gave_up and not self.warned:
            self.warned = True
            log.warning("unheard items left unsaved call=%s: more than the retrievals allowed", self.hearing.call_id)
