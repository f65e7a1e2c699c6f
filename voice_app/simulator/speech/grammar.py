"""The tool requests the simulator understands, typed or spoken: a small grammar, not a model.

A turn calls a tool of the session when it names it with its arguments (`calculate {"expression":
"2+2"}`, as tool_calls.py reads it); else, for the example tools, when it asks in one of these
ways; else when it names a tool bare ("current_time"), with `{}`:

- "What time is it in Tokyo?" (or "what's the time in New York"): `current_time`, with the IANA
  zone whose city is named (`Asia/Tokyo`), or UTC when no place is said;
- "Remember that my locker is 42": `remember`, with the note "my locker is 42";
- "What is on my note pad?" or "Read me my notes": `recall`;
- "What is 12 times 7?" or "Calculate 3 plus 4 divided by 2": `calculate`, with the arithmetic
  in symbols ("12 * 7").

Case and punctuation do not matter. A named place with no zone of that name is passed as said,
so the tool answers that it does not know it.
"""

import json
import re
from functools import cache
from zoneinfo import available_timezones

from voice_app.simulator.tool_calls import requested_calls

_TIME = re.compile(r"\bwhat(?:'s| is)? (?:the )?time(?: is it)?(?: (?:now|right now))?(?: in (?P<place>[a-z .'-]+?))?\s*$")
_REMEMBER = re.compile(r"\bremember(?: that)? (?P<note>.+)$")
_RECALL = re.compile(r"\b(?:what(?:'s| is) on (?:the|my) note ?pad|read (?:me )?(?:the|my) notes)\b")
_CALCULATE = re.compile(r"\b(?:what(?:'s| is)|calculate|compute) (?P<sum>[-\d(a-z][\d\s.()+*/a-z-]*)$")
_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty"
).split()
_OPERATORS = {"plus": "+", "minus": "-", "times": "*", "multiplied by": "*", "x": "*", "divided by": "/", "over": "/"}


def calls(words: str, tool_names: list[str]) -> list[tuple[str, str]]:
    """(name, arguments JSON) of the calls `words` asks for, among `tool_names`."""
    named = requested_calls(words, tool_names)
    if any(arguments != "{}" for _, arguments in named):  # typed out, JSON and all
        return named
    said = _plain(words)
    for name, understood in ((n, _asked(n, said)) for n in ("current_time", "remember", "recall", "calculate")):
        if name in tool_names and understood is not None:
            return [(name, understood)]
    return named  # a bare name: called with {}


def _plain(words: str) -> str:
    """Lower case, single spaces, no closing punctuation: what the patterns match against."""
    return re.sub(r"\s+", " ", words.lower()).strip().rstrip("?.!,")


def _asked(name: str, said: str) -> str | None:
    if name == "current_time" and (match := _TIME.search(said)):
        return json.dumps({"timezone": zone_of(match["place"]) if match["place"] else "UTC"})
    if name == "remember" and (match := _REMEMBER.search(said)):
        return json.dumps({"note": match["note"].strip()})
    if name == "recall" and _RECALL.search(said):
        return "{}"
    if name == "calculate" and (match := _CALCULATE.search(said)) and (expression := _symbols(match["sum"])):
        return json.dumps({"expression": expression})
    return None


def _symbols(spoken: str) -> str | None:
    """'12 times 7' as '12 * 7'; None if a word is not arithmetic."""
    text = re.sub(r"\b[a-z]+\b", lambda word: str(_NUMBERS.index(word[0])) if word[0] in _NUMBERS else word[0], spoken)
    for word, symbol in sorted(_OPERATORS.items(), key=lambda pair: -len(pair[0])):
        text = re.sub(rf"\b{word}\b", f" {symbol} ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text if text and re.fullmatch(r"[\d\s.()+*/-]+", text) and re.search(r"\d", text) else None


@cache
def _zones() -> dict[str, str]:
    """Each zone's city, as said ('new york'), to its IANA name; the shortest name wins ties."""
    found: dict[str, str] = {}
    for zone in sorted(available_timezones(), key=len, reverse=True):
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/")):
            found[zone.rsplit("/", 1)[1].replace("_", " ").lower()] = zone
    return found


def zone_of(place: str) -> str:
    """The IANA zone of a city said aloud ('Tokyo' -> 'Asia/Tokyo'), or the place as said."""
    said = place.strip().lower().removeprefix("the ")
    return _zones().get(said, said.title())
