"""The call's recording on the page: a badge while it runs, the download and Keep after it, and
History's player."""

import reflex as rx

from voice_app.states.history import HistoryState
from voice_app.states.recording import RecordingState


def recording_indicator() -> rx.Component:
    return rx.cond(
        RecordingState.recording,
        rx.badge(
            rx.icon("circle", size=12, fill="currentColor"),
            "Recording",
            color_scheme="red",
            variant="soft",
            high_contrast=True,
            size="2",
            role="status",
            data_testid="recording-indicator",
        ),
    )


def recording_download() -> rx.Component:
    """Next to the transcript's export: the recording (an <a download> of the page's own Blob),
    and Keep, which sends it to the server to stay with the saved conversation."""
    keepable = (RecordingState.recorded_for != "") & ~RecordingState.kept & (RecordingState.keep_target == "")
    return rx.hstack(
        rx.cond(
            RecordingState.recording_url != "",
            rx.hstack(
                rx.button(
                    rx.el.a(
                        rx.icon("audio_lines"),
                        "Recording",
                        href=RecordingState.recording_url,
                        download="call-recording." + RecordingState.extension,
                        data_testid="recording-download",
                        # The browser's own link: the router would take blob: for a page of this app.
                        custom_attrs={"reloadDocument": True},
                    ),
                    as_child=True,
                    variant="soft",
                ),
                rx.cond(
                    keepable,
                    rx.button(
                        rx.icon("archive"),
                        "Keep with the conversation",
                        on_click=RecordingState.keep,
                        variant="soft",
                        color_scheme="gray",
                        data_testid="recording-keep",
                    ),
                ),
                spacing="2",
            ),
        ),
        rx.cond(RecordingState.message != "", rx.text(RecordingState.message, size="2", data_testid="recording-message")),
        align="center",
        spacing="2",
        wrap="wrap",
    )


def history_recording() -> rx.Component:
    return rx.cond(
        HistoryState.opened_recording != "",
        rx.el.audio(
            src=HistoryState.opened_recording,
            controls=True,
            preload="metadata",
            width="100%",
            aria_label="Recording of this conversation",
            data_testid="history-recording",
        ),
    )
