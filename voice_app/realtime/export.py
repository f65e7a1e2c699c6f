"""The transcript as files a user can keep: Markdown to read, JSON to process."""

import json

_WHO = {"user": "You", "assistant": "Model", "tool": "Tool"}
_NOTES = {"interrupted": " _(interrupted)_", "failed": " _(could not be transcribed)_"}


def to_markdown(entries: list[dict], title: str = "Conversation") -> str:
    lines = [f"# {title}", ""]
    for entry in entries:
        who = _WHO.get(entry.get("role", ""), "?")
        note = _NOTES.get(entry.get("status", ""), "")
        lines += [f"**{who}** ({entry.get('at', '')}):{note}", "", entry.get("text", "") or "…", ""]
    return "\n".join(lines)


def to_json(entries: list[dict], about: dict | None = None) -> str:
    """The entries as a list; with `about` (title, times, usage…), an object holding both."""
    keep = ("id", "role", "text", "status", "at")
    kept = [{key: entry.get(key) for key in keep} for entry in entries]
    return json.dumps({**about, "entries": kept} if about is not None else kept, indent=2, ensure_ascii=False)
