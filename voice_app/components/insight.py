import reflex as rx

from voice_app.components.common import CODE_FONT, disclosure
from voice_app.components.recording import recording_download
from voice_app.realtime.applies import engine_of
from voice_app.states.conversation import ConversationState
from voice_app.states.insight import InsightState
from voice_app.states.settings import SettingsState

_FIGURES = [
    ("Connect time", "connect", "connect-time"),
    ("Last answer latency", "last_latency", "last-latency"),
    ("Median latency", "median_latency", "median-latency"),
    ("Input tokens", "input_tokens", "input-tokens"),
    ("…of them cached", "cached_tokens", "cached-tokens"),
    ("…of them images", "image_tokens", "image-tokens"),
    ("Output tokens", "output_tokens", "output-tokens"),
    ("GPT-Live minutes", "live_minutes", "live-minutes"),
    ("Cost (estimate)", "cost", "cost"),
]


# The figures are those of the call they count (or, before any, of the voice API chosen for the next).
_LIVE = rx.cond(
    InsightState.insight["engine"].to(str) != "", InsightState.insight["engine"].to(str) == "live", SettingsState.live
)


def _figure(label: str, key: str, test_id: str) -> rx.Component:
    figure = rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.text(InsightState.insight[key].to(str), size="3", weight="bold", data_testid=test_id),
        spacing="0",
    )
    engine = engine_of(key, figure=True)  # one API's only: shown while the figures are that API's
    return rx.cond(_LIVE == (engine == "live"), figure) if engine else figure


def figures() -> rx.Component:
    return rx.grid(
        *(_figure(*figure) for figure in _FIGURES),
        columns=rx.breakpoints(initial="2", sm="4"),
        spacing="3",
        width="100%",
        data_testid="insight",
    )


def export_buttons() -> rx.Component:
    empty = ConversationState.transcript.length() == 0
    return rx.hstack(
        rx.button(
            rx.icon("file_text"),
            "Markdown",
            on_click=ConversationState.export_markdown,
            variant="soft",
            disabled=empty,
            data_testid="export-markdown",
        ),
        rx.button(
            rx.icon("braces"),
            "JSON",
            on_click=ConversationState.export_json,
            variant="soft",
            disabled=empty,
            data_testid="export-json",
        ),
        spacing="2",
    )


def _log_entry(entry: rx.Var) -> rx.Component:
    arrow = rx.cond(entry["direction"] == "client", "→", "←")
    return rx.box(
        rx.text(
            arrow,
            " ",
            entry["type"],
            " ",
            rx.text.span(entry["ms"].to(str), " ms", color_scheme="gray"),
            size="1",
            font_family=CODE_FONT,
        ),
        rx.cond(
            InsightState.log_json,
            rx.el.pre(
                entry["json"],
                font_family=CODE_FONT,
                font_size="11px",
                white_space="pre-wrap",
                word_break="break-all",
                margin="0.25rem 0",
            ),
        ),
        border_bottom="1px solid var(--gray-a3)",
        padding_y="0.2rem",
        data_testid="log-entry",
        data_type=entry["type"],
    )


def event_log() -> rx.Component:
    return disclosure(
        "Event log",
        "log-toggle",
        InsightState.toggle_log,
        rx.hstack(
            rx.input(
                placeholder="Filter by type, e.g. response.done",
                value=InsightState.log_filter,
                on_change=InsightState.set_log_filter,
                flex="1",
                aria_label="Filter the event log",
                data_testid="log-filter",
            ),
            rx.checkbox("JSON", checked=InsightState.log_json, on_change=InsightState.set_log_json, data_testid="log-json"),
            width="100%",
            align="center",
        ),
        # Focusable, so that the keyboard can scroll it too.
        rx.box(
            rx.foreach(InsightState.shown_log, _log_entry),
            max_height="20rem",
            overflow_y="auto",
            width="100%",
            tab_index=0,
            role="region",
            aria_label="Logged events",
        ),
    )


def insight_panel() -> rx.Component:
    return rx.vstack(
        figures(),
        rx.hstack(
            rx.text("Export the transcript:", size="2"),
            export_buttons(),
            recording_download(),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        event_log(),
        spacing="3",
        width="100%",
    )
