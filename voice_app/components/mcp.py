"""MCP servers in the page: which of the operator's servers are on (Settings, by label only), and
the approval requests waiting for the user, each with what it would run."""

import reflex as rx

from voice_app.components.common import CODE_FONT, FRAMED
from voice_app.states.mcp import McpState
from voice_app.states.server_call import ServerCallState
from voice_app.states.settings import MCP_BOX, SettingsState


def mcp_servers_choice() -> rx.Component:
    """A box per configured server; nothing when the operator configured none."""
    enabled = SettingsState.settings["mcp_servers"].to(list[str])
    return rx.cond(
        McpState.server_labels.length() > 0,
        rx.vstack(
            rx.text("MCP servers", size="2", weight="medium"),
            rx.foreach(
                McpState.server_labels,
                lambda label: rx.checkbox(
                    label, name=MCP_BOX + label, default_checked=enabled.contains(label), data_testid="mcp-server"
                ),
            ),
            rx.text(
                "Applies to a Realtime API call in progress; to GPT-Live on the next connect.", size="1", color_scheme="gray"
            ),
            spacing="1",
            width="100%",
        ),
    )


def _approval(request: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(request["server_label"], " asks to run ", rx.code(request["name"]), size="2"),
        # Plain preformatted text: a syntax highlighter would add a heavy library to every page.
        rx.el.pre(
            request["arguments"],
            style={"white_space": "pre-wrap", "font_family": CODE_FONT, "font_size": "0.85em", "margin": "0"},
            data_testid="mcp-approval-arguments",
        ),
        rx.hstack(
            rx.button("Approve", on_click=ServerCallState.approve(request["id"]), data_testid="mcp-approve"),
            rx.button(
                "Decline",
                on_click=ServerCallState.decline(request["id"]),
                variant="soft",
                color_scheme="gray",
                data_testid="mcp-decline",
            ),
        ),
        **FRAMED,
        spacing="2",
        role="alertdialog",
        aria_label="A tool asks for your approval",
        data_testid="mcp-approval",
    )


def approvals() -> rx.Component:
    return rx.vstack(
        rx.foreach(McpState.approvals, _approval),
        rx.cond(McpState.approval_message != "", rx.text(McpState.approval_message, size="2", color_scheme="gray")),
        width="100%",
    )
