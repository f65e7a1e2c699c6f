"""RecordingState: the call's recording (opt-in, made in the browser): shown while it runs,
offered for download after the call, and kept with the conversation when the user asks."""

import asyncio
import time

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from voice_app.realtime import bounds
from voice_app.realtime.history import conversation_number
from voice_app.realtime.recording import KEPT, PLAY, UPLOAD, make_pass, offered
from voice_app.service import backend, conversations, recordings
from voice_app.service.recording_routes import PREFIX
from voice_app.states.conversation import ConversationState


class RecordingState(rx.State):
    recording: bool = False
    recording_url: str = ""  # the last call's recording: an object URL, valid in this page only
    extension: str = "webm"
    message: str = ""
    recorded_for: str = ""  # the saved conversation the recording belongs to; "" for none
    keep_target: str = ""  # where the page sends it, once the user asks to keep it
    kept: bool = False

    @rx.event
    def page_loaded(self):
        """A reload ends the page's call and its Blob with it: nothing is left to show or keep."""
        self.recording, self.recording_url, self.keep_target, self.message = False, "", "", ""

    @rx.event
    async def recording_changed(self, report: dict):
        if not isinstance(report, dict):  # whatever sent it, it was not our page
            return
        if report.get("state") in ("kept", "not_kept"):
            self.kept = report["state"] == "kept"
            self.keep_target = self.keep_target if self.kept else ""  # not kept: Keep is offered again
            self.message = KEPT if self.kept else bounds.text(str(report.get("message") or ""), bounds.MAX_MESSAGE_CHARS)
            return
        if (now := offered(report)) is None:
            return
        self.recording, self.message, self.keep_target, self.kept = now.recording, now.message, "", False
        if not now.recording:
            self.recording_url, self.extension = now.url, now.extension or "webm"
            self.recorded_for = (await self.get_state(ConversationState)).conversation_id

    @rx.event
    async def keep(self):
        conversation_id = conversation_number(self.recorded_for)
        if not self.recording_url or conversation_id is None:
            return
        owner = (await self.get_state(ConversationState)).owner
        try:
            if not await asyncio.to_thread(conversations.owns, owner, conversation_id):
                return  # only the owner's own saved conversation gets a pass
        except SQLAlchemyError:
            self.message = "The recording cannot be kept just now: the conversations cannot be read. Try again shortly."
            return
        token = make_pass(await asyncio.to_thread(recordings.secret), UPLOAD, owner, conversation_id, time.time())
        self.keep_target = f"{_backend(self)}{PREFIX}/upload?pass={token}"
        self.message = "Keeping the recording with the conversation…"


def _backend(state: rx.State) -> str:
    return backend.backend_url(state.router.headers.origin, state.router.headers.host)


async def play_url(state: rx.State, owner: str, conversation_id: int) -> str:
    """Where History's player fetches this conversation's recording; "" when none is kept."""
    if not await asyncio.to_thread(recordings.find, owner, conversation_id):
        return ""
    token = make_pass(await asyncio.to_thread(recordings.secret), PLAY, owner, conversation_id, time.time())
    return f"{_backend(state)}{PREFIX}/play?pass={token}"
