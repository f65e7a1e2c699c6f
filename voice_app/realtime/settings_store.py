"""Settings as the browser keeps them (JSON in local storage) and as the form sends them (strings)."""

import json
from dataclasses import asdict, fields

from voice_app.realtime import catalog
from voice_app.realtime.session_options import limit_lowered, within_window
from voice_app.realtime.settings import SessionSettings, SettingsError


def saved_settings(text: str) -> tuple[SessionSettings, list[str]]:
    """Settings saved in the browser, and what had to change in them. A retiring model moves to
    its successor, with a notice; anything unreadable or out of date falls back to defaults."""
    notices = []
    try:
        saved = json.loads(text) if text else {}
        known = {f.name for f in fields(SessionSettings)}
        saved = {k: v for k, v in saved.items() if k in known}
        for name in ("model", "transcription_model"):
            if isinstance(saved.get(name), str) and saved[name] in catalog.RETIREMENTS:
                notices.append(catalog.retirement_notice(saved[name]))
                saved[name] = catalog.RETIREMENTS[saved[name]].successor
        limit, model = saved.get("truncation_token_limit"), saved.get("model", catalog.DEFAULT_MODEL)
        if type(limit) is int and isinstance(model, str) and limit > within_window(limit, model):
            notices.append(limit_lowered(model))  # saved before the window was checked: kept, lowered
            saved["truncation_token_limit"] = within_window(limit, model)
        return SessionSettings().with_changes(**saved), notices
    except (ValueError, TypeError, AttributeError, SettingsError):
        return SessionSettings(), notices


def settings_from_json(text: str) -> SessionSettings:
    return saved_settings(text)[0]


def settings_to_json(settings: SessionSettings) -> str:
    return json.dumps(asdict(settings), sort_keys=True)


_NUMBERS = {
    "vad_threshold": float,
    "silence_ms": int,
    "prefix_padding_ms": int,
    "speed": float,
    "idle_timeout_ms": int,
    "live_standby_s": int,
    "retention_ratio": float,
    "truncation_token_limit": int,
}
_LABELS = {
    "vad_threshold": "threshold",
    "silence_ms": "silence",
    "prefix_padding_ms": "prefix padding",
    "speed": "speed",
    "idle_timeout_ms": "idle nudge",
    "live_standby_s": "standby",
    "retention_ratio": "retention ratio",
    "truncation_token_limit": "token limit for truncation",
}
_BLANK_IS_ZERO = ("idle_timeout_ms", "truncation_token_limit", "live_standby_s")


def _answer_cap(value) -> int | str:
    """max_output_tokens from the form: "inf" (or blank) for none, else a whole number."""
    text = str(value).strip().lower()
    if text in ("", "inf"):
        return "inf"
    try:
        return int(text)
    except ValueError:
        raise SettingsError(
            f"The answer length cap must be a whole number of tokens (1 to {catalog.MAX_OUTPUT_TOKENS_LIMIT:,}) or inf."
        ) from None


SWITCHES = ("example_tools", "record_calls")  # checkboxes: an unticked one sends nothing


def settings_from_form(form: dict, current: SessionSettings) -> SessionSettings:
    """The settings form's strings, checked; a SettingsError says what to fix."""
    changes = {}
    for name in {f.name for f in fields(SessionSettings)} & set(form):
        value = form[name]
        if name in SWITCHES:
            value = str(value).lower() in ("on", "true", "1")
        elif name == "mcp_servers":
            value = tuple(value) if isinstance(value, list | tuple) else ()
        elif name == "max_output_tokens":
            value = _answer_cap(value)
        elif name in _BLANK_IS_ZERO and str(value).strip() == "":
            value = 0
        elif name in _NUMBERS:
            try:
                value = _NUMBERS[name](float(value)) if _NUMBERS[name] is int else float(value)
            except (TypeError, ValueError):
                raise SettingsError(f"The {_LABELS[name]} must be a number.") from None
        changes[name] = value
    model, limit = changes.get("model", current.model), changes.get("truncation_token_limit", current.truncation_token_limit)
    if model != current.model and limit == current.truncation_token_limit and type(limit) is int:
        # Another model, the limit untouched: the user chose the model, so the limit follows it
        # (a limit typed past the model's most is refused instead: session_options.check).
        changes["truncation_token_limit"] = within_window(limit, model if isinstance(model, str) else "")
    return current.with_changes(**changes)


def lowered_note(current: SessionSettings, chosen: SessionSettings) -> str:
    """What the page says when the form's new model lowered the token limit for truncation."""
    lowered = within_window(current.truncation_token_limit, chosen.model)
    if chosen.model != current.model and chosen.truncation_token_limit == lowered < current.truncation_token_limit:
        return limit_lowered(chosen.model)
    return ""
