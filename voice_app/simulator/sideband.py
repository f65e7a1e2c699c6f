"""The server's own connection to a WebRTC call (the "sideband"): a WebSocket at
`/v1/realtime?call_id=rtc_...` with the API key (`client.realtime.connect(call_id=...)`). It hears
every server event of the call, as the call's data channel does, and what it sends goes into the
same conversation (an item added here reaches the page as `conversation.item.added`).

Refused before it opens, with the HTTP status the API would give: 401 without the API key (a
client secret is for the browser's offer, not for this), 404 for a call that is not live, and
403 when the session's `refuse_attach` fault says so.
"""

import asyncio
import contextlib

from starlette.responses import JSONResponse
from starlette.websockets import WebSocket, WebSocketDisconnect

from voice_app.simulator.errors import ApiError
from voice_app.simulator.keys import bearer, check_api_key, is_client_secret

DENIAL = "websocket.http.response"  # the ASGI extension that lets a refused handshake carry a status


async def _refuse(websocket: WebSocket, error: ApiError) -> None:
    if DENIAL in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(JSONResponse(error.body(), status_code=error.status))
    else:
        await websocket.close(code=1008, reason=error.message[:120])  # the client sees a 403


def _call_for(websocket: WebSocket, sim, api_key: str | None):
    token = bearer(websocket)
    if is_client_secret(token):
        raise ApiError(401, "A client secret cannot attach to a call: use the API key.", code="invalid_api_key")
    check_api_key(token, api_key)
    call_id = websocket.query_params.get("call_id", "")
    call = sim.calls.get(call_id)
    if call is None:
        raise ApiError(404, f"Call '{call_id}' not found.", code="call_id_not_found")
    if call.faults.refuse_attach:
        raise ApiError(403, "Simulated refusal: this call cannot be attached to.", code="forbidden")
    return call


async def attach(websocket: WebSocket, sim, api_key: str | None) -> None:
    try:
        call = _call_for(websocket, sim, api_key)
    except ApiError as error:
        return await _refuse(websocket, error)
    await serve_attached(websocket, sim, call, lambda text, _reply: call.conversation.handle(text))


async def serve_attached(websocket: WebSocket, sim, target, handle, abrupt_end: bool = False) -> None:
    """An accepted attach, for a Realtime call or a GPT-Live session (`target`: its `listeners`,
    `ended`, `faults` and `attach_dropped`): every server event out, each client event to
    `handle(text, reply)`, until the call ends (close 1000; with `abrupt_end`, the socket is dropped
    with no close frame) or the drop_attach_after fault drops the first attach (1011)."""
    await websocket.accept()
    outbox: asyncio.Queue[str] = asyncio.Queue()
    target.listeners.append(outbox.put_nowait)
    sim.attached += 1

    async def send():
        while True:
            await websocket.send_text(await outbox.get())

    async def receive():
        try:
            while True:
                handle(await websocket.receive_text(), outbox.put_nowait)
        except WebSocketDisconnect:
            pass

    async def ended():
        await target.ended.wait()
        while not outbox.empty():  # the last events go out before the socket closes
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)  # the last one may still be on its way out

    drop = None if target.attach_dropped else target.faults.drop_attach_after  # the first attach only
    tasks = [
        asyncio.create_task(send()),
        asyncio.create_task(receive()),
        asyncio.create_task(ended()),
        *([asyncio.create_task(asyncio.sleep(drop))] if drop is not None else []),
    ]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        target.attach_dropped = target.attach_dropped or (drop is not None and tasks[-1] in done)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        target.listeners.remove(outbox.put_nowait)
        sim.attached -= 1
        # With abrupt_end, the app returns unclosed: the server (uvicorn) drops the connection.
        if not (abrupt_end and target.ended.is_set()):
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):  # the client had gone already
                await websocket.close(code=1000 if target.ended.is_set() else 1011)
