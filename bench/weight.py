"""Page weight: what a browser may download, as built by `reflex export`, against the baseline page."""

import gzip
from pathlib import Path

from bench.pages import HERE
from tests.conftest import ROOT

BUILD = ROOT / ".web" / "build" / "client"


def _sizes(files: list[Path]) -> tuple[int, int]:
    return sum(f.stat().st_size for f in files), sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)


def rows() -> list[str]:
    built = [f for f in BUILD.rglob("*") if f.is_file() and f.suffix != ".gz"]  # .gz: the same files, precompressed
    ours, baseline = _sizes(built), _sizes([HERE / "baseline.html"])
    return [
        f"| page weight, {label} | {o / 1024:.1f} kB | {b / 1024:.1f} kB | {o / b:.1f} |"
        for label, o, b in (("total", ours[0], baseline[0]), ("gzipped", ours[1], baseline[1]))
    ]
