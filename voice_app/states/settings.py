"""SettingsState: what the user chose (kept in the browser), checked; states/settings_form.py applies
it to a call under way."""

import dataclasses

import reflex as rx

from voice_app.realtime import bounds, catalog
from voice_app.realtime.settings import ENGINES, SessionSettings, SettingsError
from voice_app.realtime.settings_store import (
    SWITCHES,
    lowered_note,
    saved_settings,
    settings_from_form,
    settings_from_json,
    settings_to_json,
)
from voice_app.service import backend

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

    def _loaded(self) -> str:
        """A page opens with its sections folded; a saved model that is retiring becomes its
        successor from now on: what the user is told of it, or ""."""
        self.settings_open = False
        settings, moved = saved_settings(self.settings_json)
        if moved:
            self.settings_json = settings_to_json(settings)
        return " ".join(moved)

    @rx.event
    def toggle_settings(self):
        self.settings_open, self.engine_picked = not self.settings_open, ""  # the form opens with the saved values

    @rx.event
    def pick_engine(self, engine: str):
        self.engine_picked = engine if engine in ENGINES else ""

    def _chosen(self, form_data) -> tuple[SessionSettings, SessionSettings, list[str]] | None:
        """The form's settings, checked and kept (with what they were, and the notes to say of
        them); None if refused (the message says why)."""
        current = settings_from_json(self.settings_json)
        form_data = {
            **dict.fromkeys(SWITCHES, "off"),
            **(form_data if isinstance(form_data, dict) else {}),
        }  # an unticked box sends nothing
        form_data["mcp_servers"] = [s.label for s in backend.MCP_SERVERS if form_data.get(MCP_BOX + s.label) in ("on", True)]
        try:
            chosen = settings_from_form(form_data, current)
        except SettingsError as error:
            self.settings_message = str(error)
            return None
        self.settings_json, self.engine_picked = settings_to_json(chosen), ""
        return current, chosen, [note for note in (lowered_note(current, chosen), chosen.not_taken) if note]  # said, not dropped

    @rx.event
    def found_microphones(self, devices: list[dict]):
        self.microphones = bounds.microphones(devices)

    def _microphone_chosen(self, device_id):
        self.microphone_id = bounds.text(device_id, bounds.MAX_LABEL_CHARS) if isinstance(device_id, str) else ""
