"""The app and its page; nothing else."""

import reflex as rx

from voice_app.components.controls import call_bar
from voice_app.components.history import history_panel
from voice_app.components.image_picker import image_picker
from voice_app.components.insight import insight_panel
from voice_app.components.mcp import approvals
from voice_app.components.settings import settings_panel
from voice_app.components.status import error_message, notice, save_problem, server_problem, simulator_notice, status_badge
from voice_app.components.transcript import composer, transcript
from voice_app.service import backend, call_takeover, hang_ups, socket_owners
from voice_app.states.call import CallState
from voice_app.states.conversation import ConversationState
from voice_app.states.insight import InsightState
from voice_app.states.recording import RecordingState
from voice_app.states.server_call import page_for
from voice_app.states.settings import SettingsState
from voice_app.states.settings_form import SettingsFormState


def index() -> rx.Component:
    # Landmarks: the title in a header, everything else in the page's one main.
    return rx.container(
        rx.vstack(
            rx.el.header(
                rx.hstack(
                    rx.heading("Voice conversation", size="6"),
                    rx.badge(
                        rx.cond(
                            SettingsState.live,
                            SettingsState.settings["live_model"].to(str),
                            SettingsState.settings["model"].to(str),
                        ),
                        variant="outline",
                        color_scheme="gray",
                        data_testid="model-badge",
                    ),
                    justify="between",
                    align="center",
                    width="100%",
                    wrap="wrap",
                ),
                width="100%",
            ),
            rx.el.main(
                rx.vstack(
                    simulator_notice(),
                    status_badge(),
                    error_message(),
                    notice(),
                    server_problem(),
                    save_problem(),
                    call_bar(),
                    transcript(),
                    approvals(),
                    rx.cond(SettingsState.live, rx.fragment(), composer()),
                    rx.cond(SettingsState.live, rx.fragment(), image_picker()),
                    insight_panel(),
                    history_panel(),
                    settings_panel(),
                    spacing="4",
                    width="100%",
                ),
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
        size="2",
        padding="1rem",
    )


app = rx.App(api_transformer=backend.api_transformer())
for task in [*backend.lifespan_tasks(), hang_ups.overdue_calls_hung_up]:
    app.register_lifespan_task(task)
app.register_lifespan_task(call_takeover.calls_taken_over, page_for=page_for)
app.register_lifespan_task(socket_owners.sockets_kept)
app.add_page(
    index,
    title="Voice conversation",
    on_load=[
        SettingsFormState.page_loaded,
        InsightState.page_loaded,
        ConversationState.page_loaded,
        CallState.page_loaded,
        RecordingState.page_loaded,
    ],
)
