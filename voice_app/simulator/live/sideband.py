"""The server's own connection to a Live session: a WebSocket at
`/v1/live/sessions/{session_id}/attach` with the API key (`client.live.sideband.connect(session_id=...)`).
It hears every server event from attach on, whatever the data channel may receive, and sends
`ConnectClientEvent`s into the session. Refused as the Realtime sideband is: 401 without the API
key, 404 for a session that is not live, 403 when the `refuse_attach` fault says so.

`?graceful_close=true` opts into a close frame after `session.closed` (SidebandConnectParams). The
API "may also enable this behavior by default", and the simulator does, unless the session's
`abrupt_end` fault says otherwise: then an attach that did not opt in is dropped with no frame."""

from starlette.websockets import WebSocket

from voice_app.simulator.errors import ApiError
from voice_app.simulator.keys import bearer, check_api_key, is_client_secret
from voice_app.simulator.live import client_events
from voice_app.simulator.sideband import _refuse as refuse
from voice_app.simulator.sideband import serve_attached


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
    graceful = websocket.query_params.get("graceful_close", "").lower() == "true"
    await serve_attached(
        websocket,
        sim,
        session,
        lambda text, reply: client_events.handle(session, text, reply, from_page=False),
        abrupt_end=session.faults.abrupt_end and not graceful,
    )
