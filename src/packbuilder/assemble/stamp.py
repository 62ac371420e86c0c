"""The page number stamp and the generated blank pages: geometry and content streams.

Everything here is arithmetic on numbers and bytes (no writer state): where
the stamp goes on a page as it is displayed (``/Rotate``, ``/UserUnit`` and
boxes that do not start at 0,0 taken into account), and the content streams of
the stamp (which also draws the page's own content, wrapped in a form XObject)
and of a blank page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .font import stamp_font
from .objects import literal, name, number, resolve

A4 = (595.276, 841.89)
"""Size of generated blank pages, in points."""
LETTER = (0.0, 0.0, 612.0, 792.0)
"""Fallback MediaBox for a page that has none (the PDF default)."""
STAMP_FONT_SIZE = 10
STAMP_BASELINE = 22.68
"""The page number's baseline sits 0.8 cm above the displayed bottom edge."""
BLANK_FONT_SIZE = 12
STAMP_FONT_NAME = "/PbStamp"
PAGE_XOBJECT_NAME = "/PbPage"
"""The name of the form XObject holding a copied page's own content, in its new resources."""
TAGGED_CONTENT_TAG = "/PbContent"
"""A marked-content tag (no structure meaning) around the painting of a tagged page's form
whose content was checked to be all marked (:mod:`.marked`): tools that do not look into
forms cannot see that. A page with unmarked content has its form painted bare, so that
they report it."""
BOX_PADDING = 1.5
"""The white box behind the stamp reaches this many points beyond its text's extent."""
STAMP_ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC"
BLANK_ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"
MAX_USER_UNIT = 75000.0

Matrix = tuple[float, float, float, float, float, float]


@dataclass
class Geometry:
    """The visible box of a page (its CropBox within its MediaBox), its rotation, and the size
    of its unit of user space in points (``/UserUnit``, 1 for nearly every page)."""

    x0: float
    y0: float
    x1: float
    y1: float
    rotate: int
    unit: float = 1.0


BLANK_GEOMETRY = Geometry(0.0, 0.0, A4[0], A4[1], 0)


def encode(text: str, size: float) -> tuple[bytes, float]:
    """``text`` in WinAnsiEncoding (unknown characters become '?') and its width in points,
    in the stamp font (:mod:`.font`)."""
    return stamp_font().encode(text, size)


def box(value: Any) -> tuple[float, float, float, float] | None:
    """A page box as (x0, y0, x1, y1), normalised; None when it is missing or unusable."""
    array = resolve(value)
    if not isinstance(array, list) or len(array) != 4:
        return None
    try:
        x0, y0, x1, y1 = (float(resolve(v)) for v in array)
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) and abs(v) < 1e7 for v in (x0, y0, x1, y1)):
        return None
    x0, x1 = min(x0, x1), max(x0, x1)
    y0, y1 = min(y0, y1), max(y0, y1)
    if x1 - x0 < 1 or y1 - y0 < 1:
        return None
    return (x0, y0, x1, y1)


def page_geometry(page: dict) -> Geometry:
    """The geometry of a source page (a pypdf page dictionary)."""
    media = box(dict.get(page, "/MediaBox")) or LETTER
    crop = box(dict.get(page, "/CropBox"))
    if crop:
        crop = (
            max(crop[0], media[0]),
            max(crop[1], media[1]),
            min(crop[2], media[2]),
            min(crop[3], media[3]),
        )
        if crop[2] - crop[0] < 1 or crop[3] - crop[1] < 1:
            crop = None
    x0, y0, x1, y1 = crop or media
    try:
        rotate = int(resolve(dict.get(page, "/Rotate", 0)) or 0)
    except (TypeError, ValueError):
        rotate = 0
    rotate = (rotate // 90 * 90) % 360
    return Geometry(x0, y0, x1, y1, rotate, user_unit(page))


def user_unit(page: dict) -> float:
    """The page's ``/UserUnit`` (points per unit of user space); 1 when missing or unusable."""
    try:
        unit = float(resolve(dict.get(page, "/UserUnit", 1)))
    except (TypeError, ValueError):
        return 1.0
    if not (math.isfinite(unit) and 0 < unit <= MAX_USER_UNIT):
        return 1.0
    return unit


def stamp_matrix(g: Geometry, width: float) -> Matrix:
    """The text matrix that centres a ``width`` wide stamp at the foot of the page as shown.

    ``width`` and the baseline's height are in points: on a page whose ``/UserUnit``
    is not 1 they are divided by it, so the stamp looks the same on every page.
    """
    s = 1 / g.unit
    xc, yc = (g.x0 + g.x1) / 2, (g.y0 + g.y1) / 2
    off, half = STAMP_BASELINE * s, width * s / 2
    if g.rotate == 90:
        return (0, s, -s, 0, g.x1 - off, yc - half)
    if g.rotate == 180:
        return (-s, 0, 0, -s, xc + half, g.y1 - off)
    if g.rotate == 270:
        return (0, -s, s, 0, g.x0 + off, yc + half)
    return (s, 0, 0, s, xc - half, g.y0 + off)


def stamp_content(
    text: str, g: Geometry, page_xobject: bool = False, tagged: bool = False
) -> bytes:
    """The content stream of a page: its own content (the form XObject ``PAGE_XOBJECT_NAME``,
    if ``page_xobject``), then ``text`` at its foot in the font ``STAMP_FONT_NAME``.

    Painting a form XObject saves and restores the graphics state, and its content is
    parsed on its own, so neither a changed graphics state nor broken syntax in the
    page's content reaches the stamp. The stamp is a pagination artifact (not part of the
    document's structure), black text on a white box just larger than the text, so it can
    be read on any page, however dark. A ``tagged`` page's form is painted inside the
    marked-content sequence ``TAGGED_CONTENT_TAG``.
    """
    font = stamp_font()
    encoded, width = font.encode(text, STAMP_FONT_SIZE)
    page = b""
    if page_xobject:
        paint = b"%s Do" % name(PAGE_XOBJECT_NAME)
        if tagged:
            paint = b"%s BMC %s EMC" % (name(TAGGED_CONTENT_TAG), paint)
        page = b"q %s Q\n" % paint
    low = font.descent * STAMP_FONT_SIZE / 1000 - BOX_PADDING
    high = font.cap_height * STAMP_FONT_SIZE / 1000 + BOX_PADDING
    box = (-BOX_PADDING, low, width + 2 * BOX_PADDING, high - low)
    return b"%s%s q %s cm 1 g %s re f BT %s %d Tf 0 g 0 Tr %s Tj ET Q EMC\n" % (
        page,
        STAMP_ARTIFACT,
        b" ".join(_precise(v) for v in stamp_matrix(g, width)),
        b" ".join(number(v) for v in box),
        name(STAMP_FONT_NAME),
        STAMP_FONT_SIZE,
        literal(encoded),
    )


def _precise(value: float) -> bytes:
    """A matrix entry: like :func:`number`, with the precision a large ``/UserUnit`` needs."""
    if value == int(value):
        return b"%d" % int(value)
    return (b"%.9f" % value).rstrip(b"0").rstrip(b".")


def blank_content(text: str) -> bytes:
    """The content stream of a blank A4 page: ``text`` centred, one line a line, a
    pagination artifact."""
    lines = text.splitlines() or [""]
    leading = BLANK_FONT_SIZE * 1.25
    top = A4[1] / 2 + (len(lines) - 1) * leading / 2
    parts = [BLANK_ARTIFACT, b"q BT %s %d Tf 0 g" % (name(STAMP_FONT_NAME), BLANK_FONT_SIZE)]
    for n, line in enumerate(lines):
        encoded, width = encode(line, BLANK_FONT_SIZE)
        x, y = A4[0] / 2 - width / 2, top - n * leading
        parts.append(b"1 0 0 1 %s %s Tm %s Tj" % (number(x), number(y), literal(encoded)))
    parts.append(b"ET Q EMC\n")
    return b" ".join(parts)
