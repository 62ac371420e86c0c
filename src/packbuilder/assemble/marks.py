"""Exempt information on the page: the NOT FOR PUBLICATION mark and the placeholder page.

Arithmetic on numbers and bytes, as :mod:`.stamp` (whose font, Helvetica widths
and text encoding they share):

* :func:`head_content`: one line at the head of a page as displayed
  (``/Rotate``, ``/UserUnit`` and offset boxes taken into account, as the foot
  stamp), in dark red, made smaller on a narrow page so it fits, in the top
  margin where it covers as little as can be; marked as a pagination artifact
  (``/Artifact`` marked content), like a running header;
* :func:`text_page_content`: a generated A4 page of :class:`TextBlock`
  paragraphs, wrapped to the width (the public pack's placeholder page);
* :func:`page_labels`: the ``/PageLabels`` number tree for pages whose printed
  numbers are not simply their positions (a placeholder is labelled
  ``45 - 52``, the next page ``53``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pypdf.generic import NameObject

from .objects import literal, name, number
from .spec import PageNumber, TextBlock
from .stamp import A4, STAMP_FONT_NAME, Geometry, Matrix, encode

HEAD_FONT_SIZE = 9.0
HEAD_MIN_FONT_SIZE = 5.0
HEAD_BASELINE = 25.5
"""The mark's baseline sits 0.9 cm below the displayed top edge: above the usual 2 cm margin."""
HEAD_SIDE_MARGIN = 18.0
MARK_COLOUR = b"0.7 0 0"
"""Dark red: 7:1 contrast on white."""
PAGE_MARGIN = 72.0
LEADING = 1.3


def head_size(text: str, width: float) -> float:
    """The font size at which ``text`` fits a page ``width`` points wide (at most 9 pt)."""
    _encoded, natural = encode(text, HEAD_FONT_SIZE)
    room = max(width - 2 * HEAD_SIDE_MARGIN, 1.0)
    if natural <= room:
        return HEAD_FONT_SIZE
    return max(HEAD_MIN_FONT_SIZE, HEAD_FONT_SIZE * room / natural)


def head_matrix(g: Geometry, width: float) -> Matrix:
    """The text matrix that centres a ``width`` wide line at the head of the page as shown."""
    s = 1 / g.unit
    xc, yc = (g.x0 + g.x1) / 2, (g.y0 + g.y1) / 2
    off, half = HEAD_BASELINE * s, width * s / 2
    if g.rotate == 90:
        return (0, s, -s, 0, g.x0 + off, yc - half)
    if g.rotate == 180:
        return (-s, 0, 0, -s, xc + half, g.y0 + off)
    if g.rotate == 270:
        return (0, -s, s, 0, g.x1 - off, yc + half)
    return (s, 0, 0, s, xc - half, g.y1 - off)


def displayed_width(g: Geometry) -> float:
    """The width of the page as displayed, in points."""
    across = (g.y1 - g.y0) if g.rotate in (90, 270) else (g.x1 - g.x0)
    return across * g.unit


def head_content(text: str, g: Geometry) -> bytes:
    """The content that draws ``text`` at the head of a page (after its own content)."""
    size = head_size(text, displayed_width(g))
    encoded, width = encode(text, size)
    matrix = b" ".join(_precise(v) for v in head_matrix(g, width))
    return (
        b"/Artifact <</Type /Pagination /Subtype /Header>> BDC q BT %s %s Tf %s rg %s RG "
        b"2 Tr %s w %s Tm %s Tj ET Q EMC\n"
        % (
            name(STAMP_FONT_NAME),
            number(size),
            MARK_COLOUR,
            MARK_COLOUR,
            number(size / 30),
            matrix,
            literal(encoded),
        )
    )


def _precise(value: float) -> bytes:
    if value == int(value):
        return b"%d" % int(value)
    return (b"%.9f" % value).rstrip(b"0").rstrip(b".")


def wrap(text: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points (a long word stays whole)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and encode(candidate, size)[1] > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def text_page_content(blocks: Sequence[TextBlock], *, tagged: bool = False) -> bytes:
    """The content stream of a generated A4 page holding ``blocks``, from the top margin.

    With ``tagged``, each block is marked content (``/H1``, ``/H2`` or ``/P``, MCID its
    place among the blocks) of the element the pack's structure tree gives it."""
    parts = [b"q BT 0 g 0 G"]
    y = A4[1] - PAGE_MARGIN
    for mcid, block in enumerate(blocks):
        y -= block.space_before
        room = A4[0] - 2 * PAGE_MARGIN - block.indent
        style = b"2 Tr %s w" % number(block.size / 30) if block.bold else b"0 Tr"
        parts.append(b"%s %s Tf %s" % (name(STAMP_FONT_NAME), number(block.size), style))
        if tagged:
            parts.append(b"%s <</MCID %d>> BDC" % (name(block.role), mcid))
        for line in wrap(block.text, block.size, room):
            y -= block.size * LEADING
            encoded, width = encode(line, block.size)
            x = (A4[0] - width) / 2 if block.centred else PAGE_MARGIN + block.indent
            parts.append(b"1 0 0 1 %s %s Tm %s Tj" % (number(x), number(y), literal(encoded)))
        if tagged:
            parts.append(b"EMC")
    parts.append(b"ET Q\n")
    return b"\n".join(parts)


def label_text(printed: PageNumber) -> str:
    """A page's label: ``53``, or ``45 - 52`` for a page standing for several."""
    first, last = printed
    return str(first) if first == last else f"{first} - {last}"


def page_labels(numbers: Sequence[PageNumber]) -> dict[str, Any]:
    """The ``/PageLabels`` of pages printed ``numbers``: decimal runs, and each page that
    stands for several labelled with its range (a prefix, no number of its own)."""
    nums: list[Any] = []
    expected: int | None = None
    for position, (first, last) in enumerate(numbers):
        if first != last:
            nums += [position, {"/P": label_text((first, last))}]
            expected = None
            continue
        if first != expected:
            nums += [position, {"/S": NameObject("/D"), "/St": first}]
        expected = first + 1
    return {"/Nums": nums}
