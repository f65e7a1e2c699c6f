import reflex as rx

from voice_app.components.advanced_settings import advanced_settings
from voice_app.components.mcp import mcp_servers_choice
from voice_app.components.setting_fields import READABLE_PLACEHOLDER, choice, control_id, field, number
from voice_app.live import catalog as live_catalog
from voice_app.realtime import catalog
from voice_app.realtime.settings import EAGERNESS, ENGINES, NOISE_REDUCTION, TURN_DETECTION_MODES
from voice_app.states.settings import SettingsState
from voice_app.states.settings_form import SettingsFormState

_NOISE = {"off": "Off", "near_field": "Near (headset, laptop)", "far_field": "Far (room, conference microphone)"}
_ENGINES = {"realtime": "Realtime API", "live": "GPT-Live"}
_TURNS = {"server_vad": "Voice activity (server VAD)", "semantic_vad": "Semantic VAD", "push_to_talk": "Push to talk"}


def microphone_choice() -> rx.Component:
    return field(
        "Microphone",
        rx.cond(
            SettingsState.microphones.length() > 0,
            rx.select.root(
                rx.select.trigger(
                    placeholder="Browser default", width="100%", id=control_id("microphone"), style=READABLE_PLACEHOLDER
                ),
                rx.select.content(rx.foreach(SettingsState.microphones, lambda m: rx.select.item(m["label"], value=m["id"]))),
                value=SettingsState.microphone_id,
                on_change=SettingsFormState.choose_microphone,
            ),
            rx.text("The list appears once the browser has allowed the microphone.", size="1", color_scheme="gray"),
        ),
        name="microphone",
    )


def settings_panel() -> rx.Component:
    grid = rx.grid(
        field(
            "Voice API",
            choice("engine", ENGINES, _ENGINES, on_change=SettingsState.pick_engine),
            "Per conversation, from the next connect; below, the settings it takes. See docs/using.md for which to pick.",
            name="engine",
        ),
        field("GPT-Live model", choice("live_model", live_catalog.MODELS), "Billed by the minute.", name="live_model"),
        field(
            "GPT-Live standby after (s)",
            number("live_standby_s", "5"),
            "Silence before it pauses, billed at the standby rate until you speak (gpt-live-1.1); 0 for never.",
            name="live_standby_s",
        ),
        field("Model (Realtime API)", choice("model", catalog.MODELS), "Applies on the next connect.", name="model"),
        field(
            "Voice",
            choice("voice", live_catalog.VOICES),
            f"Fixed once the model has spoken. The Realtime API has {', '.join(catalog.VOICES)}; GPT-Live all of them.",
            name="voice",
        ),
        field("Turn detection", choice("turn_detection", TURN_DETECTION_MODES, _TURNS), name="turn_detection"),
        field("Transcription", choice("transcription_model", catalog.TRANSCRIPTION_MODELS), name="transcription_model"),
        field(
            "VAD threshold ({:g}–{:g})".format(*catalog.VAD_THRESHOLD_RANGE),
            number("vad_threshold", "0.05"),
            "Server VAD: higher needs louder speech.",
            name="vad_threshold",
        ),
        field("Silence to end a turn (ms)", number("silence_ms", "50"), name="silence_ms"),
        field("Audio kept before speech (ms)", number("prefix_padding_ms", "50"), name="prefix_padding_ms"),
        field("Eagerness", choice("eagerness", EAGERNESS), "Semantic VAD: how soon it answers.", name="eagerness"),
        field("Noise reduction", choice("noise_reduction", NOISE_REDUCTION, _NOISE), name="noise_reduction"),
        field("Speaking speed ({:g}–{:g})".format(*catalog.SPEED_RANGE), number("speed", "0.05"), name="speed"),
        field(
            "Tools",
            rx.checkbox(
                "Example tools (time, calculator, note pad)",
                name="example_tools",
                default_checked=SettingsState.settings["example_tools"].to(bool),
            ),
            "Applied live; see docs/tools-and-mcp.md to add your own.",
        ),
        field(
            "Recording",
            rx.checkbox(
                "Record calls (both voices)",
                name="record_calls",
                default_checked=SettingsState.settings["record_calls"].to(bool),
                data_testid="setting-record-calls",
            ),
            "Off unless ticked. Recorded in this browser, offered for download after the call; sent to the "
            "server only if you keep it with the conversation.",
        ),
        mcp_servers_choice(),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="3",
        width="100%",
    )
    form = rx.form(
        rx.vstack(
            grid,
            field(
                "Instructions",
                rx.text_area(
                    name="instructions",
                    id=control_id("instructions"),
                    default_value=SettingsState.settings["instructions"].to(str),
                    rows="3",
                    width="100%",
                ),
                name="instructions",
            ),
            advanced_settings(),
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
        on_submit=SettingsFormState.apply_settings,
        reset_on_submit=False,
        width="100%",
    )
    # The form exists only while it is open: it is the page's heaviest part, and every change of
    # the page's state (each streamed word) would otherwise re-render it unseen.
    return rx.el.details(
        rx.el.summary(
            rx.text("Settings", weight="bold", as_="span"),
            cursor="pointer",
            data_testid="settings-toggle",
            on_click=SettingsState.toggle_settings.prevent_default,
        ),
        rx.cond(SettingsState.settings_open, rx.vstack(microphone_choice(), form, spacing="3", padding_top="0.75rem")),
        open=SettingsState.settings_open,
        width="100%",
    )
