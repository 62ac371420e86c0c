"""What a page's content draws: the resources it names, and text it covers up.

:func:`used_names` lists the names a content stream uses (``/F1``, ``/Im3``...),
so the pack keeps only the resources a page draws with.

:func:`covered_text` is a heuristic for failed "black-box" redaction: text
drawn and then painted over by an opaque filled rectangle, which hides the
text from the eye but leaves it in the file for anyone to select, copy or
extract. It follows the page's own content (not the forms or pictures it
draws): where each piece of text starts (through ``cm``, ``Tm``, ``Td``...)
and how tall it is, and every rectangle filled afterwards (``re`` or a
four-cornered ``m``/``l`` path, then ``f``, ``F``, ``f*``, ``B``, ``b``...)
in any colour. A hit is a rectangle that covers where a piece of text
starts, at least half as tall as the text (so underlines and strike-outs,
which are thin, are not hits), drawn after it. A rectangle painted through a
graphics state named in the result may be see-through (a highlighter);
the caller rules those out with the page's resources. What it does not
catch: text covered by a picture or by a form drawn with ``Do``, text
covered by a shape that is not a rectangle, text in a form covered on the
page, and text drawn in the same colour as the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(rb"/([^\s/\[\]<>(){}%]*)")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")

_TOKEN = re.compile(
    rb"""
    \((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)   # a literal string (one level of nesting)
  | <[0-9A-Fa-f\s]*>                           # a hexadecimal string
  | <<|>>|\[|\]|\{|\}
  | /[^\s/\[\]<>(){}%]*                        # a name
  | %[^\r\n]*                                  # a comment
  | [^\s/\[\]<>(){}%]+                         # a number or an operator
    """,
    re.X | re.S,
)
_INLINE_IMAGE_END = re.compile(rb"\sEI(?=[\s/\[<(%]|$)")
_SHOWS = re.compile(rb"T[jJ]|['\"]")
_FILLS = re.compile(rb"(?<![A-Za-z*])(?:re|h)\s+(?:[fFbB]\*?)(?![A-Za-z*])")

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_FILL_OPS = frozenset({b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"})
_END_PATH = frozenset({b"n", b"S", b"s", *_FILL_OPS})


def used_names(data: bytes) -> frozenset[str]:
    """Every name in ``data`` as a resource key is written (``/F1``), ``#xx`` decoded.

    Names inside strings and comments are included too: this may keep a resource
    the page does not use, never drop one it does.
    """
    found: set[str] = set()
    for raw in set(_NAME.findall(data)):
        if b"#" in raw:
            raw = _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
        found.add("/" + raw.decode("latin-1"))
    return frozenset(found)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """The matrix product ``m × n`` (``m`` applied first), as PDF writes matrices."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    """The point ``(x, y)`` transformed by ``m``."""
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


@dataclass(frozen=True)
class Cover:
    """A filled rectangle drawn over text: the text's start and the graphics state in use."""

    x: float
    y: float
    state: str | None  # the last ``gs`` name set (None: none), which may make it see-through


def covered_text(data: bytes) -> list[Cover]:
    """Text in ``data`` covered afterwards by a filled rectangle (see the module's description)."""
    first_show = _SHOWS.search(data)
    if first_show is None or _FILLS.search(data, first_show.start()) is None:
        return []  # no text, or nothing filled after the first text: the usual page
    return _Scanner().run(data)


class _Scanner:
    """The state the heuristic follows through a content stream."""

    def __init__(self) -> None:
        self.ctm: Matrix = IDENTITY
        self.stack: list[tuple[Matrix, str | None]] = []
        self.state: str | None = None
        self.tm: Matrix = IDENTITY
        self.tlm: Matrix = IDENTITY
        self.size = 0.0
        self.leading = 0.0
        self.texts: list[tuple[float, float, float]] = []  # x, y, height in page space
        self.points: list[tuple[float, float]] = []  # the current path's points
        self.rect = True  # whether the current path can still be one rectangle
        self.covers: list[Cover] = []

    def run(self, data: bytes) -> list[Cover]:
        operands: list[bytes] = []
        position, end = 0, len(data)
        while position < end:
            token = _TOKEN.search(data, position)
            if token is None:
                break
            position = token.end()
            value = token.group()
            first = value[:1]
            if first in b"(<[]{}%/" or first.isdigit() or first in b"+-.":
                if first not in b"%":
                    operands.append(value)
                continue
            if value == b"ID":  # inline image data: skip to its end
                found = _INLINE_IMAGE_END.search(data, position)
                position = found.end() if found else end
            else:
                self.operator(value, operands)
            operands = []
        return self.covers

    def operator(self, op: bytes, operands: list[bytes]) -> None:
        numbers = _numbers(operands)
        if op == b"q":
            self.stack.append((self.ctm, self.state))
        elif op == b"Q":
            if self.stack:
                self.ctm, self.state = self.stack.pop()
        elif op == b"cm" and len(numbers) == 6:
            self.ctm = multiply(numbers_matrix(numbers), self.ctm)
        elif op == b"gs" and operands:
            self.state = operands[-1].decode("latin-1")
        elif op == b"BT":
            self.tm = self.tlm = IDENTITY
        elif op == b"Tf" and numbers:
            self.size = numbers[-1]
        elif op == b"TL" and numbers:
            self.leading = numbers[-1]
        else:
            self._text_or_path(op, numbers)

    def _text_or_path(self, op: bytes, numbers: list[float]) -> None:
        if op in (b"Td", b"TD") and len(numbers) == 2:
            if op == b"TD":
                self.leading = -numbers[1]
            self._move(numbers[0], numbers[1])
        elif op == b"Tm" and len(numbers) == 6:
            self.tm = self.tlm = numbers_matrix(numbers)
        elif op == b"T*":
            self._move(0.0, -self.leading)
        elif op in (b"Tj", b"TJ", b"'", b'"'):
            if op != b"Tj" and op != b"TJ":
                self._move(0.0, -self.leading)
            self._show()
        elif op == b"re" and len(numbers) == 4:
            x, y, w, h = numbers
            self._path([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], closes=True)
        elif op in (b"m", b"l") and len(numbers) == 2:
            self._path([(numbers[0], numbers[1])], closes=False, start=op == b"m")
        elif op in (b"c", b"v", b"y"):
            self.rect = False
        elif op in _END_PATH:
            if op in _FILL_OPS and self.rect and self.points:
                self._fill()
            self.points, self.rect = [], True

    def _move(self, tx: float, ty: float) -> None:
        self.tlm = multiply((1.0, 0.0, 0.0, 1.0, tx, ty), self.tlm)
        self.tm = self.tlm

    def _show(self) -> None:
        matrix = multiply(self.tm, self.ctm)
        x, y = apply(matrix, 0.0, 0.0)
        top = apply(matrix, 0.0, self.size)
        height = abs(top[1] - y) + abs(top[0] - x)
        if height > 0:
            self.texts.append((x, y, height))

    def _path(
        self, points: list[tuple[float, float]], *, closes: bool, start: bool = False
    ) -> None:
        if start and self.points:
            self.rect = False  # a second subpath
        if closes and self.points:
            self.rect = False
        self.points.extend(apply(self.ctm, x, y) for x, y in points)
        if len(self.points) > 5:
            self.rect = False

    def _fill(self) -> None:
        xs = sorted({round(x, 1) for x, _y in self.points})
        ys = sorted({round(y, 1) for _x, y in self.points})
        if len(xs) != 2 or len(ys) != 2:
            return  # not an upright rectangle
        (x0, x1), (y0, y1) = xs, ys
        for x, y, height in self.texts:
            if x0 <= x <= x1 and y0 <= y <= y1 and (y1 - y0) >= height / 2:
                self.covers.append(Cover(x, y, self.state))
        # text once covered is reported once
        self.texts = [t for t in self.texts if not (x0 <= t[0] <= x1 and y0 <= t[1] <= y1)]


def numbers_matrix(numbers: list[float]) -> Matrix:
    """Six numbers as a matrix."""
    a, b, c, d, e, f = numbers[-6:]
    return (a, b, c, d, e, f)


def _numbers(operands: list[bytes]) -> list[float]:
    """The operands that are numbers, as floats (others are left out)."""
    found: list[float] = []
    for operand in operands:
        try:
            found.append(float(operand))
        except ValueError:
            continue
    return found
