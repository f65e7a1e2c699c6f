"""Pieces of UI that several panels share: who said what, framed boxes, fold-out sections."""

import reflex as rx

_WHO = {"user": "You", "assistant": "Model", "tool": "Tool"}

FRAMED = {"padding": "0.75rem", "border": "1px solid var(--gray-a5)", "border_radius": "12px", "width": "100%"}


def who(entry: rx.Var) -> rx.Component:
    return rx.text(rx.match(entry["role"], *_WHO.items(), "?"), size="1", weight="bold", color_scheme="gray")


def role_background(entry: rx.Var) -> rx.Var:
    return rx.match(entry["role"], ("user", "var(--accent-a3)"), ("tool", "var(--amber-a3)"), "var(--gray-a3)")


def disclosure(title: str, test_id: str, on_toggle, *children: rx.Component) -> rx.Component:
    """A section that folds out; `on_toggle` runs on each open and close."""
    return rx.el.details(
        rx.el.summary(rx.text(title, weight="bold", as_="span"), cursor="pointer", data_testid=test_id, on_click=on_toggle),
        rx.vstack(*children, spacing="2", padding_top="0.5rem", width="100%"),
        width="100%",
    )
