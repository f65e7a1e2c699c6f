"""Recordings an older version kept as files (APP_RECORDINGS_DIR/<owner hash>/<conversation>.webm|ogg)
moved into the database once, as the backend starts: each file goes when its row is in, so doing it
again (another worker, the next start) moves only what is left. Blocking: called off the loop."""

from datetime import UTC, datetime
from pathlib import Path

import reflex as rx
import sqlalchemy.exc

from voice_app import config
from voice_app.realtime.recording import MEDIA_TYPES, OWNER
from voice_app.service import conversations
from voice_app.service.logs import get_logger
from voice_app.service.recording_tables import Recording


def _files(folder: Path) -> list[tuple[Path, str, int, str]]:
    """Each old recording with its owner, conversation and kind; other names are no recordings."""
    found = []
    for path in folder.glob("*/*") if folder.is_dir() else []:
        kind = path.suffix[1:]
        if OWNER.fullmatch(path.parent.name) and path.stem.isdigit() and kind in MEDIA_TYPES and path.is_file():
            found.append((path, path.parent.name, int(path.stem), kind))
    return found


def _moved(path: Path, owner: str, conversation_id: int, kind: str) -> bool:
    if not conversations.owns(owner, conversation_id):
        return False  # its conversation is gone: the file stays for whoever runs the app to remove
    data = path.read_bytes()
    with rx.session() as session:
        session.add(
            Recording(
                conversation_id=conversation_id,
                owner=owner,
                media_type=MEDIA_TYPES[kind],
                size=len(data),
                data=data,
                kept_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
            )
        )
        try:
            session.commit()
        except sqlalchemy.exc.IntegrityError:
            pass  # in already (a worker beside this one, or a start that stopped before removing the file)
    path.unlink(missing_ok=True)
    return True


def moved_in() -> None:
    """The old folder's recordings, moved in; the rest of the folder is left, and said."""
    folder = config.CONFIG.app_recordings_dir.resolve()
    try:
        files = _files(folder)
        moved = sum(_moved(*found) for found in files)
    except OSError as error:  # the folder's trouble, not the database's: the app runs on without them
        get_logger().warning("recordings in APP_RECORDINGS_DIR not moved into the database (%s)", type(error).__name__)
        return
    if files:
        get_logger().info(
            "recordings moved into the database: %s of %s in APP_RECORDINGS_DIR (the rest belong to deleted "
            "conversations); the folder is no longer used and may be removed",
            moved,
            len(files),
        )
