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

HEARD_AT_MOST = 300  # characters of a turn the grammar reads: a long typed message costs no more
# Each pattern is tried once per turn and anchored at the turn's start (after a polite opening), so
# none can backtrack over a long text. The ear sometimes drops a first "what": it is optional.
_OPENING = r"^(?:(?:please|okay|ok|so|hey|and|now|tell me|can you tell me|could you tell me)[, ]+)*"
_TIME = re.compile(
    _OPENING + r"(?:what(?:'s| is)? )?(?:the )?time(?: is it)?(?: (?:right )?now)?"
    r"(?: in (?P<place>[a-z .'-]{1,40}?))?(?: (?:right )?now)?$"
)
_REMEMBER = re.compile(_OPENING + r"remember(?: that)?[, ]+(?P<note>.+)$")
_RECALL = re.compile(_OPENING + r"(?:what(?:'s| is) on (?:the|my) note ?pad|read (?:me )?(?:the|my) notes)$")
_CALCULATE = re.compile(_OPENING + r"(?:what(?:'s| is)|calculate|compute) (?P<sum>[-\d(a-z][\d .()+*/a-z-]*)$")
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
    said = re.sub(r"\s+", " ", words[:HEARD_AT_MOST]).strip().rstrip("?.!,")  # as said: notes keep their case
    for name in ("current_time", "remember", "recall", "calculate"):
        if name in tool_names and (understood := _asked(name, said, said.lower())) is not None:
            return [(name, understood)]
    return named  # a bare name: called with {}


def _asked(name: str, said: str, plain: str) -> str | None:
    """The arguments of `name` if `plain` (`said` in lower case) asks for it, else None."""
    if name == "current_time" and (match := _TIME.search(plain)):
        return json.dumps({"timezone": zone_of(match["place"]) if match["place"] else "UTC"})
    if name == "remember" and (match := _REMEMBER.search(plain)):
        return json.dumps({"note": said[match.start("note") :].strip()})
    if name == "recall" and _RECALL.search(plain):
        return "{}"
    if name == "calculate" and (match := _CALCULATE.search(plain)) and (expression := _symbols(match["sum"])):
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
