"""What the server keeps of a call it holds (service/hearing.py): the saved conversation it
continues, loaded as it attaches, and its record saved as it changes, off the event loop and beside
the call's events: a slow database holds up no event and no tool call.

One write at a time per call. Saves asked for while one is written become one more write, of the
record as it is by then: entries are written by item id and `dirty` gathers every change since the
last write began, so a later write covers every earlier one. The page hears whether a save went
through, and why not."""

import asyncio
import contextvars
import functools
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.exc import SQLAlchemyError

from voice_app.realtime.call_record import CallRecord
from voice_app.realtime.history import conversation_number
from voice_app.service import backend, conversations
from voice_app.service.logs import get_logger

log = get_logger()

NOT_SAVED = "This conversation could not be saved just now; it stays on this page."
NOT_LOADED = "This call is not being saved: its saved conversation could not be read just now."
# The writes' own threads: queued here, they hold up no tool (tools' threads are the loop's
# default ones). A few: a database takes one write at a time (SQLite) or a few at once.
WRITERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="call-saves")


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
        self.writing: asyncio.Task | None = None  # the one write under way, and those asked for during it
        self.pending: CallRecord | None = None  # asked for, not yet being written
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

    def ask(self, record: CallRecord) -> None:
        """Save the record soon (its changed entries and its usage), without waiting for it."""
        self.pending = record
        if self.writing is None:
            self.writing = asyncio.create_task(self._write_on())

    async def flushed(self) -> None:
        """Once every save asked for is written (a cancel here cancels the write: no task outlives it)."""
        while self.writing is not None:
            await self.writing

    async def dropped(self) -> None:
        """Nothing more is written: another holder saves the call now (a write already in the
        database's hands ends there: a thread is not stopped)."""
        self.pending = None
        if self.writing is not None:
            self.writing.cancel()
            await asyncio.wait([self.writing])

    async def _write_on(self):
        try:
            while self.pending is not None:
                record, self.pending = self.pending, None
                try:
                    await self._write(record)
                except Exception:  # a fault of ours: the call goes on, unsaved, and the page says so
                    log.exception("conversation not saved call=%s", self.call_id)
                    await self._told(None, NOT_SAVED)
        finally:
            self.writing = None

    async def _write(self, record: CallRecord):
        transcript = record.transcript
        if not transcript.entries or self.unsaved:
            return
        # As they are now: the call's events change them while the database writes this copy,
        # and mark what they change for the next write.
        changed, transcript.dirty = transcript.dirty, set()
        entries = [dict(entry) for entry in transcript.entries]
        try:
            write = functools.partial(  # in this context, as asyncio.to_thread runs it: Reflex keeps its config there
                contextvars.copy_context().run,
                conversations.save,
                self.owner,
                self.conversation_id,
                entries,
                changed,
                self.settings,
                record.usage(),
            )
            saved = await asyncio.get_running_loop().run_in_executor(WRITERS, write)
        except BaseException as error:
            transcript.dirty |= changed  # not written: the next write writes it
            if not isinstance(error, (SQLAlchemyError, conversations.HistoryFull)):
                raise
            log.error("conversation not saved call=%s error=%s", self.call_id, type(error).__name__)
            return await self._told(None, str(error) if isinstance(error, conversations.HistoryFull) else NOT_SAVED)
        if saved != self.conversation_id or self.problem:
            self.conversation_id = saved
            await self._told(saved, "")

    async def _told(self, conversation_id: int | None, problem: str):
        self.problem = problem
        try:  # only the page's word: its failure must not stop the saving
            await self.told_page(conversation_id, problem)
        except Exception:
            log.exception("page not told of the save call=%s", self.call_id)
