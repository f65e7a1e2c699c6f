"""`conversation.item.retrieve` as the API answers it, with the official SDK as the server's own
connection to a WebRTC call: the item in full (`conversation.item.retrieved`), or the API's
`error` for an id the conversation does not hold."""

import openai
import pytest
from openai.types.realtime import ConversationItemRetrieveEvent

from tests.simulator.test_sideband import KEY, live_call, next_of, simulator  # noqa: F401  (the fixture)


@pytest.fixture
async def server(simulator):  # noqa: F811
    async with openai.AsyncOpenAI(base_url=simulator + "/v1", api_key=KEY, max_retries=0) as client:
        yield client


async def test_an_item_is_retrieved_whole_and_an_unknown_id_is_refused(simulator, server):  # noqa: F811
    call, call_id = await live_call(simulator)
    try:
        async with server.realtime.connect(call_id=call_id) as connection:
            call.send(
                "conversation.item.create",
                item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Said in the gap"}]},
            )
            added = await next_of(connection, "conversation.item.done")
            ConversationItemRetrieveEvent.model_validate({"type": "conversation.item.retrieve", "item_id": added.item.id})
            await connection.conversation.item.retrieve(item_id=added.item.id)
            retrieved = await next_of(connection, "conversation.item.retrieved")  # checked against the types
            assert retrieved.item == added.item

            await connection.conversation.item.retrieve(item_id="item_nowhere", event_id="retrieve_1")
            refused = (await next_of(connection, "error")).error
            assert (refused.type, refused.code, refused.event_id) == (
                "invalid_request_error",
                "item_retrieve_invalid_item_id",
                "retrieve_1",
            )
            assert refused.message == "Error retrieving item: the item with id 'item_nowhere' does not exist."
    finally:
        await call.close()
