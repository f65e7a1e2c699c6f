import reflex as rx

from voice_app.realtime.call_phase import Status
from voice_app.states.call import CallState
from voice_app.states.conversation import ConversationState

_COLORS = {
    Status.IDLE.value: "gray",
    Status.CONNECTING.value: "amber",
    Status.CONNECTED.value: "green",
    Status.ERROR.value: "red",
}


def status_badge() -> rx.Component:
    return rx.hstack(
        rx.badge(
            CallState.status,
            color_scheme=rx.match(CallState.status, *_COLORS.items(), "gray"),
            size="2",
            variant="soft",
            high_contrast=True,  # soft green text on green is below 4.5:1 at this size
            data_testid="status",
        ),
        rx.text(CallState.status_detail, size="2", color_scheme="gray", data_testid="status-detail"),
        align="center",
        spacing="3",
        wrap="wrap",
        role="status",
    )


def error_message() -> rx.Component:
    return rx.cond(
        CallState.error_message != "",
        rx.callout(
            CallState.error_message,
            icon="triangle_alert",
            color_scheme="red",
            role="alert",
            width="100%",
            data_testid="error-message",
        ),
    )


_NO_KEY = "No OPENAI_API_KEY on the server: you are talking to the built-in local simulator. "
_SET_KEY = "Set OPENAI_API_KEY to talk to a real model."
SIMULATOR_HEARS = (
    _NO_KEY + "It hears your words with a small speech model and says them back, or calls a tool you ask for "
    '("What time is it in Paris?"): a test tool, not a model. ' + _SET_KEY
)
SIMULATOR_ECHOES = (
    _NO_KEY + "Its ear is off (VOICE_SIMULATOR_SPEECH=0, or its speech packages are missing): it plays your own "
    "words back and labels your speech. " + _SET_KEY
)


def simulator_notice() -> rx.Component:
    return rx.cond(
        CallState.simulated,
        rx.callout(
            rx.cond(CallState.simulator_hears, SIMULATOR_HEARS, SIMULATOR_ECHOES),
            icon="info",
            size="1",
            variant="surface",
            width="100%",
            data_testid="simulator-notice",
        ),
    )


def notice() -> rx.Component:
    return rx.cond(
        CallState.notice != "",
        rx.callout(CallState.notice, icon="bell", color_scheme="amber", size="1", width="100%", data_testid="notice"),
    )


def server_problem() -> rx.Component:
    return rx.cond(
        CallState.server_problem != "",
        rx.callout(
            CallState.server_problem,
            icon="shield-alert",
            color_scheme="amber",
            size="1",
            width="100%",
            data_testid="server-problem",
        ),
    )


def save_problem() -> rx.Component:
    return rx.cond(
        ConversationState.save_problem != "",
        rx.callout(
            ConversationState.save_problem,
            icon="database",
            color_scheme="amber",
            size="1",
            width="100%",
            data_testid="save-problem",
        ),
    )
