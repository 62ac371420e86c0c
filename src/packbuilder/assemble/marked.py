"""Is a page's content all marked? Text and painted images outside marked content.

A tagged PDF's page content is either real content, in a marked-content
sequence (``/P <</MCID 3>> BDC ... EMC``), or an artifact
(``/Artifact BMC ... EMC``). The pack claims PDF/UA only when that holds for
every page (:mod:`.structure`), so each tagged paper's page content is checked
here once: :func:`unmarked` counts the text-showing operators (``Tj``, ``TJ``,
``'``, ``"``) and images painted (``Do``) outside any marked-content sequence; a
form XObject painted there counts what its own content leaves unmarked
(:func:`content_unmarked`, which finds the forms in the page's resources).

It is fast on the content LibreOffice and Word write (one operator a line,
strings short): strings, comments and inline images are cut out with
regular expressions and only the operators that matter are looked at. Content
it cannot read with certainty (a string nested deeper than one level of
parentheses, an unterminated string) gives None: not known to be marked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..inputs.pdfread import READ_ERRORS
from .objects import resolve

_LITERAL = re.compile(rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)", re.S)
"""A literal string, with escapes and at most one level of nested parentheses."""
_HEX = re.compile(rb"<[0-9A-Fa-f\s]*>")
_COMMENT = re.compile(rb"%[^\r\n]*")
_INLINE_IMAGE = re.compile(rb"(?<![^\s\]>)])BI\b.*?[\s]ID[\s].*?[\s]EI(?![^\s/\[<(%])", re.S)
_DELIMITED = rb"(?<![^\s()<>\[\]{}/%])"
_OPERATORS = re.compile(
    _DELIMITED
    + rb"(?:/([^\s()<>\[\]{}/%]+)\s+Do|(BDC|BMC|EMC|Tj|TJ|'|\"))"
    + rb"(?![^\s()<>\[\]{}/%])"
)
"""A paint (its XObject's name) or another operator that matters."""
_SHOW = frozenset({b"Tj", b"TJ", b"'", b'"'})
MAX_FORM_DEPTH = 8

Paint = Callable[[bytes], "int | None"]
"""How many unmarked items painting the XObject of this name adds (None: unknown)."""


def unmarked(data: bytes, paint: Paint | None = None) -> int | None:
    """How many text-showing operators and XObject paints of ``data`` (decoded content) are
    outside marked content; None when the content cannot be read with certainty.

    A paint outside marked content counts ``paint(name)`` (by default 1)."""
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
    for xobject, operator in _OPERATORS.findall(data):
        if xobject:
            if depth == 0:
                added = paint(xobject) if paint is not None else 1
                if added is None:
                    return None
                found += added
        elif operator in _SHOW:
            if depth == 0:
                found += 1
        elif operator == b"EMC":
            depth = max(0, depth - 1)
        else:
            depth += 1
    return found


def content_unmarked(data: bytes, resources: Any, depth: int = 0) -> int | None:
    """:func:`unmarked` for content drawn with ``resources`` (a pypdf dictionary): a form
    painted outside marked content counts its own unmarked text and paints, an image 1."""

    def paint(name: bytes) -> int | None:
        try:
            xobjects = resolve(dict.get(resolve(resources) or {}, "/XObject"))
            xobject = resolve(dict.get(xobjects or {}, "/" + name.decode("latin-1")))
            subtype = dict.get(xobject, "/Subtype") if isinstance(xobject, dict) else None
            if subtype != "/Form":
                return 1
            if depth >= MAX_FORM_DEPTH:
                return None
            inner = xobject.get_data()
            return content_unmarked(inner, dict.get(xobject, "/Resources"), depth + 1)
        except READ_ERRORS:
            return None

    return unmarked(data, paint)
