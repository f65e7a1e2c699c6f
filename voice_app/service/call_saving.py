"""What the server keeps of a call it holds (service/hearing.py): the saved conversation it
continues, loaded as it attaches, and its record saved as it changes, in order, off the event loop.
The page hears whether a save went through, and why not."""

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import SQLAlchemyError

from voice_app.realtime.call_record import CallRecord
from voice_app.realtime.history import conversation_number
from voice_app.service import backend, conversations
from voice_app.service.logs import get_logger

log = get_logger()

NOT_SAVED = "This conversation could not be saved just now; it stays on this page."
NOT_LOADED = "This call is not being saved: its saved conversation could not be read just now."


class CallSaving:
    def __init__(
        self,
        told: Callable[[int | None, str], Awaitable[None]],
        call_id: str,
        owner: str,
        conversation_id: str,
        settings: dict,
        live: bool,
    ):
        self.told_page, self.call_id, self.owner, self.settings, self.live = told, call_id, owner, settings, live
        self.conversation_id = conversation_number(conversation_id)
        self.order = asyncio.Lock()  # saves in the order they were asked for
        self.problem = ""  # the page's save problem, shown until a save goes through
        self.unsaved = False  # the saved conversation could not be read: saving now would garble it

    async def loaded(self) -> CallRecord:
        """The record this call continues (a new one if none, or if it could not be read)."""
        try:
            return await asyncio.to_thread(self._continuing)
        except SQLAlchemyError as error:
            log.error("conversation not loaded call=%s error=%s", self.call_id, type(error).__name__)
            self.unsaved = True
            await self._told(None, NOT_LOADED)
            return CallRecord()

    def _continuing(self) -> CallRecord:
        saved = conversations.load(self.owner, self.conversation_id) if self.conversation_id else None
        entries, usage = (saved.entries, saved.conversation.usage_json) if saved else ([], "")
        model = self.settings.get("live_model" if self.live else "model", "")
        return CallRecord.continuing(
            entries,
            usage,
            model,
            self.settings.get("transcription_model", ""),
            None if self.live else backend.memory_tokens(model),
        )

    async def save(self, record: CallRecord):
        """The record's changed entries and its usage."""
        transcript = record.transcript
        if not transcript.entries or self.unsaved:
            return
        async with self.order:
            changed = set(transcript.dirty)
            try:
                saved = await asyncio.to_thread(
                    conversations.save,
                    self.owner,
                    self.conversation_id,
                    transcript.entries,
                    changed,
                    self.settings,
                    record.usage(),
                )
            except (SQLAlchemyError, conversations.HistoryFull) as error:
                log.error("conversation not saved call=%s error=%s", self.call_id, type(error).__name__)
                problem = str(error) if isinstance(error, conversations.HistoryFull) else NOT_SAVED
                return await self._told(None, problem)  # what changed stays dirty: the next save writes it
            transcript.dirty.difference_update(changed)
            if saved != self.conversation_id or self.problem:
                self.conversation_id = saved
                await self._told(saved, "")

    async def _told(self, conversation_id: int | None, problem: str):
        self.problem = problem
        await self.told_page(conversation_id, problem)
