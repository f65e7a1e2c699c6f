"""Tools through delegation, with the official SDK's sideband as the server: the user names a
function tool, the Responses backend calls it, the server answers with the output, and the
Live model speaks the backend's answer."""

import pytest
from openai.types.responses import ResponseUsage

from tests.simulator.live import TOOLS, Sideband, close_checked, faults, simulator, start, until

OUTPUT = '{"saved": true}'


def said(events: list[dict]) -> str:
    return "".join(e["delta"] for e in events if e["type"] == "session.output_transcript.delta")


def nested(events: list[dict]) -> list[dict]:
    return [e["event"] for e in events if e["type"] == "response.event"]


@pytest.mark.slow  # an answer spoken in real time
async def test_a_named_tool_is_delegated_and_its_output_is_spoken(speech_wav):
    async with simulator() as (url, client):
        await faults(url, session={"heard": ['remember {"note": "blue"}']})
        peer, session_id = await start(url, client, microphone=speech_wav, delegation=TOOLS)
        try:
            async with Sideband(client, session_id) as sideband:
                created = await sideband.wait_for("session.delegation.created", timeout=20)
                delegation = created["delegation"]
                assert (delegation["target"], delegation["type"]) == ("responses", "delegation")
                assert delegation["id"].startswith("del_") and delegation["response_id"].startswith("resp_")
                await until(lambda: "response.completed" in [e["type"] for e in nested(sideband.events)])
                call = nested(sideband.events)
                assert [e["type"] for e in call] == [
                    "response.created",
                    "response.output_item.added",
                    "response.function_call_arguments.delta",
                    "response.function_call_arguments.done",
                    "response.output_item.done",
                    "response.completed",
                ]
                assert call[0]["response"]["id"] == delegation["response_id"] and call[0]["response"]["status"] == "in_progress"
                item = call[4]["item"]
                assert (item["name"], item["arguments"], item["status"]) == ("remember", '{"note": "blue"}', "completed")
                assert item["id"].startswith("fc_") and item["call_id"].startswith("call_")
                assert all(e["delegation_id"] == delegation["id"] for e in sideband.events if e["type"] == "response.event")
                assert "session.output_transcript.delta" not in [e["type"] for e in sideband.events]  # nothing said yet

                await sideband.send(
                    type="response.item.create",
                    event_id="evt_wrong",
                    item={"type": "function_call_output", "call_id": "call_nope", "output": "x"},
                )
                refused = await sideband.wait_for("error")
                assert (refused["error"]["code"], refused["error"]["client_event_id"]) == ("invalid_value", "evt_wrong")
                await sideband.send(
                    type="response.item.create",
                    item={"type": "function_call_output", "call_id": item["call_id"], "output": OUTPUT},
                )
                await sideband.send(type="response.create")
                spoken = f"The tools returned: {OUTPUT}."
                await until(lambda: said(sideband.events) == spoken, what=spoken)
                answer = [e["type"] for e in nested(sideband.events)][6:]
                assert answer[:3] == ["response.created", "response.output_item.added", "response.content_part.added"]
                assert "response.output_text.delta" in answer and answer[-4:] == [
                    "response.output_text.done",
                    "response.content_part.done",
                    "response.output_item.done",
                    "response.completed",
                ]
                completed = nested(sideband.events)[-1]["response"]
                assert completed["status"] == "completed" and completed["usage"]["total_tokens"] > 0
                # Billed apart, as the package's Responses usage; the prompt's instructions and tools count as input.
                usage = ResponseUsage.model_validate(completed["usage"])
                assert usage.input_tokens > len(spoken) // 4 and usage.input_tokens_details.cache_write_tokens == 0
            assert "session.delegation.created" in peer.types()  # the page was allowed everything
        finally:
            await close_checked(peer)


async def test_responses_commands_need_responses_delegation_and_other_commands_are_taken():
    async with simulator() as (url, client):
        peer, session_id = await start(url, client)
        try:
            async with Sideband(client, session_id) as sideband:
                await sideband.send(type="session.instructions.append", instructions="Be terse.")
                await sideband.send(type="session.update", event_id="evt_0", session={"idle_timeout_s": 60})
                updated = await sideband.wait_for("session.updated")
                assert updated["client_event_id"] == "evt_0" and updated["session"]["id"] == session_id
                await sideband.send(type="response.create", event_id="evt_1")
                refused = await sideband.wait_for("error")
                assert refused["error"]["code"] == "responses_delegation_required"
                assert [e["type"] for e in sideband.events] == ["session.updated", "error"]
            peer.send("response.item.create", item={"type": "function_call_output", "call_id": "call_1", "output": "x"})
            assert (await peer.wait_for("error"))["error"]["code"] == "responses_delegation_required"
        finally:
            await close_checked(peer)
