"""The Settings form's Advanced section: reasoning, answers, transcription hints, long calls and
a stored prompt (voice_app/realtime/session_options.py checks and builds them)."""

import reflex as rx

from voice_app.components.setting_fields import choice, control_id, field, number, shown_for, text
from voice_app.realtime import catalog
from voice_app.realtime.session_options import ANSWER_MODES, IDLE_TIMEOUT_MS, INSTRUCTION_SOURCES, TRUNCATIONS
from voice_app.states.settings import SettingsState

_ANSWERS = {"audio": "Spoken (audio and its transcript)", "text": "Text only (nothing plays)"}
_TRUNCATIONS = {
    "auto": "Automatic",
    "retention_ratio": "Keep a share (retention ratio)",
    "disabled": "Never cut (fails when full)",
}
_MOST = "; ".join(
    f"{most:,} for {', '.join(m for m in catalog.MODELS if catalog.WINDOWS[m].conversation == most)}"
    for most in sorted({catalog.WINDOWS[m].conversation for m in catalog.MODELS}, reverse=True)
)
_SOURCES = {"typed": "Typed instructions", "stored_prompt": "Stored prompt (by id)"}


def _reasoning() -> rx.Component:
    return rx.cond(
        SettingsState.reasons,
        field(
            "Reasoning effort",
            choice("reasoning_effort", catalog.REASONING_EFFORTS),
            "Higher thinks longer before answering: better on hard questions, slower and more output tokens.",
            name="reasoning_effort",
        ),
        rx.text(
            f"Reasoning effort: only the {', '.join(catalog.REASONING_MODELS)} models reason.",
            size="1",
            color_scheme="gray",
            data_testid="no-reasoning",
        ),
    )


def _long_calls() -> list[rx.Component]:
    return [
        field(
            "When the context is full",
            choice("truncation", TRUNCATIONS, _TRUNCATIONS),
            "Long calls: how older turns are dropped.",
            name="truncation",
        ),
        field(
            "Retention ratio (0–1)",
            number("retention_ratio", "0.05"),
            "Keep a share: the part of the conversation kept.",
            name="retention_ratio",
        ),
        field(
            "Token limit for truncation",
            number("truncation_token_limit", "500"),
            f"Keep a share: cut once the conversation passes this many tokens (0: the model's own); at most {_MOST}.",
            name="truncation_token_limit",
        ),
        field(
            "Answer length cap (tokens)",
            text("max_output_tokens", "inf"),
            f"1 to {catalog.MAX_OUTPUT_TOKENS_LIMIT:,}, or inf; an answer that reaches it stops short.",
            name="max_output_tokens",
        ),
    ]


def _stored_prompt() -> list[rx.Component]:
    return [
        field(
            "Instructions from",
            choice("instructions_source", INSTRUCTION_SOURCES, _SOURCES),
            "A stored prompt is managed on OpenAI's side and replaces the typed instructions.",
            name="instructions_source",
        ),
        field("Stored prompt id", text("prompt_id", "pmpt_..."), name="prompt_id"),
        field("Prompt version", text("prompt_version", "current"), "Empty: the prompt's current version.", name="prompt_version"),
    ]


def advanced_settings() -> rx.Component:
    grid = rx.grid(
        _reasoning(),
        field("Answers", choice("answer_mode", ANSWER_MODES, _ANSWERS), name="answer_mode"),
        field(
            "Idle nudge after (ms)",
            number("idle_timeout_ms", "1000"),
            f"Server VAD: the model speaks up after this much silence ({IDLE_TIMEOUT_MS[0]:,}–{IDLE_TIMEOUT_MS[1]:,}; 0: never).",
            name="idle_timeout_ms",
        ),
        field(
            "Transcription language",
            text("transcription_language", "en"),
            "ISO-639-1 code; empty: detected.",
            name="transcription_language",
        ),
        field(
            "Transcription prompt",
            text("transcription_prompt", "names, terms to expect"),
            "Style or context to expect; not with gpt-realtime-whisper.",
            name="transcription_prompt",
        ),
        field(
            "Transcription keywords",
            text("transcription_keywords", "Reflex, WebRTC"),
            "Words or names to expect, by commas; gpt-live-transcribe only.",
            name="transcription_keywords",
        ),
        *_long_calls(),
        *_stored_prompt(),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="3",
        width="100%",
    )
    variables = field(
        "Prompt variables",
        rx.text_area(
            name="prompt_variables",
            id=control_id("prompt_variables"),
            rows="2",
            default_value=SettingsState.settings["prompt_variables"].to(str),
            placeholder="name=value, one a line",
            width="100%",
        ),
        name="prompt_variables",
    )
    # Every option here is a part of the Realtime API's session (REALTIME_ONLY): none is GPT-Live's.
    return rx.el.details(
        rx.el.summary(rx.text("Advanced", weight="medium", as_="span"), cursor="pointer", data_testid="settings-advanced"),
        rx.vstack(grid, variables, spacing="3", width="100%", padding_top="0.5rem"),
        width="100%",
        display=shown_for("realtime", "block"),
    )
