import reflex as rx

from voice_app.components.history import new_conversation_button
from voice_app.components.realtime_session import realtime_session
from voice_app.state import VoiceState


def connect_form() -> rx.Component:
    # The access code travels with the click that uses it: one event, no race with typing.
    return rx.form(
        rx.hstack(
            rx.cond(
                VoiceState.needs_access_code,
                rx.input(type="password", name="access_code", placeholder="Access code", aria_label="Access code",
                         size="3", width="10rem", data_testid="access-code"),
            ),
            rx.button(rx.icon("phone"), "Connect", type="submit", size="3", data_testid="connect-button",
                      data_starts_call="true",  # the page starts the microphone at the click (see the JS)
                      disabled=~VoiceState.ready),
            spacing="3",
        ),
        on_submit=VoiceState.connect,
        reset_on_submit=False,
    )


def call_button() -> rx.Component:
    return rx.cond(
        VoiceState.want_connection,
        rx.button(rx.icon("phone_off"), "Disconnect", on_click=VoiceState.disconnect, color_scheme="red",
                  size="3", data_testid="disconnect-button"),
        connect_form(),
    )


def mute_button() -> rx.Component:
    return rx.button(
        rx.cond(VoiceState.muted, rx.icon("mic_off"), rx.icon("mic")),
        rx.cond(VoiceState.muted, "Muted", "Mute"),
        on_click=VoiceState.toggle_mute,
        variant=rx.cond(VoiceState.muted, "solid", "soft"),
        color_scheme=rx.cond(VoiceState.muted, "red", "gray"),
        size="3",
        aria_pressed=VoiceState.muted,
        title="Mute the microphone (M)",
        data_testid="mute-button",
    )


def interrupt_button() -> rx.Component:
    return rx.button(
        rx.icon("square"), "Interrupt",
        on_click=VoiceState.interrupt,
        disabled=~VoiceState.answering,
        variant="soft",
        color_scheme="orange",
        size="3",
        title="Stop the model's answer",
        data_testid="interrupt-button",
    )


def push_to_talk_button() -> rx.Component:
    return rx.cond(
        VoiceState.push_to_talk,
        rx.button(
            rx.icon("radio"),
            rx.cond(VoiceState.talking, "Release to send", "Hold to talk"),
            on_mouse_down=VoiceState.start_talking,
            on_mouse_up=VoiceState.stop_talking,
            on_mouse_leave=VoiceState.stop_talking,
            disabled=VoiceState.status != "connected",
            variant=rx.cond(VoiceState.talking, "solid", "outline"),
            size="3",
            title="Hold to talk (or hold Space)",
            data_testid="push-to-talk-button",
        ),
    )


def session_clock() -> rx.Component:
    return rx.cond(
        VoiceState.connected_at != "",
        rx.hstack(
            rx.icon("timer", size=16),
            rx.moment(date=VoiceState.connected_at, duration_from_now=True, format="mm:ss", interval=1000),
            align="center",
            spacing="1",
            color="var(--gray-11)",
            data_testid="session-clock",
        ),
    )


def call_bar() -> rx.Component:
    return rx.vstack(
        rx.hstack(call_button(), mute_button(), interrupt_button(), push_to_talk_button(), new_conversation_button(), session_clock(),
                  spacing="3", wrap="wrap", align="center"),
        realtime_session(
            # Not before the page's state is whole: a reload mid-call brings the old call's
            # want_connection and secret back until page_loaded ends it; no call may start on them.
            want_connection=VoiceState.want_connection & rx.State.is_hydrated,
            client_secret=VoiceState.client_secret,
            calls_url=VoiceState.calls_url,
            session_update=VoiceState.session_update,
            outgoing=VoiceState.outgoing,
            muted=VoiceState.muted,
            device_id=VoiceState.microphone_id,
            log_open=VoiceState.log_open,
            max_call_seconds=VoiceState.max_call_seconds,
            on_events=VoiceState.receive_events,
            on_status=VoiceState.connection_status,
            on_key=VoiceState.shortcut,
            on_log=VoiceState.logged,
            on_devices=VoiceState.found_microphones,
        ),
        spacing="3",
        width="100%",
    )
