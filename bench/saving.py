"""Saving a conversation: the time to save entry 5 against entry 500, side by side, as a ratio.

    scripts/in-netns .venv/bin/python -m bench.saving [--runs 50]

On a throwaway SQLite file with the project's migrations. Conversations of N - 1 entries are saved
first; then the save that adds entry N (what the app does when an entry settles) is timed.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from reflex import model
from reflex.config import get_config

from voice_app.realtime import catalog
from voice_app.service import conversations

SETTINGS = {"model": catalog.DEFAULT_MODEL, "voice": catalog.DEFAULT_VOICE}


def _entry(number: int) -> dict:
    return {
        "id": f"item_{number}",
        "role": "user" if number % 2 else "assistant",
        "text": f"Entry {number} " * 20,
        "status": "done",
        "at": "2026-11-24T10:00:00+00:00",
    }


def _ready(number: int, runs: int) -> tuple[list[dict], list[int]]:
    """`runs` saved conversations of `number` - 1 entries, and the entries with entry `number`."""
    entries = [_entry(n) for n in range(1, number + 1)]
    return entries, [conversations.save("bench", None, entries[:-1], None, SETTINGS, {}) for _ in range(runs)]


def _save_last(entries: list[dict], conversation_id: int) -> float:
    started = time.perf_counter()
    conversations.save("bench", conversation_id, entries, {entries[-1]["id"]}, SETTINGS, {})
    return (time.perf_counter() - started) * 1000


def _saving(sizes: tuple[int, ...], runs: int) -> list[float]:
    """The median time, in ms, of saving entry N for each N; the sizes take turns, so that
    whatever the disk is doing weighs on each alike."""
    ready = [_ready(number, runs) for number in sizes]
    times: list[list[float]] = [[] for _ in sizes]
    for run in range(runs):
        for (entries, ids), taken in zip(ready, times, strict=True):
            taken.append(_save_last(entries, ids[run]))
    return [statistics.median(taken) for taken in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        get_config().db_url = f"sqlite:///{Path(directory) / 'saving.db'}"
        with model.get_engine().connect() as connection:
            model._alembic_upgrade(connection)
            connection.commit()
        fifth, five_hundredth = _saving((5, 500), args.runs)
    print("| save | median |\n|---|---|")
    print(f"| entry 5 | {fifth:.2f} ms |\n| entry 500 | {five_hundredth:.2f} ms |")
    print(f"| ratio (500 / 5) | {five_hundredth / fifth:.2f} |")


if __name__ == "__main__":
    main()
