"""A Responses API stream, as a Live session's Responses backend streams it inside `response.event`:
plain dicts shaped like `openai.types.responses.ResponseStreamEvent`, numbered in order."""

import time

from voice_app.live.events import ResponseEvent as R
from voice_app.simulator.config import new_id
from voice_app.simulator.events import tokens_of
from voice_app.simulator.live.events import pieces

CACHE_MIN, CACHE_STEP = 1024, 128  # prompt caching: prefixes of 1,024 tokens or more, in steps of 128


def _usage(prefix: str, text_in: str, text_out: str, cached: bool) -> dict:
    """`ResponseUsage`: the prompt's prefix (instructions and tools, the same in every request of a
    session) is written to the cache by the first request and read from it by the next ones."""
    cacheable = tokens_of(prefix) // CACHE_STEP * CACHE_STEP if tokens_of(prefix) >= CACHE_MIN else 0
    input_tokens, output_tokens = tokens_of(prefix) + tokens_of(text_in), tokens_of(text_out)
    details = {"cached_tokens": cacheable if cached else 0, "cache_write_tokens": 0 if cached else cacheable}
    return {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "total_tokens": input_tokens + output_tokens,
        "input_tokens_details": details,
        "output_tokens_details": {"reasoning_tokens": 0},
    }


class ResponseStream:
    """One response of the backend; `send` takes each event in turn."""

    def __init__(self, send, model: str, prefix: str = "", cached: bool = False) -> None:
        self.id = new_id("resp")
        self._send = send
        self._model = model
        self._prefix, self._cached = prefix, cached  # the prompt's fixed part, and whether it is cached already
        self._created_at = int(time.time())
        self._sequence = 0
        self.output_index = 0

    def _event(self, kind: str, **fields) -> None:
        self._send({"type": str(kind), "sequence_number": self._sequence, **fields})
        self._sequence += 1

    def snapshot(self, status: str, usage: dict | None = None) -> dict:
        """The response as its lifecycle events carry it over Live: no input, and instructions,
        tools and output cleared (the granular events carry the content)."""
        return {
            "id": self.id,
            "object": "response",
            "created_at": self._created_at,
            "model": self._model,
            "status": status,
            "output": [],
            "instructions": None,
            "tools": [],
            "tool_choice": "auto",
            "parallel_tool_calls": True,
            "error": None,
            "incomplete_details": None,
            "metadata": {},
            "usage": usage,
        }

    def created(self) -> None:
        self._event(R.CREATED, response=self.snapshot("in_progress"))

    def completed(self, text_in: str = "", text_out: str = "") -> None:
        self._event(R.COMPLETED, response=self.snapshot("completed", _usage(self._prefix, text_in, text_out, self._cached)))

    def function_call(self, name: str, arguments: str) -> str:
        """A call of the function `name`; returns its call_id."""
        item_id, call_id = new_id("fc"), new_id("call")
        item = {
            "id": item_id,
            "type": "function_call",
            "call_id": call_id,
            "name": name,
            "arguments": "",
            "status": "in_progress",
        }
        index = self._item(item)
        where = {"item_id": item_id, "output_index": index}
        self._event(R.FUNCTION_CALL_ARGUMENTS_DELTA, **where, delta=arguments)
        self._event(R.FUNCTION_CALL_ARGUMENTS_DONE, **where, arguments=arguments)  # the item names the tool
        self._event(R.OUTPUT_ITEM_DONE, output_index=index, item={**item, "arguments": arguments, "status": "completed"})
        return call_id

    def message(self, text: str) -> None:
        """An assistant message saying `text`, streamed in words."""
        item_id = new_id("msg")
        item = {"id": item_id, "type": "message", "role": "assistant", "status": "in_progress", "content": []}
        index = self._item(item)
        where = {"item_id": item_id, "output_index": index, "content_index": 0}
        part = {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
        self._event(R.CONTENT_PART_ADDED, **where, part=part)
        for word in pieces(text, len(text.split())):
            self._event(R.TEXT_DELTA, **where, delta=word, logprobs=[])
        self._event(R.TEXT_DONE, **where, text=text, logprobs=[])
        done = {**part, "text": text}
        self._event(R.CONTENT_PART_DONE, **where, part=done)
        self._event(R.OUTPUT_ITEM_DONE, output_index=index, item={**item, "status": "completed", "content": [done]})

    def _item(self, item: dict) -> int:
        index, self.output_index = self.output_index, self.output_index + 1
        self._event(R.OUTPUT_ITEM_ADDED, output_index=index, item=item)
        return index

    def mcp_list_tools(self, server_label: str, tools: list[dict], error: str | None) -> None:
        """A server's tools as the response lists them (McpListTools), or why they could not be."""
        item = {"id": new_id("mcpl"), "type": "mcp_list_tools", "server_label": server_label, "tools": []}
        where = {"item_id": item["id"], "output_index": self._item(item)}
        self._event(R.MCP_LIST_IN_PROGRESS, **where)
        self._event(R.MCP_LIST_FAILED if error else R.MCP_LIST_COMPLETED, **where)
        self._event(
            R.OUTPUT_ITEM_DONE,
            output_index=where["output_index"],
            item={**item, "tools": tools, **({"error": error} if error else {})},
        )

    def mcp_approval_request(self, server_label: str, name: str, arguments: str) -> str:
        """A call that waits for the client's approval (McpApprovalRequest); returns its id."""
        item = {
            "id": new_id("mcpr"),
            "type": "mcp_approval_request",
            "server_label": server_label,
            "name": name,
            "arguments": arguments,
        }
        self._event(R.OUTPUT_ITEM_DONE, output_index=self._item(item), item=item)
        return item["id"]

    def mcp_call_started(self, server_label: str, name: str, arguments: str, approval_request_id: str | None) -> dict:
        """An MCP call the backend makes now (McpCall): its arguments, then it runs; returns where it stands."""
        item = {
            "id": new_id("mcp"),
            "type": "mcp_call",
            "server_label": server_label,
            "name": name,
            "arguments": "",
            "approval_request_id": approval_request_id,
            "status": "in_progress",
        }
        where = {"item_id": item["id"], "output_index": self._item(item)}
        self._event(R.MCP_ARGUMENTS_DELTA, **where, delta=arguments)
        self._event(R.MCP_ARGUMENTS_DONE, **where, arguments=arguments)
        self._event(R.MCP_CALL_IN_PROGRESS, **where)
        return {**item, "arguments": arguments, "where": where}

    def mcp_call_done(self, started: dict, output: str | None, error: dict | None) -> None:
        where = started.pop("where")
        self._event(R.MCP_CALL_FAILED if error else R.MCP_CALL_COMPLETED, **where)
        item = {**started, "output": output, "error": error, "status": "failed" if error else "completed"}
        self._event(R.OUTPUT_ITEM_DONE, output_index=where["output_index"], item=item)
