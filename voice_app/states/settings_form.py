"""SettingsFormState: the settings form and the microphone choice, as the page sends them: kept by
the settings, and applied to a call under way (or said to apply from the next connect)."""

import reflex as rx

from voice_app.realtime.call_phase import Status
from voice_app.service import backend
from voice_app.states.call import CallState
from voice_app.states.settings import SettingsState


class SettingsFormState(rx.State):
    @rx.event
    async def page_loaded(self):
        if moved := (await self.get_state(SettingsState))._loaded():
            (await self.get_state(CallState)).notice = moved

    @rx.event
    async def apply_settings(self, form_data: dict):
        settings = await self.get_state(SettingsState)
        if (taken := settings._chosen(form_data)) is None:
            return
        current, chosen, notes = taken
        call = await self.get_state(CallState)
        if call.status != Status.CONNECTED:
            said = "Saved. They apply when you connect."
        elif call.live:
            said = "Saved. A GPT-Live session keeps the settings it started with: they apply when you connect again."
        else:
            later = call._apply_settings(current, chosen, backend.page_tools(chosen))
            said = "Applied to this call." + (f" From the next connect: the {' and '.join(later)}." if later else "")
        settings.settings_message = " ".join([said, *notes])

    @rx.event
    async def choose_microphone(self, device_id: str):
        (await self.get_state(SettingsState))._microphone_chosen(device_id)
        call = await self.get_state(CallState)
        if call.want_connection:
            call.notice = "The new microphone is used from the next connect."
