"""Pieces of UI that several panels share: who said what, framed boxes, fold-out sections."""

import reflex as rx

_WHO = {"user": "You", "assistant": "Model", "tool": "Tool"}

# Code (a tool's call, an event's type, JSON) in the theme's code font; all else in the page's own.
CODE_FONT = "var(--code-font-family)"

FRAMED = {"padding": "0.75rem", "border": "1px solid var(--gray-a5)", "border_radius": "12px", "width": "100%"}


def who(entry: rx.Var) -> rx.Component:
    return rx.text(rx.match(entry["role"], *_WHO.items(), "?"), size="1", weight="bold", color_scheme="gray")


NOT_HEARD = "Not heard: the answer was interrupted before its voice reached these words"
# Screen readers read CSS generated content, and the strike-through alone says nothing to them;
# generated content stays out of the page's text, so the words still read on as they were said.
_SCREEN_READER_ONLY = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "overflow": "hidden",
    "clip_path": "inset(50%)",
    "white_space": "nowrap",
}
_SAID_TO_SCREEN_READERS = {
    "&::before": {"content": "' (not heard:) '", **_SCREEN_READER_ONLY},
    "&::after": {"content": "' (end of not heard) '", **_SCREEN_READER_ONLY},
}


def heard_words(entry: rx.Var) -> rx.Var:
    """An entry's words, as far as they were heard (an interrupted answer's, see realtime/heard.py)."""
    return rx.cond(entry.contains("unheard"), entry["heard"], entry["text"])


def unheard_words(entry: rx.Var) -> rx.Component:
    """The words of an interrupted answer the user never heard, greyed and struck through; none
    for other entries."""
    return rx.cond(
        entry.contains("unheard"),
        rx.text.span(
            entry["unheard"],
            data_testid="unheard",
            title=NOT_HEARD,
            color_scheme="gray",
            text_decoration="line-through",
            style=_SAID_TO_SCREEN_READERS,
        ),
    )


def role_background(entry: rx.Var) -> rx.Var:
    return rx.match(entry["role"], ("user", "var(--accent-a3)"), ("tool", "var(--amber-a3)"), "var(--gray-a3)")


def disclosure(title: str, test_id: str, on_toggle, *children: rx.Component) -> rx.Component:
    """A section that folds out; `on_toggle` runs on each open and close."""
    return rx.el.details(
        rx.el.summary(rx.text(title, weight="bold", as_="span"), cursor="pointer", data_testid=test_id, on_click=on_toggle),
        rx.vstack(*children, spacing="2", padding_top="0.5rem", width="100%"),
        width="100%",
    )
