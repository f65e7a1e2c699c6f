"""The transcript as files a user can keep: Markdown to read, JSON to process. An answer the user
interrupted keeps its words not heard, marked: struck through in Markdown, and in JSON the
number of characters heard (`heard_chars`)."""

import json

from voice_app.realtime.heard import heard_count, split

_WHO = {"user": "You", "assistant": "Model", "tool": "Tool"}
_NOTES = {"interrupted": " _(interrupted)_", "failed": " _(could not be transcribed)_"}
NOT_HEARD_NOTE = " _(interrupted; the words struck through were not heard)_"


def _markdown_text(entry: dict) -> str:
    heard, unheard = split(entry)
    if not unheard.strip():
        return heard or "…"
    struck = unheard.strip().replace("~", "\\~")  # a tilde of its own must not end the strike
    return f"{heard} ~~{struck}~~"


def to_markdown(entries: list[dict], title: str = "Conversation") -> str:
    lines = [f"# {title}", ""]
    for entry in entries:
        who = _WHO.get(entry.get("role", ""), "?")
        note = NOT_HEARD_NOTE if split(entry)[1].strip() else _NOTES.get(entry.get("status", ""), "")
        lines += [f"**{who}** ({entry.get('at', '')}):{note}", "", _markdown_text(entry), ""]
    return "\n".join(lines)


def _kept(entry: dict) -> dict:
    kept = {key: entry.get(key) for key in ("id", "role", "text", "status", "at")}
    if heard_count(entry) is not None:
        kept["heard_chars"] = heard_count(entry)
    return kept


def to_json(entries: list[dict], about: dict | None = None) -> str:
    """The entries as a list; with `about` (title, times, usage…), an object holding both."""
    kept = [_kept(entry) for entry in entries]
    return json.dumps({**about, "entries": kept} if about is not None else kept, indent=2, ensure_ascii=False)
