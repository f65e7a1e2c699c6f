import reflex as rx

from voice_app.components.history import new_conversation_button
from voice_app.components.realtime_session import SessionClock, realtime_session
from voice_app.components.recording import recording_indicator
from voice_app.realtime.call_phase import Status
from voice_app.states.call import CallState
from voice_app.states.channel import ChannelState
from voice_app.states.connect import ConnectState
from voice_app.states.conversation import ConversationState
from voice_app.states.insight import InsightState
from voice_app.states.live import LiveState
from voice_app.states.recording import RecordingState
from voice_app.states.server_call import ServerCallState
from voice_app.states.settings import SettingsState


def connect_form() -> rx.Component:
    # The access code travels with the click that uses it: one event, no race with typing.
    return rx.form(
        rx.hstack(
            rx.cond(
                CallState.needs_access_code,
                rx.input(
                    type="password",
                    name="access_code",
                    placeholder="Access code",
                    aria_label="Access code",
                    size="3",
                    width="10rem",
                    data_testid="access-code",
                ),
            ),
            rx.button(
                rx.icon("phone"),
                "Connect",
                type="submit",
                size="3",
                data_testid="connect-button",
                data_starts_call="true",  # the page starts the microphone at the click (see the JS)
                disabled=~CallState.ready,
            ),
            spacing="3",
        ),
        on_submit=ConnectState.connect,
        reset_on_submit=False,
    )


def call_button() -> rx.Component:
    return rx.cond(
        CallState.want_connection,
        # High contrast: white on Radix's red 9 (and orange text on orange 3) is below 4.5:1.
        rx.button(
            rx.icon("phone_off"),
            "Disconnect",
            on_click=CallState.disconnect,
            color_scheme="red",
            high_contrast=True,
            size="3",
            data_testid="disconnect-button",
        ),
        connect_form(),
    )


def mute_button() -> rx.Component:
    return rx.button(
        rx.cond(CallState.muted, rx.icon("mic_off"), rx.icon("mic")),
        rx.cond(CallState.muted, "Muted", "Mute"),
        on_click=CallState.toggle_mute,
        variant=rx.cond(CallState.muted, "solid", "soft"),
        color_scheme=rx.cond(CallState.muted, "red", "gray"),
        high_contrast=True,
        size="3",
        aria_pressed=CallState.muted,
        title="Mute the microphone (M)",
        data_testid="mute-button",
    )


def interrupt_button() -> rx.Component:
    return rx.button(
        rx.icon("square"),
        "Interrupt",
        on_click=CallState.interrupt,
        disabled=~CallState.answering,
        variant="soft",
        color_scheme="orange",
        high_contrast=True,
        size="3",
        title="Stop the model's answer",
        data_testid="interrupt-button",
    )


def push_to_talk_button() -> rx.Component:
    return rx.cond(
        SettingsState.push_to_talk,
        rx.button(
            rx.icon("radio"),
            rx.cond(CallState.talking, "Release to send", "Hold to talk"),
            on_mouse_down=CallState.start_talking,
            on_mouse_up=CallState.stop_talking,
            on_mouse_leave=CallState.stop_talking,
            disabled=CallState.status != Status.CONNECTED.value,
            variant=rx.cond(CallState.talking, "solid", "outline"),
            size="3",
            title="Hold to talk (or hold Space)",
            data_testid="push-to-talk-button",
        ),
    )


def session_clock() -> rx.Component:
    return rx.cond(
        CallState.connected_at != "",
        rx.hstack(
            rx.icon("timer", size=16),
            SessionClock.create(since=CallState.connected_at),
            align="center",
            spacing="1",
            color="var(--gray-11)",
            data_testid="session-clock",
        ),
    )


def call_bar() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            call_button(),
            mute_button(),
            rx.cond(SettingsState.live, rx.fragment(), interrupt_button()),
            push_to_talk_button(),
            new_conversation_button(),
            session_clock(),
            recording_indicator(),
            spacing="3",
            wrap="wrap",
            align="center",
        ),
        realtime_session(
            # A reload mid-call brings the old call's want_connection and secret back: the page
            # starts no call on them, and reports them dropped once its state is whole.
            want_connection=CallState.want_connection,
            hydrated=rx.State.is_hydrated,
            client_secret=CallState.client_secret,
            calls_url=CallState.calls_url,
            live_ready=CallState.live_ready,
            live_answer=CallState.live_answer,
            opening_events=CallState.opening_events,
            outgoing=CallState.outgoing,
            muted=CallState.muted,
            device_id=SettingsState.microphone_id,
            log_open=InsightState.log_open,
            max_call_seconds=CallState.max_call_seconds,
            handled_batch=ConversationState.handled_batch,
            record=SettingsState.settings["record_calls"].to(bool),
            keep_recording=RecordingState.keep_target,
            on_events=ChannelState.receive_events,
            on_status=[CallState.connection_status, ServerCallState.call_reported],
            on_key=CallState.shortcut,
            on_log=InsightState.logged,
            on_devices=SettingsState.found_microphones,
            on_intent=ConnectState.prepare,
            on_recording=RecordingState.recording_changed,
            on_offer=LiveState.offer,
        ),
        rx.cond(
            SettingsState.live,
            rx.text(
                "GPT-Live: just talk. It listens all the time and you can speak over it; "
                "typing, images and push-to-talk are the Realtime API's.",
                size="1",
                color_scheme="gray",
                data_testid="live-note",
            ),
        ),
        rx.cond(
            SettingsState.text_answers & ~SettingsState.live,
            rx.text(
                "Text-only answers: the model writes, nothing plays.", size="1", color_scheme="gray", data_testid="text-only-note"
            ),
        ),
        spacing="3",
        width="100%",
    )
