"""HTTP byte ranges (RFC 9110, section 14), as a player asks for them to seek: pure."""

import re

_ONE = re.compile(r"bytes=(\d{0,15})-(\d{0,15})")  # one range; a list of several is answered whole
NOT_SATISFIABLE = "not satisfiable"


def byte_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """The (first, last) bytes, both included, that the Range `header` asks of `size` bytes; None
    for the whole (no header, or one this server does not honour, which HTTP allows it to ignore);
    NOT_SATISFIABLE when it asks for none of them."""
    found = _ONE.fullmatch((header or "").strip())
    if not found or found.groups() == ("", ""):
        return None
    first, last = found.groups()
    if not first:  # the last `last` bytes
        suffix = int(last)
        return (max(size - suffix, 0), size - 1) if suffix and size else NOT_SATISFIABLE
    start, end = int(first), min(int(last) if last else size - 1, size - 1)
    if last and int(last) < start:
        return None  # invalid: ignored, as HTTP says
    return (start, end) if start < size else NOT_SATISFIABLE
