"""A worker holding one call and nothing else, to be killed (tests/test_takeover.py):
`python -m tests.call_holder_child CALL_ID MARK`, with REFLEX_REDIS_URL, REFLEX_DB_URL,
OPENAI_API_KEY and OPENAI_BASE_URL (a standalone simulator) in its environment. Its page is a
stand-in that lets the server's tools run."""

import asyncio
import sys

from voice_app.realtime.tools import ToolContext
from voice_app.service.call_holder import Holder
from voice_app.service.call_leases import HeldCall

SETTINGS = {"model": "gpt-realtime-2.1"}


class StandInPage:
    """The page's states, as far as a holder needs them: every tool may run; what it is told is kept."""

    def __init__(self):
        self.told: list[tuple] = []
        self.shown: list[str] = []  # the ids of the items the page showed, in order

    async def item_ids(self, call_id):
        return list(self.shown)

    async def attached(self, call_id):
        self.told.append(("attached", call_id))

    async def bound(self, call_id):
        return True

    async def lost(self, call_id, live, why):
        self.told.append(("lost", why))

    async def asked(self, request):
        self.told.append(("asked", request["id"]))

    async def answered(self, request_id, approve, sent):
        self.told.append(("answered", request_id, sent))

    async def call_over(self):
        self.told.append(("call_over",))

    async def tool_started(self, call_id, name):
        return ToolContext(notes={}), True

    async def tool_finished(self, call_id, result, context):
        self.told.append(("tool_finished", result.output))

    async def saved(self, conversation_id, problem):
        self.told.append(("saved", conversation_id, problem))


def held_call(call_id: str, mark: str) -> HeldCall:
    return HeldCall(call_id, False, "token", "owner", "", SETTINGS, "slot", mark)


if __name__ == "__main__":
    asyncio.run(Holder(StandInPage(), held_call(sys.argv[1], sys.argv[2])).hold())
