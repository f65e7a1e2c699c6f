import reflex as rx

from voice_app.components.common import CODE_FONT, FRAMED, heard_words, role_background, unheard_words, who
from voice_app.realtime.call_phase import Status
from voice_app.states.call import CallState
from voice_app.states.conversation import ConversationState

_NOTES = {"interrupted": " (interrupted)", "failed": "(could not be transcribed)"}


def _note(text: str, test_id: str) -> rx.Component:
    """What became of an entry, in the page's own font (Radix's `em` sets a serif one of its own)."""
    return rx.text.span(text, color_scheme="gray", data_testid=test_id)


def _text(entry: rx.Var) -> rx.Component:
    streaming = ConversationState.live_text.contains(entry["id"])
    words = rx.cond(streaming, ConversationState.live_text[entry["id"]], heard_words(entry))
    waiting = (entry["status"] == "in_progress") & (words == "")
    return rx.text(
        rx.cond(waiting, "…", words),
        rx.cond(~streaming, unheard_words(entry)),
        rx.cond(entry["status"] == "interrupted", _note(_NOTES["interrupted"], "interrupted-note")),
        rx.cond((entry["status"] == "failed") & (entry["role"] == "user"), _note(_NOTES["failed"], "failed-note")),
        size="3",
        white_space="pre-wrap",
    )


def _thumbnail(entry: rx.Var) -> rx.Component:
    """An image the user showed on this page (a saved one reads as its size, in words)."""
    return rx.cond(
        ConversationState.images.contains(entry["id"]),
        rx.image(
            src=ConversationState.images[entry["id"]],
            alt="The image you showed the model",
            max_width="160px",
            border_radius="8px",
            data_testid="image-thumbnail",
        ),
    )


def transcript_entry(entry: rx.Var) -> rx.Component:
    is_user = entry["role"] == "user"
    return rx.box(
        who(entry),
        _thumbnail(entry),
        _text(entry),
        align_self=rx.cond(is_user, "flex-end", "flex-start"),
        max_width="85%",
        padding="0.6rem 0.9rem",
        border_radius="12px",
        background=role_background(entry),
        font_family=rx.cond(entry["role"] == "tool", CODE_FONT, "inherit"),
        data_testid="transcript-entry",
        data_role=entry["role"],
        data_item_id=entry["id"],
        data_status=entry["status"],
    )


def transcript() -> rx.Component:
    return rx.auto_scroll(
        rx.cond(
            ConversationState.transcript.length() > 0,
            rx.foreach(ConversationState.transcript, transcript_entry),
            rx.text("The conversation will appear here as you talk.", color_scheme="gray", size="2"),
        ),
        display="flex",
        flex_direction="column",
        gap="0.6rem",
        height="min(55vh, 32rem)",
        **FRAMED,
        aria_live="polite",
        aria_label="Conversation transcript",
        role="log",
        tab_index=0,  # the keyboard scrolls it too
        data_testid="transcript",
    )


def composer() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.input(
                value=CallState.draft,
                on_change=CallState.set_draft,
                placeholder="Type a message…",
                aria_label="Message",
                flex="1",
                size="3",
                data_testid="text-input",
            ),
            rx.button(
                rx.icon("send"),
                "Send",
                type="submit",
                size="3",
                data_testid="send-button",
                disabled=CallState.status != Status.CONNECTED.value,
            ),
            width="100%",
        ),
        on_submit=CallState.send_text,
        reset_on_submit=False,
        width="100%",
    )
