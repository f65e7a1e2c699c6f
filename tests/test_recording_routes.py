"""Kept recordings through the backend's routes, with a real HTTP client, real databases (SQLite
and PostgreSQL, the project's migrations) and real WebM files: only the owner's pass sends or
plays one, and every host sharing the database reaches it."""

import contextvars
import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import av
import numpy as np
import pytest
import reflex as rx
import sqlmodel
from reflex.config import get_config
from starlette.testclient import TestClient

from tests.conftest import migrate
from voice_app import config
from voice_app.realtime import bounds
from voice_app.realtime.recording import PLAY, UPLOAD, make_pass
from voice_app.service import conversations, recording_routes, recordings
from voice_app.service.recording_tables import Recording, RecordingPass, SigningKey

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


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'recordings.db'}"
    else:
        url = request.getfixturevalue("postgresql").create_database("recordings")
    migrate(url)
    return url


@pytest.fixture
def http(database, tmp_path, monkeypatch):
    monkeypatch.setattr(get_config(), "db_url", database)
    configure(monkeypatch, APP_RECORDINGS_DIR=str(tmp_path / "host-a"))  # this host's own folders
    with rx.session() as session:  # each test counts its own recordings
        session.exec(sqlmodel.delete(Recording))
        session.commit()
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
    assert conversations.delete(OWNER, mine)  # as History's Delete does
    assert play(http, mine).status_code == 404
    with rx.session() as session:
        for table in (Recording, RecordingPass):
            assert session.exec(sqlmodel.select(table).where(table.conversation_id == mine)).all() == []


def test_an_upload_pass_opens_one_upload_and_the_recordings_have_a_size_limit(http, monkeypatch):
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


def _at_once(job, count: int) -> list:
    """`job(n)` for n in range(count), in threads that start together, each in the test's context
    (as asyncio.to_thread runs it: Reflex's config, the database's URL, is in it)."""
    together = threading.Barrier(count)

    def run(n):
        together.wait()
        return job(n)

    with ThreadPoolExecutor(count) as pool:
        return [future.result() for future in [pool.submit(contextvars.copy_context().run, run, n) for n in range(count)]]


def test_hosts_starting_together_agree_on_one_signing_key(http, database):
    with rx.session() as session:  # none made yet: each of them makes one, and one stays
        session.exec(sqlmodel.delete(SigningKey))
        session.commit()
    recordings._shared_secret.cache_clear()  # nor known to this process
    made = _at_once(lambda _n: recordings._shared_secret.__wrapped__(database), 8)
    assert len(set(made)) == 1 and len(made[0]) == 64


def test_a_recording_kept_through_one_host_plays_through_another(http, monkeypatch, tmp_path):
    mine, recording = conversation(), webm()
    assert send(http, mine, recording).status_code == 201
    token = make_pass(recordings.secret(), PLAY, OWNER, mine, time.time())  # host A's pass, for History's player
    configure(monkeypatch, APP_RECORDINGS_DIR=str(tmp_path / "host-b"))  # host B: its own folders, no secret set
    recordings._shared_secret.cache_clear()  # and its own process: the key comes from the database
    played = http.get("/recordings/play", params={"pass": token})
    assert played.status_code == 200 and played.content == recording


def test_a_player_seeks_by_byte_ranges(http):
    mine, recording = conversation(), webm()
    assert send(http, mine, recording).status_code == 201
    token, size = make_pass(recordings.secret(), PLAY, OWNER, mine, time.time()), len(recording)

    def played(asked: str):
        return http.get("/recordings/play", params={"pass": token}, headers={"Range": asked})

    middle = played("bytes=100-1099")
    assert middle.status_code == 206 and middle.content == recording[100:1100]
    assert middle.headers["content-range"] == f"bytes 100-1099/{size}" and middle.headers["content-length"] == "1000"
    assert played("bytes=-10").content == recording[-10:] and played(f"bytes={size - 5}-").content == recording[-5:]
    assert played(f"bytes={size}-").status_code == 416
    whole = played("bytes=0-1,5-6")  # several ranges at once: answered whole, as HTTP allows
    assert whole.status_code == 200 and whole.content == recording and whole.headers["accept-ranges"] == "bytes"


def test_the_caps_hold_when_many_recordings_are_kept_at_once(http, monkeypatch):
    monkeypatch.setattr(bounds, "MAX_RECORDINGS_PER_BROWSER", 2)
    recording, owner = webm(0.2), "c" * 64
    mine = [conversation(owner) for _ in range(6)]
    kept = _at_once(lambda n: recordings.store(owner, mine[n], "webm", recording), len(mine))
    assert kept.count("") == 2 and kept.count(recordings.BROWSER_FULL) == 4


def test_recordings_an_older_version_kept_as_files_are_moved_in_once(http, tmp_path):
    from voice_app.service import recording_import

    mine, gone, recording = conversation(), 999_998, webm(0.3)
    (tmp_path / "host-a" / OWNER).mkdir(parents=True)
    (tmp_path / "host-a" / OWNER / f"{mine}.webm").write_bytes(recording)
    (tmp_path / "host-a" / OWNER / f"{gone}.webm").write_bytes(recording)  # its conversation was deleted
    recording_import.moved_in()
    recording_import.moved_in()  # the next worker, or the next start: nothing more
    assert play(http, mine).content == recording
    assert [path.name for path in (tmp_path / "host-a" / OWNER).iterdir()] == [f"{gone}.webm"]
