"""Whole numbers as others write them (a browser's storage, a page's event, a saved entry). Pure."""

import re

_DIGITS = re.compile(r"0|[1-9][0-9]*")  # not \d, isdigit() or isdecimal(): they take "٣" and "²" ("²" then breaks int())


def whole_number(text, largest: int) -> int | None:
    """`text` as a number from 0 to `largest` when it is ASCII digits alone, else None: no sign, no
    space (int() takes " 7" and "-1"), no other script's digits, no leading zero (one number, one
    spelling: ids are compared as text too), nothing longer than `largest`."""
    if not isinstance(text, str) or len(text) > len(str(largest)) or not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if number <= largest else None


LARGEST_LENGTH = 2**63 - 1  # a body's declared length (Content-Length), as servers take it


def declared_length(headers) -> int | None:
    """A request's Content-Length, when it is one ("²" is not: int() raises)."""
    return whole_number(headers.get("content-length"), LARGEST_LENGTH)
