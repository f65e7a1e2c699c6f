"""The server's own connection to a call (realtime/sideband.py), held for the call's life by the
worker holding its lease (service/call_holder.py), on any worker after its first holder died.
Tools run from its events only, and what is saved (entries, usage, cost) comes from them
(realtime/call_record.py); the page's own events only show. If it cannot be held,
tools are off for the call and the page says why.

Service code: it reaches the page's states only through a `Page` (states/server_call.py makes one),
so it runs, and is tested, without Reflex."""

import asyncio
from collections.abc import Awaitable, Callable

from voice_app.live import mcp_items, translate
from voice_app.live.events import ClientEvent as LiveClient
from voice_app.live.translate import LiveEvents
from voice_app.realtime import api_rules, binding, bounds, sideband
from voice_app.realtime.binding import Binding, NotOurs
from voice_app.realtime.call_record import CallRecord, Heard
from voice_app.realtime.mcp_approvals import Approvals
from voice_app.realtime.tools import ToolResult
from voice_app.service import backend, hang_ups, tool_setting
from voice_app.service.call_gaps import CallGaps
from voice_app.service.call_leases import HeldCall
from voice_app.service.call_saving import CallSaving
from voice_app.service.logs import get_logger
from voice_app.service.page import Page
from voice_app.service.tool_setting import ToolSetting

log = get_logger()


class Hearing(ToolSetting):
    """One call, as this server hears it: the record, the tools it runs, and the saves."""

    def __init__(self, page: Page, call: HeldCall, changed: Callable[[], Awaitable[None]] | None = None):
        self.page, self.call, self.call_id = page, call, call.call_id
        self.changed = changed or _nothing  # `call` changed: what a takeover starts from (service/call_holder.py)
        self.live: LiveEvents | None = LiveEvents(call.call_id) if call.live else None  # its events in the app's words
        self.saving = CallSaving(self._saved, call.call_id, call.owner, call.conversation_id, call.settings, call.live)
        self.record = CallRecord()
        self.outbox: asyncio.Queue = asyncio.Queue()
        self.tools: set[asyncio.Task] = set()
        self.tools_wanted: list[dict] | None = None  # the call's tools, to be set (set_tools)
        self.tools_sent: list[dict] | None = None
        self.tools_sent_at = -tool_setting.TOOLS_EVERY_S
        self.approvals = Approvals(call.pending)  # MCP approval requests heard, until the user answers
        # Nothing heard is acted on until the call shows it is the page's own (a GPT-Live session
        # the server started itself, or one a takeover carries on, needs no showing).
        self.binding = Binding("" if call.live or call.bound else call.mark)
        self.acting = False  # bound, and acting on the call
        self.leaving = False  # this worker stops holding a call that goes on (service/call_holder.py)
        self.gaps = CallGaps(self, taken_over=call.bound)  # what the call said unheard, from the API

    async def hold(self):
        """Until the call is over (or lost). A hold taken over from a dead worker attaches again:
        the API replays nothing to a new connection, so what the call said between the death and
        the takeover (a few seconds) is retrieved from it (service/call_gaps.py); the saved
        conversation is loaded, and is carried on by item id, so nothing is lost or saved twice."""
        log.info("server attaching call=%s", self.call_id)
        self.was_attached = False
        self.record = await self.saving.loaded()
        if self.live:
            if not self.call.bound:  # the server created this session: its startup seconds are billed, once
                self.record.take_all([{"type": translate.CREATED}])
            entries = self.record.transcript.entries
            self.live.anchor = entries[-1]["id"] if entries else "root"
        client = backend.sideband_client()
        connect = (sideband.live_session if self.live else sideband.realtime_call)(client, self.call_id)
        try:
            await sideband.hold(connect, self.heard, self.attached, self.outbox, backend.API.timeout_s)
            if self.binding.bound:  # over: its slot is free (another page's call frees nothing here)
                await backend.GUARD.call_over(self.call_id)
            if not self.was_attached:  # the API knew no such call: nothing heard it, so fail closed
                await self.lost("the API did not know the call")
        except sideband.Lost as lost:
            await self.lost(str(lost))
        except Exception:  # a fault of ours: fail closed, as for a refusal, and keep the call
            log.exception("server connection failed call=%s", self.call_id)
            await self.lost("the server's connection to the call failed")
        except asyncio.CancelledError:  # this worker stops, or lost the lease: the call goes on elsewhere
            self.leaving = True
            raise
        finally:
            for task in self.tools:
                task.cancel()
            if not self.leaving:
                await self._over()
        log.info("server connection closed call=%s", self.call_id)

    async def _over(self):
        try:
            await self.page.call_over()
            if self.live:  # what was said is whole: GPT-Live says nothing of a turn's end
                await self.act(self.record.take_all(self.live.finish()))
            if self.record.ended():
                self.saving.ask(self.record)
        finally:  # the call's end waits for its last save: no write outlives the call
            await self.saving.flushed()

    async def handed_over(self, flush: bool):
        """The call goes on elsewhere (`leaving`). `flush`: this worker stops (a restart), and the next
        holder loads what this one heard, so it is written first; else another holder saves it already."""
        await (self.saving.flushed() if flush else self.saving.dropped())

    async def lost(self, why: str):
        log.warning("server connection lost call=%s reason=%r", self.call_id, why)
        await self.page.lost(self.call_id, bool(self.live), why)

    async def attached(self):
        self.was_attached = True
        log.info("server attached call=%s", self.call_id)
        await self.page.attached(self.call_id)
        if self.binding.bound:
            await self._bound()
        else:  # the answer shows whose call it is
            self.outbox.put_nowait(binding.PROBE)
        await self.gaps.attached()

    async def _bound(self):
        """The call is the page's own: from now on the server acts on it, and ends it when the page leaves."""
        if self.acting:
            return  # attached again after a drop
        self.acting = True
        if not self.call.bound:  # a call taken over was counted by its first holder
            self.call.bound = True
            await self.changed()
            await backend.GUARD.call_started(self.call.slot, self.call_id)
        if not await self.page.bound(self.call_id):
            await hang_ups.end_call(self.call_id, bool(self.live), "the page left the call")

    async def heard(self, event: dict):
        was_bound = self.binding.bound
        try:
            events = self.binding.take(event)
        except NotOurs as not_ours:
            log.warning("call not bound to its page call=%s reason=%s", self.call_id, not_ours)
            raise sideband.Lost(str(not_ours)) from None
        if events and not was_bound:
            log.info("call bound to its page call=%s", self.call_id)
            await self._bound()
        for event in events:
            said = self.live.take([event]) if self.live else [event]  # in the Realtime API's words
            for error in [
                e for e in said if e.get("type") == "error"
            ]:  # the record asks again for a refused answer; all are logged
                race, codes = api_rules.error_logged(error.get("error"))
                (log.info if race else log.warning)("api error call=%s %s", self.call_id, codes)
            await self.act(self.record.take_all(said))
            await self.gaps.heard(said)
            for asked in filter(None, map(self.approvals.heard, said)):
                await self.changed()
                await self.page.asked(asked)

    async def answer(self, request_id: str, approve: bool) -> bool:
        """The user's answer to an MCP approval request the call asked (sent here), or False."""
        events = self.approvals.answer(request_id, approve, self.record.turns)
        if events:
            await self.changed()
        for event in events:
            self.outbox.put_nowait(translate.outgoing(event) if self.live else event)
        if events:  # the page's word is logged only for a request this connection heard
            log.info("mcp approval call=%s request=%s approve=%s", self.call_id, request_id, approve)
        if events and self.live:  # GPT-Live echoes no added item: the record takes the answer itself
            task = asyncio.create_task(self.act(self.record.take(mcp_items.answered(request_id, approve))))
            self.tools.add(task)
            task.add_done_callback(self.tools.discard)
        return bool(events)

    def close(self):
        """Close a GPT-Live session (on this connection: its end frees the slot)."""
        if self.live:
            self.outbox.put_nowait({"type": LiveClient.CLOSE.value})

    async def act(self, heard: Heard):
        for event in heard.send:
            event = translate.outgoing(event) if self.live else event
            if event is not None:
                self.outbox.put_nowait(event)
        for call in heard.run:  # in the background: a slow tool holds up no other event
            task = asyncio.create_task(self.run_tool(call))
            self.tools.add(task)
            task.add_done_callback(self.tools.discard)
        if heard.save:  # beside the call's events: a slow save holds up no event, and no tool call
            self.saving.ask(self.record)

    async def run_tool(self, call: dict):
        context, chosen = await self.page.tool_started(self.call_id, call["name"])
        if chosen:
            result = await backend.TOOLS.call(call["name"], call["arguments"], context)
            log.info("tool ran call=%s tool=%s failed=%s", self.call_id, call["name"], result.failed)
        else:  # a tool the page put in its session itself (or the call is over): the server's choice is what runs
            result = ToolResult(f"Error: there is no tool named '{call['name']}' in this call.", True, 0)
            log.warning(
                "tool refused call=%s name=%r: not one the server put in the call's session",
                self.call_id,
                bounds.text(call["name"], 64),
            )
        await self.page.tool_finished(call["call_id"], result, context)
        await self.act(self.record.tool_finished(call, result))

    async def _saved(self, conversation_id: int | None, problem: str):
        if conversation_id is not None and str(conversation_id) != self.call.conversation_id:
            self.call.conversation_id = str(conversation_id)  # a takeover saves on under it
            await self.changed()
        await self.page.saved(conversation_id, problem)


async def _nothing():
    pass
