"""SettingsState: what the user chose (kept in the browser), checked, and applied to a live call."""

import dataclasses

import reflex as rx

from voice_app.service import backend
from voice_app.states.call import CONNECTED, CallState
from voice_app.realtime import bounds, catalog
from voice_app.realtime.settings import ENGINES, SettingsError
from voice_app.realtime.settings_store import (SWITCHES, lowered_note, saved_settings, settings_from_form, settings_from_json,
                                               settings_to_json)


MCP_BOX = "mcp_server_"  # the settings form's box for each MCP server: this, then its label


class SettingsState(rx.State):
    settings_json: str = rx.LocalStorage("", name="voice_settings")
    microphone_id: str = rx.LocalStorage("", name="voice_microphone")
    microphones: list[dict[str, str]] = []
    settings_message: str = ""
    settings_open: bool = False
    engine_picked: str = ""  # the voice API picked in the open form, not yet saved ("": the saved one)

    @rx.var
    def settings(self) -> dict:
        return dataclasses.asdict(settings_from_json(self.settings_json))

    @rx.var
    def push_to_talk(self) -> bool:
        return self.settings["turn_detection"] == "push_to_talk" and self.settings["engine"] != "live"

    @rx.var
    def reasons(self) -> bool:
        """The chosen model takes a reasoning effort."""
        return self.settings["model"] in catalog.REASONING_MODELS

    @rx.var
    def live(self) -> bool:
        """GPT-Live is chosen: it listens all the time, with no typing, images or push-to-talk."""
        return self.settings["engine"] == "live"

    @rx.var
    def form_live(self) -> bool:
        """The form has GPT-Live picked: it shows GPT-Live's fields, and folds the Realtime API's away."""
        return (self.engine_picked or self.settings["engine"]) == "live"

    @rx.var
    def text_answers(self) -> bool:
        return self.settings["answer_mode"] == "text"

    @rx.event
    async def page_loaded(self):
        self.settings_open = False  # a page opens with its sections folded
        settings, moved = saved_settings(self.settings_json)
        if moved:  # a saved model is retiring: its successor from now on, and the user is told
            self.settings_json = settings_to_json(settings)
            (await self.get_state(CallState)).notice = " ".join(moved)

    @rx.event
    def toggle_settings(self):
        self.settings_open, self.engine_picked = not self.settings_open, ""  # the form opens with the saved values

    @rx.event
    def pick_engine(self, engine: str):
        self.engine_picked = engine if engine in ENGINES else ""

    @rx.event
    async def apply_settings(self, form_data: dict):
        current = settings_from_json(self.settings_json)
        form_data = {**dict.fromkeys(SWITCHES, "off"), **(form_data if isinstance(form_data, dict) else {})}  # an unticked box sends nothing
        form_data["mcp_servers"] = [s.label for s in backend.MCP_SERVERS if form_data.get(MCP_BOX + s.label) in ("on", True)]
        try:
            chosen = settings_from_form(form_data, current)
        except SettingsError as error:
            self.settings_message = str(error)
            return
        self.settings_json, self.engine_picked = settings_to_json(chosen), ""
        notes = [note for note in (lowered_note(current, chosen), chosen.not_taken) if note]  # said, not dropped
        call = await self.get_state(CallState)
        if call.status != CONNECTED:
            self.settings_message = " ".join(["Saved. They apply when you connect.", *notes])
            return
        if call.live:
            self.settings_message = " ".join(["Saved. A GPT-Live session keeps the settings it started with: they apply when you connect again.", *notes])
            return
        later = call._apply_settings(current, chosen, backend.page_tools(chosen))
        self.settings_message = " ".join(["Applied to this call." + (f" From the next connect: the {' and '.join(later)}." if later else ""), *notes])

    @rx.event
    def found_microphones(self, devices: list[dict]):
        self.microphones = bounds.microphones(devices)

    @rx.event
    async def choose_microphone(self, device_id: str):
        self.microphone_id = bounds.text(device_id, bounds.MAX_LABEL_CHARS) if isinstance(device_id, str) else ""
        call = await self.get_state(CallState)
        if call.want_connection:
            call.notice = "The new microphone is used from the next connect."
