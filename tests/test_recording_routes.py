"""Kept recordings through the backend's routes, with a real HTTP client, a real SQLite database
(the project's migrations) and real WebM files: only the owner's pass sends or plays one."""

import io
import time

import av
import numpy as np
import pytest
from reflex.config import get_config
from starlette.testclient import TestClient

from tests.conftest import migrate
from voice_app import config
from voice_app.realtime import bounds
from voice_app.realtime.recording import PLAY, UPLOAD, make_pass
from voice_app.service import conversations, recording_routes, recordings

OWNER, STRANGER = "a" * 64, "b" * 64
ENTRY = {"id": "item_1", "role": "user", "text": "Record this", "status": "done", "at": "2026-11-24T10:00:00+00:00"}


def webm(seconds: float = 1.0) -> bytes:
    """A real WebM/Opus file, as a browser's MediaRecorder makes."""
    buffer, rate = io.BytesIO(), 48_000
    with av.open(buffer, "w", format="webm") as out:
        stream = out.add_stream("libopus", rate=rate, layout="mono")
        tone = (np.sin(np.arange(int(rate * seconds)) * 2 * np.pi * 440 / rate) * 8000).astype(np.int16)
        for start in range(0, len(tone), 960):
            frame = av.AudioFrame.from_ndarray(tone[start : start + 960].reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate, frame.pts = rate, start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'recordings.db'}"
    migrate(url)
    return url


@pytest.fixture
def http(database, tmp_path, monkeypatch):
    monkeypatch.setattr(get_config(), "db_url", database)
    configure(monkeypatch, APP_RECORDINGS_DIR=str(tmp_path / "kept"))
    with TestClient(recording_routes.routes_app()) as client:
        yield client


def configure(monkeypatch, **variables):
    """The settings read at start, as these variables (and no others) would make them."""
    monkeypatch.setattr(config, "CONFIG", config.Config.from_environ(variables))


def conversation(owner: str = OWNER) -> int:
    return conversations.save(owner, None, [ENTRY], None, {"model": "m", "voice": "v"}, {})


def send(http, conversation_id: int, body: bytes, owner: str = OWNER, purpose: str = UPLOAD, later_s: int = 0):
    """With a new pass; `later_s`: made that much later (a pass made in the same second is the same pass)."""
    token = make_pass(recordings.secret(), purpose, owner, conversation_id, time.time() + later_s)
    return http.post("/recordings/upload", params={"pass": token}, content=body, headers={"Content-Type": "audio/webm"})


def play(http, conversation_id: int, owner: str = OWNER):
    return http.get(
        "/recordings/play", params={"pass": make_pass(recordings.secret(), PLAY, owner, conversation_id, time.time())}
    )


def test_a_kept_recording_plays_back_to_its_owner_only(http):
    mine, recording = conversation(), webm()
    assert send(http, mine, recording).status_code == 201
    played = play(http, mine)
    assert played.status_code == 200 and played.content == recording
    assert played.headers["content-type"] == "audio/webm" and "no-store" in played.headers["cache-control"]
    assert play(http, mine, owner=STRANGER).status_code == 404, "another browser's pass opens nothing"
    assert http.get("/recordings/play").status_code == 404
    assert http.get("/recordings/play", params={"pass": "play." + OWNER + f".{mine}.9999999999." + "0" * 64}).status_code == 404


def test_what_is_not_a_recording_of_ones_own_conversation_is_refused(http, monkeypatch):
    mine, theirs = conversation(), conversation(STRANGER)
    assert send(http, mine, b"<html>not audio</html>").status_code == 415
    assert send(http, mine, webm(), purpose=PLAY).status_code == 403, "a player's pass sends nothing"
    assert send(http, theirs, webm()).status_code == 404, "a pass for my owner names only my conversations"
    assert send(http, 999_999, webm()).status_code == 404
    assert http.post("/recordings/upload", params={"pass": "made-up"}, content=webm()).status_code == 403
    monkeypatch.setattr(bounds, "MAX_RECORDING_BYTES", 2_000)
    assert send(http, mine, webm()).status_code == 413
    assert play(http, mine).status_code == 404 and play(http, theirs, STRANGER).status_code == 404, "nothing was kept"


def test_a_browser_keeps_a_bounded_number_of_recordings(http, monkeypatch):
    monkeypatch.setattr(bounds, "MAX_RECORDINGS_PER_BROWSER", 2)
    first, second, third = conversation(), conversation(), conversation()
    assert send(http, first, webm()).status_code == 201 and send(http, second, webm()).status_code == 201
    refused = send(http, third, webm())
    assert refused.status_code == 409 and refused.json()["message"] == bounds.RECORDINGS_FULL
    assert send(http, second, webm(0.5), later_s=1).status_code == 201, "a conversation's recording may be replaced"
    assert send(http, conversation(STRANGER), webm(), owner=STRANGER).status_code == 201, "each browser has its own count"


def test_a_deleted_conversation_takes_its_recording_with_it(http):
    mine = conversation()
    assert send(http, mine, webm()).status_code == 201
    assert conversations.delete(OWNER, mine)
    recordings.forget(OWNER, mine)  # as History's Delete does after the conversation's rows
    assert play(http, mine).status_code == 404
    assert not any(recordings.directory().rglob("*.webm"))


def test_an_upload_pass_opens_one_upload_and_the_folder_has_a_size_limit(http, monkeypatch):
    mine = conversation()
    token = make_pass(recordings.secret(), UPLOAD, OWNER, mine, time.time())

    def upload():
        return http.post("/recordings/upload", params={"pass": token}, content=webm(), headers={"Content-Type": "audio/webm"})

    assert upload().status_code == 201
    again = upload()
    assert again.status_code == 409 and again.json()["message"] == recording_routes.USED, "a copied pass keeps no more"
    assert send(http, mine, webm(0.5), later_s=1).status_code == 201, "a new pass (the user kept it again) replaces it"
    assert upload().status_code == 409, "and the older pass is still spent"
    monkeypatch.setattr(config, "CONFIG", config.CONFIG.model_copy(update={"app_recordings_max_mb": 0}))
    full = send(http, conversation(), webm())
    assert full.status_code == 507 and full.json()["message"] == recording_routes.STORAGE_FULL


def test_workers_starting_together_read_one_whole_signing_secret(tmp_path, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    configure(monkeypatch, APP_RECORDINGS_DIR=str(tmp_path / "fresh"))
    with ThreadPoolExecutor(16) as pool:
        read = list(pool.map(lambda _: recordings.secret(), range(64)))
    assert len(set(read)) == 1 and len(read[0]) == 64
    assert [path.name for path in (tmp_path / "fresh").iterdir()] == [recordings.SECRET_FILE]  # no drafts left
