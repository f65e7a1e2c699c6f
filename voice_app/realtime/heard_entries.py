"""An answer's entry as the user heard it: cut while it played, it is interrupted, and where the
API says the voice stopped (`conversation.item.truncated`) marks the words after it as not heard
(`heard_chars`, see heard.py). Part of Transcript (transcript.py); pure.

The cut may come before the answer's text is all in (the user spoke over an answer still being
generated): it is kept by item id and applied when the text settles.
"""

from voice_app.realtime.heard import heard_chars, played_ms
from voice_app.realtime.items import text_or_none
from voice_app.realtime.tool_entries import DONE

INTERRUPTED = "interrupted"
HEARD = "heard_chars"  # in an entry: how many characters of its text were heard (a number, as text)
CUTS_KEPT = 64  # cuts remembered for entries still streaming


class HeardEntries:
    """Transcript's heard answers; it holds `playing`, `_cuts`, `find` and `_settle`."""

    def heard_of(self, entry: dict, text: str) -> str | None:
        """Where the heard part of this text ends, if the API said where its voice stopped."""
        cut = self._cuts.get(entry["id"])
        return None if cut is None else str(heard_chars(text, cut))

    def _truncated(self, event: dict) -> set[str]:
        entry = self.find(text_or_none(event.get("item_id")))
        if entry is None or entry["role"] != "assistant":
            return set()
        self._cuts = dict(list({**self._cuts, entry["id"]: played_ms(event.get("audio_end_ms"))}.items())[-CUTS_KEPT:])
        if entry["status"] not in (DONE, INTERRUPTED):
            return set()  # still streaming: the cut applies when it settles
        return self._settle(entry, entry["text"], INTERRUPTED)

    def _audio_cleared(self, event: dict) -> set[str]:
        """Answers' audio cut before it was all heard (the user spoke, or interrupted): those
        `playing` (playing.py) says were in it, the ones the page truncates."""
        changed: set[str] = set()
        for item_id in self.playing.cut_items():
            entry = self.find(item_id)
            if entry and entry["status"] == DONE:
                changed |= self._settle(entry, entry["text"], INTERRUPTED)
        return changed
