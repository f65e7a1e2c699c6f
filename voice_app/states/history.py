"""HistoryState: the saved conversations of this browser: list, open read-only, download, delete."""

import asyncio

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from voice_app.realtime import export
from voice_app.realtime.heard import as_shown
from voice_app.realtime.history import conversation_number, restored, usage_from_json
from voice_app.service import conversations
from voice_app.service.logs import get_logger
from voice_app.states.call import CallState
from voice_app.states.conversation import ConversationState
from voice_app.states.recording import play_url

log = get_logger()
UNAVAILABLE = "The saved conversations cannot be reached just now: try again in a moment."


class HistoryState(rx.State):
    items: list[dict[str, str]] = []
    message: str = ""
    opened_id: str = ""
    opened_title: str = ""
    opened_when: str = ""
    opened_entries: list[dict[str, str]] = []
    opened_recording: str = ""  # where its kept recording plays from; "" for none
    confirming_delete: str = ""  # the id whose Delete was pressed once

    async def _owner(self) -> str:
        return (await self.get_state(ConversationState)).owner

    @rx.event
    async def refresh(self):
        try:
            self.items = await asyncio.to_thread(conversations.listed, await self._owner())
        except SQLAlchemyError as error:
            log.error("history not listed error=%s", type(error).__name__)
            self.message = UNAVAILABLE
            return
        self.message = "" if self.items else "No saved conversations yet: they appear here as you talk."

    async def _load(self, conversation_id: str) -> conversations.Saved | None:
        try:
            owner, known = await self._owner(), conversation_number(conversation_id) or 0
            saved = await asyncio.to_thread(conversations.load, owner, known)
        except SQLAlchemyError as error:
            log.error("conversation not opened error=%s", type(error).__name__)
            self.message = UNAVAILABLE
            return None
        if saved is None:
            self.message = "That conversation is gone: it was deleted, perhaps in another tab."
        return saved

    @rx.event
    async def open(self, conversation_id: str):
        saved = await self._load(conversation_id)
        if saved is None:
            return HistoryState.refresh
        row = saved.conversation
        self.opened_id, self.opened_title = str(row.id), row.title
        self.opened_when = row.started_at.strftime("%Y-%m-%d %H:%M UTC")
        self.opened_entries = [as_shown(entry) for entry in restored(saved.entries).entries]
        self.opened_recording = await play_url(self, row.owner, row.id)

    @rx.event
    def close(self):
        self.opened_id, self.opened_entries, self.opened_recording = "", [], ""

    @rx.event
    async def download(self, conversation_id: str, kind: str):
        saved = await self._load(conversation_id)
        if saved is None:
            return HistoryState.refresh
        row, entries = saved.conversation, restored(saved.entries).entries
        if kind == "json":
            about = {
                "title": row.title,
                "model": row.model,
                "voice": row.voice,
                "started_at": row.started_at.isoformat(),
                "updated_at": row.updated_at.isoformat(),
                "usage": usage_from_json(row.usage_json),
            }
            return rx.download(data=export.to_json(entries, about), filename=f"conversation-{row.id}.json")
        return rx.download(data=export.to_markdown(entries, row.title), filename=f"conversation-{row.id}.md")

    @rx.event
    async def new_conversation(self):
        await self._start_over()

    async def _start_over(self, conversation_id: str = "") -> bool:
        """A new, empty conversation on screen, or a saved one to continue; not during a call."""
        call = await self.get_state(CallState)
        if call.want_connection:
            call.error_message = "Disconnect first: the call belongs to the conversation on screen."
            return False
        started = await (await self.get_state(ConversationState))._start_over(conversation_id)
        if started and not conversation_id:
            call.error_message = call.notice = ""
        return started

    @rx.event
    async def continue_conversation(self, conversation_id: str):
        conversation = await self.get_state(ConversationState)
        if await self._start_over(conversation_id):
            self.opened_id, self.opened_entries = "", []
        elif not conversation.conversation_id:
            self.message = "That conversation is gone: it was deleted, perhaps in another tab."

    @rx.event
    async def delete(self, conversation_id: str):
        if conversation_number(conversation_id) is None:
            return  # the page names conversations by their id only
        if self.confirming_delete != conversation_id:
            self.confirming_delete = conversation_id  # the first press asks; the second deletes
            return
        self.confirming_delete = ""
        voice = await self.get_state(ConversationState)
        if conversation_id == voice.conversation_id and not await self._start_over():
            self.message = "This conversation is in a call: disconnect before deleting it."
            return
        try:
            number = conversation_number(conversation_id)
            if number:  # its recording is kept with it, and goes with it
                await asyncio.to_thread(conversations.delete, voice.owner, number)
        except SQLAlchemyError as error:
            log.error("conversation not deleted error=%s", type(error).__name__)
            self.message = UNAVAILABLE
            return
        if self.opened_id == conversation_id:
            self.opened_id, self.opened_entries, self.opened_recording = "", [], ""
        return HistoryState.refresh
