"""What the simulated model answers to the conversation so far. It has no model: it says back
what it heard or read, reports tool outputs, and calls the tools a turn asks for (the grammar of
speech/grammar.py). Speech is answered once the ear has heard it (speech/), or, with the ear off,
played back."""

import asyncio
from collections.abc import Awaitable

import numpy as np

from voice_app.simulator import mcp_calls
from voice_app.simulator.answer import Reply
from voice_app.simulator.items import images_in, text_of
from voice_app.simulator.speech import grammar
from voice_app.simulator.tool_calls import preamble, requested_calls
from voice_app.simulator.vad import RATE

# A typed or spoken turn containing this gets the user's earlier words back: a way to see what
# the session holds (say, that a new call was given the conversation so far).
RECALL = "what do you remember"
NO_MODEL = "This is the local simulator: there is no model here"


def voiced(text: str) -> Reply:
    """A reply in words, said in the session's voice (a chime when the simulator cannot speak)."""
    return Reply(text, None)


def reply_to(conversation) -> Reply | Awaitable[Reply]:
    """The reply, or for speech still being heard, a coroutine that gives it once heard."""
    c = conversation
    last_id = c.last_item_id()
    if c.last_audio is not None and c.last_audio[0] == last_id:
        return to_speech(c, last_id, c.last_audio[1])  # answering speech committed by push-to-talk
    last = c.items.get(last_id or "", {})
    words = text_of(last)
    if last.get("role") == "user" and (asked := to_words(c, words, last_id)) is not None:
        return asked
    if last.get("type") == "mcp_approval_response":
        return _approval_answered(c, last)
    if last.get("role") == "user" and (shown := images_in([last])):
        sizes = " and ".join(f"{w}×{h}" for (w, h), _ in shown)
        return voiced(f"I see an image of {sizes} pixels. This is the local simulator: it cannot say what is in it.")
    if last.get("type") == "function_call_output":
        outputs = "; ".join(_trailing_tool_outputs(c.items))
        return voiced(f"The tools returned: {outputs}. {NO_MODEL}.")
    if words:
        return voiced(f'You wrote "{words}". {NO_MODEL}, so it repeats you.')
    return voiced("Hello! This is the local Realtime API simulator.")


def to_words(c, words: str, item_id: str | None) -> Reply | None:
    """The reply to a user's words that ask for something: what it remembers, or tool calls."""
    if RECALL in words.lower():  # before tools: one is called "remember"
        return voiced(recollection(c.items, item_id))
    names = c.session.function_names if c.session.tool_choice != "none" else []
    calls = grammar.calls(words, names)
    mcp = mcp_calls.requests_in(c, words, requested_calls) if c.session.tool_choice != "none" else []
    if not (calls or mcp):
        return None
    said = preamble(words, names + [request.name for request in mcp])
    reply = voiced(said) if said else Reply("", np.zeros(0, np.int16))
    reply.calls, reply.mcp = calls, mcp
    return reply


def to_speech(c, item_id: str, audio: np.ndarray) -> Reply | Awaitable[Reply]:
    """Speech is answered by what the ear heard in it; with the ear off, by playing it back."""
    hearing = c.hearing.get(item_id)
    return echo(audio) if hearing is None else _heard(c, item_id, audio, hearing)


async def _heard(c, item_id: str, audio: np.ndarray, hearing: asyncio.Future) -> Reply:
    words = await asyncio.shield(hearing)  # a cancelled answer leaves the hearing to its transcript
    if words is None:  # not heard after all
        return echo(audio)
    reply = to_words(c, words, item_id) or voiced(said_back(words, audio))
    reply.audio_in_s = audio.size / RATE
    return reply


def echo(audio: np.ndarray) -> Reply:
    """The answer to speech when the ear is off: the speech itself, played back."""
    return Reply(f"{played_back(audio)} {NO_MODEL}.", audio, audio_in_s=audio.size / RATE)


def played_back(audio: np.ndarray) -> str:
    return f"I heard {audio.size / RATE:.1f} seconds of speech and played it back to you."


def no_words(audio: np.ndarray) -> str:
    return f"I heard {audio.size / RATE:.1f} seconds of sound but no words in it."


def said_back(words: str, audio: np.ndarray) -> str:
    return f'You said: "{words}".' if words else f"{no_words(audio)} {NO_MODEL}."


def _approval_answered(c, response: dict) -> Reply:
    """The user approved a call (it is made now, by the API) or declined it (it is not)."""
    request = mcp_calls.answered(c, response)
    if request is None:
        return voiced(mcp_calls.DECLINED)
    return Reply("", np.zeros(0, np.int16), mcp=[request])


def recollection(items: dict[str, dict], asking_id: str | None) -> str:
    """The simulator's memory, in words: the user's earlier texts it holds, in order."""
    said = [
        text_of(item) for item_id, item in items.items() if item_id != asking_id and item.get("role") == "user" and text_of(item)
    ]
    if not said:
        return "I remember nothing from before this."
    return f"I remember you said: {' | '.join(said)}."


def _trailing_tool_outputs(items: dict[str, dict]) -> list[str]:
    outputs = []
    for item in reversed(items.values()):
        if item.get("type") != "function_call_output":
            break
        outputs.append(item.get("output", ""))
    return outputs[::-1]
