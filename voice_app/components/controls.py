import reflex as rx

from voice_app.components.realtime_session import realtime_session
from voice_app.state import VoiceState


def call_button() -> rx.Component:
    in_call = VoiceState.want_connection
    return rx.cond(
        in_call,
        rx.button(rx.icon("phone_off"), "Disconnect", on_click=VoiceState.disconnect, color_scheme="red",
                  size="3", data_testid="disconnect-button"),
        rx.button(rx.icon("phone"), "Connect", on_click=VoiceState.connect, size="3", data_testid="connect-button",
                  disabled=~VoiceState.ready),
    )


def mute_button() -> rx.Component:
    return rx.button(
        rx.cond(VoiceState.muted, rx.icon("mic_off"), rx.icon("mic")),
        rx.cond(VoiceState.muted, "Unmute", "Mute"),
        on_click=VoiceState.toggle_mute,
        variant="soft",
        size="3",
        aria_pressed=VoiceState.muted,
        data_testid="mute-button",
    )


def call_bar() -> rx.Component:
    return rx.vstack(
        rx.hstack(call_button(), mute_button(), spacing="3", wrap="wrap"),
        realtime_session(
            want_connection=VoiceState.want_connection,
            client_secret=VoiceState.client_secret,
            calls_url=VoiceState.calls_url,
            session_update=VoiceState.session_update,
            outgoing=VoiceState.outgoing,
            muted=VoiceState.muted,
            on_events=VoiceState.receive_events,
            on_status=VoiceState.connection_status,
        ),
        spacing="3",
        width="100%",
    )
