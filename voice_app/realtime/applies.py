"""Which settings and figures belong to which voice API, written once. Pure.

The page shows the chosen API's and folds the other's away (their values are kept for when it is
chosen again); a setting the chosen API ignores is never sent to it.
"""

# GPT-Live's session is fixed at creation from its model, standby, the voice, the instructions
# and the tools (live/session.py config); the Realtime API's takes none of the first two.
LIVE_ONLY = frozenset({"live_model", "live_standby_s"})
# The Realtime session's own parts (settings.py session(), session_options.py): GPT-Live takes
# turns, transcribes and answers by itself, with no stored prompt and no client secret.
REALTIME_ONLY = frozenset(
    {
        "model",
        "turn_detection",
        "transcription_model",
        "vad_threshold",
        "silence_ms",
        "prefix_padding_ms",
        "eagerness",
        "noise_reduction",
        "speed",
        "secret_seconds",
        "reasoning_effort",
        "idle_timeout_ms",
        "answer_mode",
        "transcription_language",
        "transcription_prompt",
        "transcription_keywords",
        "truncation",
        "retention_ratio",
        "truncation_token_limit",
        "max_output_tokens",
        "instructions_source",
        "prompt_id",
        "prompt_version",
        "prompt_variables",
    }
)
SHARED = frozenset({"engine", "voice", "instructions", "example_tools", "record_calls", "mcp_servers"})

# Figures (Insight.summary's keys): GPT-Live is billed by the minute; its events carry no moment
# of speech ending or answer starting to time, and it is shown no images.
LIVE_ONLY_FIGURES = frozenset({"live_minutes"})
REALTIME_ONLY_FIGURES = frozenset({"last_latency", "median_latency", "image_tokens"})


def engine_of(name: str, figure: bool = False) -> str:
    """The one engine a setting (or a figure) belongs to, or "" when both take it."""
    live, realtime = (LIVE_ONLY_FIGURES, REALTIME_ONLY_FIGURES) if figure else (LIVE_ONLY, REALTIME_ONLY)
    return "live" if name in live else "realtime" if name in realtime else ""


def applies(name: str, engine: str, figure: bool = False) -> bool:
    """Whether `engine` ("realtime" or "live") takes this setting (or has this figure)."""
    return engine_of(name, figure) in ("", engine)
