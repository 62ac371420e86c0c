"""Is a page's content all marked? Text and painted XObjects outside marked content.

A tagged PDF's page content is either real content, in a marked-content
sequence (``/P <</MCID 3>> BDC ... EMC``), or an artifact
(``/Artifact BMC ... EMC``). The pack claims PDF/UA only when that holds for
every page (:mod:`.structure`), so each tagged paper's page content is checked
here once: :func:`unmarked` counts the text-showing operators (``Tj``, ``TJ``,
``'``, ``"``) and XObject paints (``Do``) outside any marked-content sequence.

It is fast on the content LibreOffice and Word write (one operator a line,
strings short): strings, comments and inline images are cut out with
regular expressions and only the operators that matter are looked at. Content
it cannot read with certainty (a string nested deeper than one level of
parentheses, an unterminated string) gives None: not known to be marked.
"""

from __future__ import annotations

import re

_LITERAL = re.compile(rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)", re.S)
"""A literal string, with escapes and at most one level of nested parentheses."""
_HEX = re.compile(rb"<[0-9A-Fa-f\s]*>")
_COMMENT = re.compile(rb"%[^\r\n]*")
_INLINE_IMAGE = re.compile(rb"(?<![^\s\]>)])BI\b.*?[\s]ID[\s].*?[\s]EI(?![^\s/\[<(%])", re.S)
_OPERATORS = re.compile(rb"(?<![^\s()<>\[\]{}/%])(BDC|BMC|EMC|Tj|TJ|Do|'|\")(?![^\s()<>\[\]{}/%])")
_SHOW = frozenset({b"Tj", b"TJ", b"'", b'"', b"Do"})


def unmarked(data: bytes) -> int | None:
    """How many text-showing operators and XObject paints of ``data`` (decoded content) are
    outside marked content; None when the content cannot be read with certainty."""
    if b"(" in data:
        data = _LITERAL.sub(b"()", data)
        if data.count(b"(") != data.count(b")") or data.count(b"(") != data.count(b"()"):
            return None  # a string the expression could not match: deeper nesting, or damage
    if b"<" in data:
        data = _HEX.sub(b"<>", data)
    if b"%" in data:
        data = _COMMENT.sub(b"", data)
    if b"ID" in data:
        data = _INLINE_IMAGE.sub(b" ", data)
    depth = 0
    found = 0
    for operator in _OPERATORS.findall(data):
        if operator in _SHOW:
            if depth == 0:
                found += 1
        elif operator == b"EMC":
            depth = max(0, depth - 1)
        else:
            depth += 1
    return found
