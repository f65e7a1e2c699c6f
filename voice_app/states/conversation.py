"""ConversationState: the transcript on screen, the tools the model calls, and the saved record.

What the page's data channel heard comes through states/channel.py: a batch of streaming text
touches this state alone; the call and the figures are loaded only for the events that concern them.
"""

import asyncio
import secrets

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from voice_app.live.translate import LiveEvents
from voice_app.realtime import bounds, export, images
from voice_app.realtime.events import STREAMING
from voice_app.realtime.heard import as_shown
from voice_app.realtime.history import conversation_number, owner_id, restored
from voice_app.realtime.memory import Memory, remembered
from voice_app.realtime.tools import ToolContext, ToolResult
from voice_app.realtime.transcript import ENTRIES, LIVE, Transcript
from voice_app.service import backend, conversations
from voice_app.service.logs import get_logger
from voice_app.states.insight import InsightState

log = get_logger()


class ConversationState(rx.State):
    transcript: list[dict[str, str]] = []
    live_text: dict[str, str] = {}  # text still streaming, by item id: small, changes often
    images: dict[str, str] = {}  # thumbnails of the images shown on this page, by item id
    handled_batch: int = 0  # the page sends its next batch of events once it sees this one's number
    # The conversation on screen is saved as it happens; a reload or a restart brings it back.
    browser_key: str = rx.LocalStorage("", name="voice_owner")  # random; its hash owns the history
    conversation_id: str = rx.LocalStorage("", name="voice_conversation")
    save_problem: str = ""

    _conversation: Transcript = Transcript()
    _live: LiveEvents | None = None  # a GPT-Live call's events, put in the Realtime API's words
    _live_over: bool = False  # its call has ended (its last words may still come in)
    _notes: dict[str, str] = {}  # the example note pad tool's page, kept per conversation

    @rx.event
    async def page_loaded(self):
        if not self.browser_key:
            self.browser_key = secrets.token_urlsafe(24)
        if not self.transcript and self.conversation_id:
            await self._restore(self.conversation_id)

    def _took(self, batch: list[dict], number) -> list[dict]:
        """What the page's data channel heard: shown, never saved or acted on for tools (the
        server hears the call itself: service/hearing.py). Returns the new events that steer the
        call and the figures (not streaming text)."""
        self.handled_batch = number if isinstance(number, int) else 0
        batch = self._live.take(bounds.batch(batch)) if self._live else bounds.batch(batch)
        if self._live and self._live_over:  # the page's last words, flushed as its call ended: whole
            batch += self._live.finish()
        conversation = self._plain_conversation()
        changed, fresh = conversation.take(batch)
        self._conversation = conversation  # changed (its recent event ids, at least): kept with the state
        self._show(changed)
        return [event for event in fresh if event.get("type") not in STREAMING]

    def _image_shown(self, report: dict) -> bool:
        """The page sent an image on the call: its thumbnail shows on its entry (True: the model answers)."""
        if (image := images.shown(report)) and len(self.images) < images.MAX_IMAGES_SHOWN:
            self.images = {**self.images, image[0]: image[1]}
            return True
        return False

    @rx.event
    def export_markdown(self):
        return rx.download(data=export.to_markdown(self.transcript), filename="conversation.md")

    @rx.event
    def export_json(self):
        return rx.download(data=export.to_json(self.transcript), filename="conversation.json")

    # -- for the call and the history ---------------------------------------------------------
    def _realtime_started(self):
        """A Realtime API call: its events are in the app's words already."""
        self._live = None

    def _live_started(self, session_id: str):
        """A GPT-Live session: its entries follow those on screen now."""
        entries = self._conversation.entries
        self._live = LiveEvents(session_id, anchor=entries[-1]["id"] if entries else "root")
        self._live_over = False

    def _call_ended(self):
        """Whatever was still streaming stays, as far as it got (GPT-Live's say nothing of
        ending: what was said is whole)."""
        settled = self._conversation.take(self._live.finish())[0] if self._live else set()
        self._live_over = True
        self._show(settled | self._conversation.end_call())

    def _tool_context(self) -> ToolContext:
        return ToolContext(notes=dict(self._notes))

    def _tool_finished(self, call_id: str, result: ToolResult, context: ToolContext):
        """The server ran a tool the model called: the page shows the result and how long it took."""
        self._notes.update(context.notes)
        self._show(self._conversation.tool_finished(call_id, result.output, result.failed, result.duration_ms))

    def _folded(self, events: list[dict]):
        """Events the app made itself, in the API's words (GPT-Live echoes no answer a user gave)."""
        conversation = self._plain_conversation()
        changed = conversation.take(events)[0]
        self._conversation = conversation
        self._show(changed)

    def _saved(self, conversation_id: int | None, problem: str):
        """The server saved this conversation (under this id), or could not (the problem)."""
        full = len(self._conversation.entries) >= bounds.MAX_ENTRIES
        self.save_problem = problem or (bounds.FULL_CONVERSATION if full else "")
        if conversation_id is not None:
            self.conversation_id = str(conversation_id)

    def _memory(self, model: str) -> Memory:
        """What a new Realtime session is given of this conversation, by the page, so the model
        remembers it (what the session reports of those items then changes nothing on screen).
        GPT-Live's, which the server sends, comes from the saved record (states/live.py)."""
        memory = remembered(self._conversation.entries, backend.memory_tokens(model))
        self._conversation.given = memory.item_ids
        return memory

    @property
    def owner(self) -> str:
        return owner_id(self.browser_key)

    async def _start_over(self, conversation_id: str = "") -> bool:
        """A new, empty conversation on screen, or a saved one to continue (the caller checked
        that no call is under way)."""
        if conversation_id:
            return await self._restore(conversation_id)
        self._conversation, self._notes, self._live = Transcript(), {}, None
        self.transcript, self.live_text, self.images, self.conversation_id = [], {}, {}, ""
        (await self.get_state(InsightState))._start_over()
        return True

    # -- helpers ----------------------------------------------------------------------------------
    def _plain_conversation(self) -> Transcript:
        """The transcript itself, not Reflex's watching proxy of it, which wraps each entry it reads:
        a batch against a long conversation took seconds of the worker, and a client can send such
        batches. Whoever changes it assigns it back, which tells Reflex it changed."""
        return getattr(self._conversation, "__wrapped__", self._conversation)

    def _show(self, changed: set[str]):
        """Re-send only what changed: the whole list only when an item came or settled."""
        if ENTRIES in changed:
            self.transcript = [as_shown(entry) for entry in self._plain_conversation().entries]
            if len(self.transcript) >= bounds.MAX_ENTRIES:  # later turns are not added: say so
                self.save_problem = bounds.FULL_CONVERSATION
        if LIVE in changed:
            self.live_text = dict(self._conversation.live)

    async def _restore(self, conversation_id: str) -> bool:
        try:
            saved = await asyncio.to_thread(conversations.load, self.owner, conversation_number(conversation_id) or 0)
        except SQLAlchemyError as error:
            log.error("conversation not loaded error=%s", type(error).__name__)
            self.save_problem = "The saved conversation could not be loaded just now."
            return False
        if saved is None:
            self.conversation_id = ""  # deleted, or saved in another browser
            return False
        row, entries = saved
        self._conversation, self._notes, self._live = restored(entries), {}, None
        (await self.get_state(InsightState))._start_over(row.usage_json)
        self.conversation_id = str(row.id)
        self.transcript, self.live_text, self.images = [as_shown(entry) for entry in self._conversation.entries], {}, {}
        return True
