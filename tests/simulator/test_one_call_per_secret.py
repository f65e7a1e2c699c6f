"""A client secret opens one call, as a page's ephemeral key should; the API key opens many."""

import openai
import pytest

from tests.simulator.client import Call, mint
from tests.simulator.sessions import close_checked, type_turn


async def test_a_second_call_with_the_same_secret_is_refused_and_the_first_goes_on(api_url):
    secret = await mint(api_url)
    first, second = Call(api_url), Call(api_url)
    try:
        await first.start(secret)
        async with openai.AsyncOpenAI(base_url=api_url, api_key=secret, max_retries=0) as page:
            with pytest.raises(openai.AuthenticationError) as refused:
                await page.realtime.calls.create(sdp=await second.offer())
        assert refused.value.status_code == 401 and refused.value.code == "invalid_api_key"
        assert refused.value.body["message"] == "This client secret has already been used to start a call: mint a new one."
        type_turn(first, "are you still there?")
        assert (await first.wait_for("response.done"))["response"]["status"] == "completed"
    finally:
        await second.close()
        await close_checked(first)


async def test_the_api_key_opens_any_number_of_calls(api_url):
    calls = [Call(api_url), Call(api_url)]
    try:
        async with openai.AsyncOpenAI(base_url=api_url, api_key="sk-test", max_retries=0) as server:
            for call in calls:
                await call.connect(
                    (await server.realtime.calls.create(sdp=await call.offer(), session={"type": "realtime"})).text
                )
        for call in calls:
            await call.wait_for("session.created")
    finally:
        for call in calls:
            await close_checked(call)
