"""A model past its shutdown day answers as the API answers it, on a simulator dated after it."""

from datetime import date

import httpx

from tests.simulator.client import Call, mint
from tests.simulator.schema import validate_server_event
from tests.simulator.servers import serve
from voice_app.simulator.app import create_app

AFTER_SHUTDOWNS = date(2027, 3, 1)  # gpt-realtime(-mini) shut down 2027-01-20, whisper-1 2027-02-26
GONE = "The model `{}` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations"


async def test_minting_a_shut_down_model_is_404_model_not_found():
    async with serve(create_app(today=lambda: AFTER_SHUTDOWNS)) as url:
        async with httpx.AsyncClient(base_url=url + "/v1", headers={"Authorization": "Bearer sk-test"}) as http:
            refused = await http.post(
                "/realtime/client_secrets", json={"session": {"type": "realtime", "model": "gpt-realtime-mini"}}
            )
            served = await http.post(
                "/realtime/client_secrets", json={"session": {"type": "realtime", "model": "gpt-realtime-2.1-mini"}}
            )
    assert refused.status_code == 404
    assert refused.json() == {
        "error": {
            "message": GONE.format("gpt-realtime-mini"),
            "type": "invalid_request_error",
            "param": None,
            "code": "model_not_found",
        }
    }
    assert served.status_code == 200


async def test_updating_to_a_shut_down_transcription_model_is_an_error_event():
    async with serve(create_app(today=lambda: AFTER_SHUTDOWNS)) as url:
        call = Call(url + "/v1")
        await call.start(await mint(url + "/v1"))
        try:
            await call.wait_for("session.created")
            call.send(
                "session.update", session={"type": "realtime", "audio": {"input": {"transcription": {"model": "whisper-1"}}}}
            )
            error = await call.wait_for("error")
            validate_server_event(error)
            assert error["error"]["code"] == "model_not_found" and error["error"]["message"] == GONE.format("whisper-1")
        finally:
            await call.close()
