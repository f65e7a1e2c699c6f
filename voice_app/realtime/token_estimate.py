"""How many tokens a text may take, counted high for every writing system. Pure.

The app has no tokenizer (the models' are not published for GPT-Live, and a library that fetches
vocabulary files at run time does not work offline), and "four characters a token" holds for
English only: Chinese or Japanese run about one token a character, so a history measured that way
sends about three times what it was given room for. What is known is counted as it runs; what is
not, at its worst case:

- ASCII letters and whitespace: three characters a token. English prose runs four to five, code
  and other Latin-script languages three to four.
- Other ASCII (digits, punctuation, symbols): a token each. Tokenizers split where a character's
  class changes and numbers into groups of at most three, so a list of numbers or a line of code
  runs near a token for every one or two of these; in prose they are few.
- Scripts the models' vocabularies hold densely, a token a character at most: accented Latin
  (Latin-1 and Latin Extended-A/B), Greek, Cyrillic, and the everyday CJK ranges (CJK
  punctuation, kana, unified ideographs, Hangul syllables, full-width forms). Common words in
  these merge to fewer tokens than characters; rare ideographs split, and the common ones around
  them pay for it.
- Everything else, whose coverage is unknown (Arabic, Hebrew, Indic and Southeast Asian scripts,
  rare CJK, combining marks, emoji and all characters beyond the Basic Multilingual Plane): its
  UTF-8 bytes, 2 to 4 a character. A byte-level tokenizer never needs more tokens than bytes, so
  this is a bound, not a guess.

A long run of random letters (keys, encodings) can still beat three a token; the budgets this
feeds keep a margin for that.
"""

_DENSE = ((0x00A0, 0x024F), (0x0370, 0x04FF), (0x3000, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xFF00, 0xFFEF))


def _thirds(char: str) -> int:
    """What a character costs, in thirds of a token (whole numbers: no rounding drift)."""
    code = ord(char)
    if code < 0x80:
        return 1 if char.isalpha() or char.isspace() else 3
    if any(low <= code <= high for low, high in _DENSE):
        return 3
    return 3 * (2 if code < 0x800 else 3 if code < 0x10000 else 4)  # its UTF-8 length


def estimated_tokens(text: str) -> int:
    """At least as many tokens as `text` takes, in any writing system (see the module's notes)."""
    return -(-sum(map(_thirds, text)) // 3)
