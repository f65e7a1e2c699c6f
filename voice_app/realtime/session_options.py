"""The session's advanced options: reasoning, idle nudges, text-only answers, transcription hints,
long-call limits and a stored prompt. Each is checked here, and each becomes the part of the GA
session that `openai.types.realtime` names for it (RealtimeSessionCreateRequestParam and the
params it nests)."""

import re

from voice_app.realtime import catalog

ANSWER_MODES = ("audio", "text")  # output_modalities: one of them, never both
TRUNCATIONS = ("auto", "retention_ratio", "disabled")
INSTRUCTION_SOURCES = ("typed", "stored_prompt")
IDLE_TIMEOUT_MS = (5_000, 30_000)  # 0 turns idle nudges off
MAX_PROMPT_VARIABLES = 50
MAX_KEYWORDS = 100
_PROMPT_ID = re.compile(r"pmpt_[A-Za-z0-9]{1,100}")
_PROMPT_VERSION = re.compile(r"[A-Za-z0-9._-]{1,64}")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_LANGUAGE = re.compile(r"[a-z]{2}")  # ISO-639-1


class SettingsError(ValueError):
    """A setting a user chose that the API would refuse; the message says which and why."""


def check(s) -> None:
    """The advanced options of SessionSettings `s`; a SettingsError names the first wrong one."""
    if s.idle_timeout_ms and not IDLE_TIMEOUT_MS[0] <= s.idle_timeout_ms <= IDLE_TIMEOUT_MS[1]:
        raise SettingsError(
            f"The idle nudge must come after {IDLE_TIMEOUT_MS[0]:,} to {IDLE_TIMEOUT_MS[1]:,} ms of silence, or 0 for none."
        )
    if s.idle_timeout_ms and s.turn_detection != "server_vad":
        raise SettingsError("Idle nudges work only with server VAD turn detection: choose it, or set the idle nudge to 0.")
    if s.transcription_language and not _LANGUAGE.fullmatch(s.transcription_language):
        raise SettingsError(
            f"The transcription language '{s.transcription_language}' is not an ISO-639-1 code: "
            "two lowercase letters, like en or fr, or empty."
        )
    if s.transcription_prompt and s.transcription_model in catalog.PROMPTLESS_TRANSCRIPTION_MODELS:
        raise SettingsError(
            f"{s.transcription_model} takes no transcription prompt: choose another transcription model, or leave it empty."
        )
    if len(s.transcription_prompt) > 1_000:
        raise SettingsError("The transcription prompt is too long: keep it under 1,000 characters.")
    if keywords(s) and s.transcription_model not in catalog.KEYWORD_TRANSCRIPTION_MODELS:
        raise SettingsError(
            f"Transcription keywords work only with {', '.join(catalog.KEYWORD_TRANSCRIPTION_MODELS)}: "
            "choose one, or leave them empty."
        )
    if len(keywords(s)) > MAX_KEYWORDS or any(len(word) > 100 for word in keywords(s)):
        raise SettingsError(f"Give at most {MAX_KEYWORDS} transcription keywords, each under 100 characters.")
    if not 0.0 <= s.retention_ratio <= 1.0:
        raise SettingsError("The retention ratio must be between 0 and 1.")
    if s.truncation_token_limit < 0:
        raise SettingsError("The token limit for truncation must be 0 (the model's own) or more.")
    if s.truncation_token_limit > within_window(s.truncation_token_limit, s.model):
        window = catalog.WINDOWS[s.model]
        raise SettingsError(
            f"The token limit for truncation can be at most {window.conversation:,} with {s.model} "
            f"(its {window.context:,}-token context less {window.max_output:,} for an answer): "
            "lower it, or 0 for the model's own."
        )
    cap = s.max_output_tokens  # type(), not isinstance(): a saved `true` is no number of tokens
    if cap != "inf" and not (type(cap) is int and 1 <= cap <= catalog.MAX_OUTPUT_TOKENS_LIMIT):
        raise SettingsError(f"The answer length cap must be 1 to {catalog.MAX_OUTPUT_TOKENS_LIMIT:,} tokens, or inf for none.")
    if s.instructions_source == "stored_prompt":
        stored_prompt(s)  # refuses a bad id, version or variables


def prompt_variables(text: str) -> dict[str, str]:
    """`key=value` lines (blank lines skipped) as the prompt's string variables."""
    variables = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not _VARIABLE.fullmatch(key):
            raise SettingsError(f"Prompt variables, line {number}: write name=value, the name in letters, digits and _.")
        if key in variables:
            raise SettingsError(f"Prompt variables: '{key}' is given twice.")
        variables[key] = value.strip()
    if len(variables) > MAX_PROMPT_VARIABLES:
        raise SettingsError(f"Give at most {MAX_PROMPT_VARIABLES} prompt variables.")
    return variables


def stored_prompt(s) -> dict:
    """ResponsePromptParam: the stored prompt's id, and its version and variables if given."""
    if not _PROMPT_ID.fullmatch(s.prompt_id.strip()):
        raise SettingsError("A stored prompt's id looks like pmpt_ followed by letters and digits: copy it from the dashboard.")
    if s.prompt_version.strip() and not _PROMPT_VERSION.fullmatch(s.prompt_version.strip()):
        raise SettingsError("The prompt version is a number like 3 (or empty for the current one).")
    prompt = {"id": s.prompt_id.strip()}
    if s.prompt_version.strip():
        prompt["version"] = s.prompt_version.strip()
    if variables := prompt_variables(s.prompt_variables):
        prompt["variables"] = variables
    return prompt


def keywords(s) -> list[str]:
    """Words or phrases to expect, one a line or separated by commas."""
    return [word.strip() for line in s.transcription_keywords.splitlines() for word in line.split(",") if word.strip()]


def transcription(s) -> dict:
    """AudioTranscriptionParam: the model, and the language, prompt and keywords when given."""
    extra = {"language": s.transcription_language, "prompt": s.transcription_prompt, "keywords": keywords(s)}
    return {"model": s.transcription_model, **{name: value for name, value in extra.items() if value}}


def within_window(limit: int, model: str) -> int:
    """A truncation token limit as far as `model` takes it (a model not in catalog.WINDOWS: as is)."""
    window = catalog.WINDOWS.get(model)
    return min(limit, window.conversation) if window else limit


def limit_lowered(model: str) -> str:
    """What the page says when a model change lowered the token limit for truncation."""
    return f"The token limit for truncation is now {catalog.WINDOWS[model].conversation:,}, the most {model} takes."


def truncation(s, model: str) -> str | dict:
    """RealtimeTruncationParam: "auto", "disabled", or a retention ratio (with its token limit,
    never past what `model`, the session's, takes: settings chosen for another model mid-call)."""
    if s.truncation != "retention_ratio":
        return s.truncation
    ratio = {"type": "retention_ratio", "retention_ratio": s.retention_ratio}
    limit = within_window(s.truncation_token_limit, model)
    return ratio | ({"token_limits": {"post_instructions": limit}} if limit else {})


def model_options(s, model: str) -> dict:
    """Top-level session fields for a session running `model`: a model that does not reason is
    given no reasoning (the API refuses it); a stored prompt replaces the typed instructions."""
    options = {
        "output_modalities": [s.answer_mode],
        "max_output_tokens": s.max_output_tokens,
        "truncation": truncation(s, model),
    }
    if model in catalog.REASONING_MODELS:
        options["reasoning"] = {"effort": s.reasoning_effort}
    if s.instructions_source == "stored_prompt":
        options["prompt"] = stored_prompt(s)
    else:
        options["instructions"], options["prompt"] = s.instructions, None  # null clears a stored prompt
    return options
