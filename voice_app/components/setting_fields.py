"""The settings form's building blocks: a labelled field, a choice, a number, a line of text."""

import reflex as rx

from voice_app.realtime.applies import engine_of
from voice_app.states.settings import SettingsState

# Placeholder text in Radix's gray-a10 is too faint to read (axe's contrast check): gray-11 is.
READABLE_PLACEHOLDER = {"&[data-placeholder] .rt-SelectTriggerInner": {"color": "var(--gray-11)"}}


def control_id(name: str) -> str:
    return f"setting-{name.replace('_', '-')}"


def shown_for(engine: str, display: str = "flex") -> rx.Var | str:
    """CSS display of a part that only `engine` takes ("" for both): hidden, not removed, while the
    form has the other one picked, so that the form still sends (and keeps) its value."""
    if not engine:
        return display
    return rx.cond(SettingsState.form_live == (engine == "live"), display, "none")


def field(label: str, control: rx.Component, hint: str = "", name: str = "") -> rx.Component:
    """A labelled setting; with `name`, the label names the control with that id (see control_id),
    and the field shows only while the form's voice API takes that setting (realtime/applies.py)."""
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=control_id(name))
        if name
        else rx.text(label, size="2", weight="medium"),
        control,
        rx.cond(hint != "", rx.text(hint, size="1", color_scheme="gray")),
        spacing="1",
        width="100%",
        display=shown_for(engine_of(name)),
    )


def choice(name: str, options, labels: dict | None = None, **handlers) -> rx.Component:
    labels = labels or {}
    return rx.select.root(
        rx.select.trigger(width="100%", id=control_id(name)),
        rx.select.content(*(rx.select.item(labels.get(o, o), value=o) for o in options)),
        name=name,
        default_value=SettingsState.settings[name].to(str),
        **handlers,
    )


def number(name: str, step: str) -> rx.Component:
    return rx.input(
        name=name, id=control_id(name), type="number", step=step, default_value=SettingsState.settings[name].to(str), width="100%"
    )


def text(name: str, placeholder: str = "") -> rx.Component:
    return rx.input(
        name=name, id=control_id(name), default_value=SettingsState.settings[name].to(str), placeholder=placeholder, width="100%"
    )
