"""What the simulated model answers to the conversation so far: it has no model, so it
echoes speech, repeats text, reports tool outputs, or calls the tools a typed turn names."""

from voice_app.simulator import mcp_calls
from voice_app.simulator.answer import Reply
from voice_app.simulator.items import images_in, text_of
from voice_app.simulator.speaker import tone
from voice_app.simulator.tool_calls import preamble, requested_calls
from voice_app.simulator.turns import echo

# A typed or spoken turn containing this gets the user's earlier words back: a way to see what
# the session holds (say, that a new call was given the conversation so far).
RECALL = "what do you remember"


def chimed(text: str) -> Reply:
    """A reply in words, voiced by a chime about as long as saying them would take."""
    return Reply(text, tone(min(6.0, max(1.0, 0.25 * len(text.split())))))


def reply_to(conversation) -> Reply:
    c = conversation
    last_id = c.last_item_id()
    if c.last_audio is not None and c.last_audio[0] == last_id:
        return echo(c.last_audio[1])  # answering speech committed by push-to-talk
    last = c.items.get(last_id or "", {})
    words = text_of(last)
    if last.get("role") == "user" and RECALL in words.lower():  # before tools: one is called "remember"
        return chimed(recollection(c.items, last_id))
    if last.get("type") == "mcp_approval_response":
        return _approval_answered(c, last)
    names = c.session.function_names if c.session.tool_choice != "none" else []
    calls = requested_calls(words, names) if last.get("role") == "user" else []
    mcp = (
        mcp_calls.requests_in(c, words, requested_calls) if last.get("role") == "user" and c.session.tool_choice != "none" else []
    )
    if calls or mcp:
        said = preamble(words, names + [request.name for request in mcp])
        reply = chimed(said) if said else Reply("", tone(0))
        reply.calls, reply.mcp = calls, mcp
        return reply
    if last.get("role") == "user" and (shown := images_in([last])):
        sizes = " and ".join(f"{w}×{h}" for (w, h), _ in shown)
        return chimed(f"I see an image of {sizes} pixels. This is the local simulator: it cannot say what is in it.")
    if last.get("type") == "function_call_output":
        outputs = "; ".join(_trailing_tool_outputs(c.items))
        return chimed(f"The tools returned: {outputs}. This is the local simulator: there is no model here.")
    if words:
        return chimed(f'You wrote "{words}". This is the local simulator: there is no model here, so it repeats you.')
    return chimed("Hello! This is the local Realtime API simulator.")


def _approval_answered(c, response: dict) -> Reply:
    """The user approved a call (it is made now, by the API) or declined it (it is not)."""
    request = mcp_calls.answered(c, response)
    if request is None:
        return chimed(mcp_calls.DECLINED)
    return Reply("", tone(0), mcp=[request])


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
