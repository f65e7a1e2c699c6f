import reflex as rx

from voice_app.components.mcp import mcp_servers_choice
from voice_app.realtime import catalog
from voice_app.realtime.settings import EAGERNESS, NOISE_REDUCTION, TURN_DETECTION_MODES
from voice_app.settings_state import SettingsState

_TURNS = {"server_vad": "Voice activity (server VAD)", "semantic_vad": "Semantic VAD", "push_to_talk": "Push to talk"}


# Placeholder text in Radix's gray-a10 is too faint to read (axe's contrast check): gray-11 is.
_READABLE_PLACEHOLDER = {"&[data-placeholder] .rt-SelectTriggerInner": {"color": "var(--gray-11)"}}


def _control_id(name: str) -> str:
    return f"setting-{name.replace('_', '-')}"


def _field(label: str, control: rx.Component, hint: str = "", name: str = "") -> rx.Component:
    """A labelled setting; with `name`, the label names the control with that id (see _control_id)."""
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=_control_id(name)) if name
        else rx.text(label, size="2", weight="medium"),
        control,
        rx.cond(hint != "", rx.text(hint, size="1", color_scheme="gray")),
        spacing="1",
        width="100%",
    )


def _choice(name: str, options, labels: dict | None = None) -> rx.Component:
    labels = labels or {}
    return rx.select.root(
        rx.select.trigger(width="100%", id=_control_id(name)),
        rx.select.content(*(rx.select.item(labels.get(o, o), value=o) for o in options)),
        name=name,
        default_value=SettingsState.settings[name].to(str),
    )


def _number(name: str, step: str) -> rx.Component:
    return rx.input(name=name, id=_control_id(name), type="number", step=step, default_value=SettingsState.settings[name].to(str),
                    width="100%")


def microphone_choice() -> rx.Component:
    return _field(
        "Microphone",
        rx.cond(
            SettingsState.microphones.length() > 0,
            rx.select.root(
                rx.select.trigger(placeholder="Browser default", width="100%", id=_control_id("microphone"),
                                  style=_READABLE_PLACEHOLDER),
                rx.select.content(rx.foreach(SettingsState.microphones, lambda m: rx.select.item(m["label"], value=m["id"]))),
                value=SettingsState.microphone_id,
                on_change=SettingsState.choose_microphone,
            ),
            rx.text("The list appears once the browser has allowed the microphone.", size="1", color_scheme="gray"),
        ),
        name="microphone",
    )


def settings_panel() -> rx.Component:
    grid = rx.grid(
        _field("Model", _choice("model", catalog.MODELS), "Applies on the next connect.", name="model"),
        _field("Voice", _choice("voice", catalog.VOICES), "Fixed once the model has spoken in a call.", name="voice"),
        _field("Turn detection", _choice("turn_detection", TURN_DETECTION_MODES, _TURNS), name="turn_detection"),
        _field("Transcription", _choice("transcription_model", catalog.TRANSCRIPTION_MODELS), name="transcription_model"),
        _field("VAD threshold (0–1)", _number("vad_threshold", "0.05"), "Server VAD: higher needs louder speech.",
               name="vad_threshold"),
        _field("Silence to end a turn (ms)", _number("silence_ms", "50"), name="silence_ms"),
        _field("Audio kept before speech (ms)", _number("prefix_padding_ms", "50"), name="prefix_padding_ms"),
        _field("Eagerness", _choice("eagerness", EAGERNESS), "Semantic VAD: how soon it answers.", name="eagerness"),
        _field("Noise reduction", _choice("noise_reduction", NOISE_REDUCTION), name="noise_reduction"),
        _field("Speaking speed (0.25–1.5)", _number("speed", "0.05"), name="speed"),
        _field("Tools", rx.checkbox("Example tools (time, calculator, note pad)", name="example_tools",
                                    default_checked=SettingsState.settings["example_tools"].to(bool)),
               "Applied live; see the README to add your own."),
        mcp_servers_choice(),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="3",
        width="100%",
    )
    form = rx.form(
        rx.vstack(
            grid,
            _field("Instructions", rx.text_area(name="instructions", id=_control_id("instructions"),
                                                default_value=SettingsState.settings["instructions"].to(str), rows="3",
                                                width="100%"), name="instructions"),
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
