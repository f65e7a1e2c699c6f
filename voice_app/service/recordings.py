"""Kept recordings: one file per conversation, under a folder per owner (the browser key's hash).

The folder is APP_RECORDINGS_DIR (config.py); several workers on one machine share it, and the
secret that signs passes (APP_RECORDING_SECRET, else a file made once in that folder), so a pass
one worker made opens the file on another. Blocking: called off the loop.
"""

import contextlib
import fcntl
import os
import secrets
from pathlib import Path

from voice_app import config
from voice_app.realtime.recording import MEDIA_TYPES, OWNER

SECRET_FILE = ".secret"
SPENT = ".passes"  # beside a recording: the upload passes spent on it
KEPT_PASSES = 100


def directory() -> Path:
    return config.CONFIG.app_recordings_dir.resolve()


def secret() -> bytes:
    if configured := config.CONFIG.app_recording_secret:
        return configured.encode()
    path = directory() / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Written whole under another name, then linked into place: a worker starting at the same
        # moment reads the first one's secret, whole, never an empty file.
        draft = path.with_name(f"{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
        with contextlib.suppress(FileExistsError):  # the first worker's stays
            os.link(draft, path)
        draft.unlink()
    return path.read_text().strip().encode()


def _file(owner: str, conversation_id: int, kind: str) -> Path:
    # Both parts are checked: a hex hash and a number, so no name can leave the owner's folder.
    if not OWNER.fullmatch(owner) or kind not in MEDIA_TYPES:
        raise ValueError("not an owner's recording")
    return directory() / owner / f"{int(conversation_id)}.{kind}"


def store(owner: str, conversation_id: int, kind: str, data: bytes) -> None:
    """The conversation's recording, replacing any earlier one (of either kind)."""
    path = _file(owner, conversation_id, kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_bytes(data)
    delete(owner, conversation_id)
    partial.replace(path)  # whole or not at all: a player never reads half a file


def find(owner: str, conversation_id: int) -> tuple[Path, str] | None:
    """The conversation's recording and its media type, if one is kept."""
    for kind, media_type in MEDIA_TYPES.items():
        path = _file(owner, conversation_id, kind)
        if path.is_file():
            return path, media_type
    return None


def claim(owner: str, conversation_id: int, upload_pass: str) -> bool:
    """Spend an upload pass (its signature) on this conversation: False if it was spent already.
    Under a lock on the file, so that two uploads with one pass cannot both get it."""
    spent = _file(owner, conversation_id, "webm").with_suffix(SPENT)
    spent.parent.mkdir(parents=True, exist_ok=True)
    with open(spent, "a+") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        file.seek(0)
        passes = file.read().split()
        if upload_pass in passes:
            return False
        file.seek(0)
        file.truncate()
        file.write("\n".join([*passes[-(KEPT_PASSES - 1) :], upload_pass]))  # older ones have expired long since
    return True


def total_bytes() -> int:
    """What all kept recordings take on disk."""
    folder = directory()
    return sum(path.stat().st_size for path in folder.glob("*/*") if path.suffix[1:] in MEDIA_TYPES) if folder.is_dir() else 0


def max_total_bytes() -> int:
    """APP_RECORDINGS_MAX_MB: past it, no more recordings are kept."""
    return config.CONFIG.app_recordings_max_mb * 1024 * 1024


def kept_besides(owner: str, conversation_id: int) -> int:
    """How many recordings the owner keeps with other conversations (a new one replaces this one's)."""
    folder = directory() / owner if OWNER.fullmatch(owner) else None
    if folder is None or not folder.is_dir():
        return 0
    return sum(1 for path in folder.iterdir() if path.suffix[1:] in MEDIA_TYPES and path.stem != str(int(conversation_id)))


def delete(owner: str, conversation_id: int) -> None:
    for kind in MEDIA_TYPES:
        _file(owner, conversation_id, kind).unlink(missing_ok=True)


def forget(owner: str, conversation_id: int) -> None:
    """The conversation is deleted: its recording, and the passes spent on it."""
    delete(owner, conversation_id)
    _file(owner, conversation_id, "webm").with_suffix(SPENT).unlink(missing_ok=True)
