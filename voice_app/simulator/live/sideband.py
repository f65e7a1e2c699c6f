"""The server's own connection to a Live session: a WebSocket at
`/v1/live/sessions/{session_id}/attach` with the API key (`client.live.sideband.connect(session_id=...)`).
It hears every server event from attach on, whatever the data channel may receive, and sends
`ConnectClientEvent`s into the session. Refused as the Realtime sideband is: 401 without the API
key, 404 for a session that is not live, 403 when the `refuse_attach` fault says so."""

import asyncio

from starlette.websockets import WebSocket, WebSocketDisconnect

from voice_app.simulator.errors import ApiError
from voice_app.simulator.keys import bearer, check_api_key, is_client_secret
from voice_app.simulator.live import client_events
from voice_app.simulator.sideband import _refuse as refuse


def _session_for(websocket: WebSocket, sessions: dict, api_key: str | None):
    token = bearer(websocket)
    if is_client_secret(token):
        raise ApiError(401, "A client secret cannot attach to a session: use the API key.", code="invalid_api_key")
    check_api_key(token, api_key)
    session_id = websocket.path_params["session_id"]
    session = sessions.get(session_id)
    if session is None:
        raise ApiError(404, f"Live session '{session_id}' not found.", code="session_not_found")
    if session.faults.refuse_attach:
        raise ApiError(403, "Simulated refusal: this session cannot be attached to.", code="forbidden")
    return session


async def attach(websocket: WebSocket, sim, api_key: str | None) -> None:
    try:
        session = _session_for(websocket, sim.live_sessions, api_key)
    except ApiError as error:
        return await refuse(websocket, error)
    await websocket.accept()
    outbox: asyncio.Queue[str] = asyncio.Queue()
    session.listeners.append(outbox.put_nowait)
    sim.attached += 1

    async def send():
        while True:
            await websocket.send_text(await outbox.get())

    async def receive():
        try:
            while True:
                client_events.handle(session, await websocket.receive_text(), outbox.put_nowait, from_page=False)
        except WebSocketDisconnect:
            pass

    async def ended():
        await session.ended.wait()
        while not outbox.empty():  # session.closed goes out before the socket closes
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)  # the last one may still be on its way out

    drop = None if session.attach_dropped else session.faults.drop_attach_after
    tasks = [asyncio.create_task(send()), asyncio.create_task(receive()), asyncio.create_task(ended()),
             *([asyncio.create_task(asyncio.sleep(drop))] if drop is not None else [])]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        session.attach_dropped = session.attach_dropped or (drop is not None and tasks[-1] in done)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        session.listeners.remove(outbox.put_nowait)
        sim.attached -= 1
        try:
            await websocket.close(code=1000 if session.ended.is_set() else 1011)
        except (RuntimeError, WebSocketDisconnect):
            pass  # the client had gone already
