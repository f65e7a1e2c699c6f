import reflex as rx

from voice_app.components.common import FRAMED, disclosure, heard_words, role_background, unheard_words, who
from voice_app.components.recording import history_recording
from voice_app.states.call import CallState
from voice_app.states.conversation import ConversationState
from voice_app.states.history import HistoryState


def new_conversation_button() -> rx.Component:
    return rx.button(
        rx.icon("square_pen"),
        "New conversation",
        on_click=HistoryState.new_conversation,
        disabled=CallState.want_connection | (ConversationState.transcript.length() == 0),
        variant="soft",
        color_scheme="gray",
        size="3",
        title="Start with an empty transcript; this one stays in the history",
        data_testid="new-conversation",
    )


def _saved_entry(entry: rx.Var) -> rx.Component:
    return rx.box(
        who(entry),
        rx.text(heard_words(entry), unheard_words(entry), size="2", white_space="pre-wrap"),
        padding="0.4rem 0.7rem",
        border_radius="10px",
        background=role_background(entry),
        data_testid="saved-entry",
        data_role=entry["role"],
    )


def _opened() -> rx.Component:
    """One saved conversation, read-only."""
    return rx.cond(
        HistoryState.opened_id != "",
        rx.vstack(
            rx.hstack(
                rx.vstack(
                    rx.text(HistoryState.opened_title, weight="bold"),
                    rx.text(HistoryState.opened_when, size="1", color_scheme="gray"),
                    spacing="0",
                ),
                rx.spacer(),
                rx.button(
                    "Continue it",
                    on_click=HistoryState.continue_conversation(HistoryState.opened_id),
                    disabled=CallState.want_connection,
                    size="1",
                    variant="soft",
                    data_testid="history-continue",
                ),
                rx.button(
                    "Close",
                    on_click=HistoryState.close,
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    data_testid="history-close",
                ),
                width="100%",
                align="center",
            ),
            history_recording(),
            rx.vstack(
                rx.foreach(HistoryState.opened_entries, _saved_entry),
                spacing="2",
                max_height="20rem",
                overflow_y="auto",
                width="100%",
                tab_index=0,
                role="region",
                aria_label="Saved conversation",
            ),
            **FRAMED,
            data_testid="history-opened",
        ),
    )


def _row(item: rx.Var) -> rx.Component:
    confirming = HistoryState.confirming_delete == item["id"]
    return rx.hstack(
        rx.vstack(
            rx.text(item["title"], size="2", weight="medium"),
            rx.text(item["when"], " · ", item["entries"], " entries · ", item["model"], size="1", color_scheme="gray"),
            spacing="0",
            flex="1",
        ),
        rx.button("Open", on_click=HistoryState.open(item["id"]), size="1", variant="soft", data_testid="history-open"),
        rx.button(
            "Markdown",
            on_click=HistoryState.download(item["id"], "markdown"),
            size="1",
            variant="soft",
            color_scheme="gray",
            data_testid="history-download",
        ),
        rx.button(
            "JSON",
            on_click=HistoryState.download(item["id"], "json"),
            size="1",
            variant="soft",
            color_scheme="gray",
            data_testid="history-download-json",
        ),
        rx.button(
            rx.cond(confirming, "Really delete?", "Delete"),
            on_click=HistoryState.delete(item["id"]),
            size="1",
            variant=rx.cond(confirming, "solid", "soft"),
            color_scheme="red",
            high_contrast=True,
            data_testid="history-delete",
        ),
        width="100%",
        align="center",
        wrap="wrap",
        padding_y="0.3rem",
        border_bottom="1px solid var(--gray-a3)",
        data_testid="history-item",
        data_id=item["id"],
    )


def history_panel() -> rx.Component:
    return disclosure(
        "History",
        "history-toggle",
        HistoryState.refresh,
        rx.cond(
            HistoryState.message != "",
            rx.text(HistoryState.message, size="2", color_scheme="gray", data_testid="history-message"),
        ),
        _opened(),
        rx.vstack(rx.foreach(HistoryState.items, _row), spacing="0", width="100%", data_testid="history-list"),
    )
