"""A page's own content streams: which ones are usable, and whether their syntax ends cleanly.

The pack draws a page's content as a form XObject (see :mod:`.pages`), so a
content stream that ends inside a string cannot swallow the page number; this
module only finds such damage to report it. :func:`unterminated` is cheap on
the usual content (two byte counts) and tokenises only when those counts do
not rule the damage out.
"""

from __future__ import annotations

import re

_ESCAPED = re.compile(rb"\\.", re.S)
_WHITESPACE = b" \t\r\n\f\x00"
_DELIMITERS = b"()<>[]{}/%"
_INLINE_IMAGE_END = re.compile(rb"[ \t\r\n\f\x00]EI(?=[ \t\r\n\f\x00/\[<(%]|$)")


def unterminated(data: bytes) -> str | None:
    """What ``data`` (a page's whole content) ends inside of, or None when it ends cleanly:
    ``"a string"``, ``"a hexadecimal string"`` or ``"an inline image"``."""
    if not _maybe_unterminated(data):
        return None
    return _scan(data)


def _maybe_unterminated(data: bytes) -> bool:
    """False when ``data`` cannot end inside a string or an inline image.

    Every literal string has as many unescaped ``(`` as ``)``, hexadecimal strings
    and dictionaries as many ``<`` as ``>``, and the last ``ID`` (inline image data)
    is followed by an ``EI``; content where all of that holds ends cleanly (a
    comment could in theory hide an unbalanced bracket; :func:`_scan` settles doubt).
    """
    last_id = data.rfind(b"ID")
    while last_id > 0 and data[last_id - 1] not in _WHITESPACE:  # a name: /MCID in tagged content
        last_id = data.rfind(b"ID", 0, last_id)
    if last_id >= 0 and _INLINE_IMAGE_END.search(data, last_id) is None:
        return True
    if data.count(b"<") != data.count(b">"):
        return True
    if b"\\" in data:
        data = _ESCAPED.sub(b"", data)
    return data.count(b"(") != data.count(b")")


def _scan(data: bytes) -> str | None:
    """Tokenise ``data`` as far as strings, comments and inline images go."""
    i, end = 0, len(data)
    while i < end:
        c = data[i]
        if c == 0x28:  # (
            i = _string_end(data, i + 1)
            if i < 0:
                return "a string"
        elif c == 0x25:  # %
            while i < end and data[i] not in b"\r\n":
                i += 1
        elif c == 0x3C:  # <
            if data.startswith(b"<<", i):
                i += 2
                continue
            close = data.find(b">", i)
            if close < 0:
                return "a hexadecimal string"
            i = close + 1
        elif c in _WHITESPACE or c in _DELIMITERS:
            i += 1
        else:
            start = i
            while i < end and data[i] not in _WHITESPACE and data[i] not in _DELIMITERS:
                i += 1
            if data[start:i] == b"ID":
                found = _INLINE_IMAGE_END.search(data, i + 1)
                if found is None:
                    return "an inline image"
                i = found.end()
    return None


def _string_end(data: bytes, i: int) -> int:
    """The index after the literal string whose body starts at ``i``; -1 if it never ends."""
    depth, end = 1, len(data)
    while i < end:
        c = data[i]
        if c == 0x5C:  # backslash
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1
