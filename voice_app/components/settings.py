import reflex as rx

from voice_app.realtime import catalog
from voice_app.realtime.settings import EAGERNESS, NOISE_REDUCTION, TURN_DETECTION_MODES
from voice_app.settings_state import SettingsState

_TURNS = {"server_vad": "Voice activity (server VAD)", "semantic_vad": "Semantic VAD", "push_to_talk": "Push to talk"}


def _field(label: str, control: rx.Component, hint: str = "") -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        control,
        rx.cond(hint != "", rx.text(hint, size="1", color_scheme="gray")),
        spacing="1",
        width="100%",
    )


def _choice(name: str, options, labels: dict | None = None) -> rx.Component:
    labels = labels or {}
    return rx.select.root(
        rx.select.trigger(width="100%", aria_label=name.replace("_", " ")),
        rx.select.content(*(rx.select.item(labels.get(o, o), value=o) for o in options)),
        name=name,
        default_value=SettingsState.settings[name].to(str),
    )


def _number(name: str, step: str) -> rx.Component:
    return rx.input(name=name, type="number", step=step, default_value=SettingsState.settings[name].to(str), width="100%")


def microphone_choice() -> rx.Component:
    return _field(
        "Microphone",
        rx.cond(
            SettingsState.microphones.length() > 0,
            rx.select.root(
                rx.select.trigger(placeholder="Browser default", width="100%", aria_label="microphone"),
                rx.select.content(rx.foreach(SettingsState.microphones, lambda m: rx.select.item(m["label"], value=m["id"]))),
                value=SettingsState.microphone_id,
                on_change=SettingsState.choose_microphone,
            ),
            rx.text("The list appears once the browser has allowed the microphone.", size="1", color_scheme="gray"),
        ),
    )


def settings_panel() -> rx.Component:
    grid = rx.grid(
        _field("Model", _choice("model", catalog.MODELS), "Applies on the next connect."),
        _field("Voice", _choice("voice", catalog.VOICES), "Fixed once the model has spoken in a call."),
        _field("Turn detection", _choice("turn_detection", TURN_DETECTION_MODES, _TURNS)),
        _field("Transcription", _choice("transcription_model", catalog.TRANSCRIPTION_MODELS)),
        _field("VAD threshold (0–1)", _number("vad_threshold", "0.05"), "Server VAD: higher needs louder speech."),
        _field("Silence to end a turn (ms)", _number("silence_ms", "50")),
        _field("Audio kept before speech (ms)", _number("prefix_padding_ms", "50")),
        _field("Eagerness", _choice("eagerness", EAGERNESS), "Semantic VAD: how soon it answers."),
        _field("Noise reduction", _choice("noise_reduction", NOISE_REDUCTION)),
        _field("Speaking speed (0.25–1.5)", _number("speed", "0.05")),
        _field("Tools", rx.checkbox("Example tools (time, calculator, note pad)", name="example_tools",
                                    default_checked=SettingsState.settings["example_tools"].to(bool)),
               "Applied live; see the README to add your own."),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="3",
        width="100%",
    )
    form = rx.form(
        rx.vstack(
            grid,
            _field("Instructions", rx.text_area(name="instructions", default_value=SettingsState.settings["instructions"].to(str),
                                                rows="3", width="100%")),
            rx.hstack(
                rx.button("Save settings", type="submit", data_testid="settings-save"),
                rx.text(SettingsState.settings_message, size="2", data_testid="settings-message"),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
        key=SettingsState.settings_json,  # re-render with saved values once the browser's storage is read
        on_submit=SettingsState.apply_settings,
        reset_on_submit=False,
        width="100%",
    )
    # The form exists only while it is open: it is the page's heaviest part, and every change of
    # the page's state (each streamed word) would otherwise re-render it unseen.
    return rx.el.details(
        rx.el.summary(rx.text("Settings", weight="bold", as_="span"), cursor="pointer", data_testid="settings-toggle",
                      on_click=SettingsState.toggle_settings.prevent_default),
        rx.cond(SettingsState.settings_open, rx.vstack(microphone_choice(), form, spacing="3", padding_top="0.75rem")),
        open=SettingsState.settings_open,
        width="100%",
    )
