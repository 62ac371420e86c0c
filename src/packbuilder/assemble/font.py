"""The stamp's font: a subset of Liberation Sans, embedded, one font object per PDF.

The "Page N" stamps and the blank pages' text (and, with exempt business, the
NOT FOR PUBLICATION marks and the pages standing for exempt papers) are drawn
in Liberation Sans Regular, the free font metric-compatible with Arial that
LibreOffice is installed with (Debian ``fonts-liberation2``). Each PDF embeds
one TrueType subset of it holding only the characters its pages can use (the
stamp format's own text, the ten digits, the blank-page text and whatever
else its pages draw in it), made with fontTools; the subset of a given set of
characters is made once per process and is the same bytes every time, so the
same spec gives the same PDF.

Reading the font's metrics and cutting a subset take fontTools about a fifth
of a second, more than a rebuild with nothing changed takes otherwise, so both
are kept in the cache folder (``fonts/`` in ``$PACKBUILDER_CACHE_DIR``, else
``$XDG_CACHE_HOME/packbuilder``, else ``~/.cache/packbuilder``), named by a hash of
the font file's path, size and time, the characters and fontTools' version,
and checked against the SHA-256 stored with them; a cache that cannot be
written or read only costs the time again.

Where the font is not installed the stamp falls back to the standard
Helvetica, not embedded (as before this module), with a warning in the log.
``$PACKBUILDER_STAMP_FONT`` names another TrueType file to use.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import logging
import os
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pypdf.generic import NameObject

from .objects import ObjectWriter, Ref, Stream

log = logging.getLogger(__package__)

FONT_FILES = (
    Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)
"""Where Debian's fonts-liberation2 (or the older fonts-liberation) installs the font."""
DIGITS = "0123456789"

# Advance widths of Helvetica in WinAnsiEncoding (1/1000 em), codes 0-255: the fallback.
_HELVETICA_WIDTHS = (
    (0,) * 32
    + (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278)
    + (556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556)
    + (1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778)
    + (667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556)
    + (333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556)
    + (556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 350)
    + (556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350)
    + (350, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667)
    + (278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333)
    + (400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611)
    + (667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278)
    + (722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611)
    + (556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278)
    + (556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500)
)


@dataclass(frozen=True)
class StampFont:
    """The stamp font's metrics (1/1000 em) and the TrueType file it is cut from."""

    widths: tuple[int, ...]
    """Advance width of each WinAnsiEncoding code, 0-255."""
    ascent: int = 718
    descent: int = -207
    cap_height: int = 718
    bbox: tuple[int, int, int, int] = (-166, -225, 1000, 931)
    path: Path | None = None
    name: str = "Helvetica"

    @property
    def embedded(self) -> bool:
        """Whether the font is embedded (False for the Helvetica fallback)."""
        return self.path is not None

    def encode(self, text: str, size: float) -> tuple[bytes, float]:
        """``text`` in WinAnsiEncoding (unknown characters become '?'), its width in points."""
        encoded = text.encode("cp1252", errors="replace")
        return encoded, sum(self.widths[c] for c in encoded) * size / 1000

    def emit(self, objects: ObjectWriter, number: Ref, chars: str) -> None:
        """Write the font object ``number`` (and its descriptor and file) for ``chars``."""
        if self.path is None:
            objects.emit(number, _standard_font(self.name))
            return
        codes = sorted(set(chars.encode("cp1252", errors="replace")) | {ord(" ")})
        data = subset(self.path, bytes(codes).decode("cp1252", errors="replace"))
        tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(data).digest()[:6])
        base = NameObject(f"/{tag}+{self.name}")
        font_file, descriptor = objects.allocate(), objects.allocate()
        entries = {"/Filter": NameObject("/FlateDecode"), "/Length1": len(data)}
        objects.emit(font_file, Stream(entries, zlib.compress(data, 9)))
        objects.emit(descriptor, self._descriptor(base, font_file))
        first, last = codes[0], codes[-1]
        objects.emit(
            number,
            {
                "/Type": NameObject("/Font"),
                "/Subtype": NameObject("/TrueType"),
                "/BaseFont": base,
                "/FirstChar": first,
                "/LastChar": last,
                "/Widths": [self.widths[c] for c in range(first, last + 1)],
                "/Encoding": NameObject("/WinAnsiEncoding"),
                "/FontDescriptor": Ref(descriptor),
            },
        )

    def _descriptor(self, base: NameObject, font_file: Ref) -> dict[str, Any]:
        return {
            "/Type": NameObject("/FontDescriptor"),
            "/FontName": base,
            "/Flags": 32,  # nonsymbolic: its glyphs are found through WinAnsiEncoding
            "/FontBBox": list(self.bbox),
            "/ItalicAngle": 0,
            "/Ascent": self.ascent,
            "/Descent": self.descent,
            "/CapHeight": self.cap_height,
            "/StemV": 80,
            "/FontFile2": Ref(font_file),
        }


def _standard_font(name: str) -> dict[str, Any]:
    return {
        "/Type": NameObject("/Font"),
        "/Subtype": NameObject("/Type1"),
        "/BaseFont": NameObject(f"/{name}"),
        "/Encoding": NameObject("/WinAnsiEncoding"),
    }


HELVETICA = StampFont(_HELVETICA_WIDTHS)


def font_file() -> Path | None:
    """The TrueType file of the stamp font: ``$PACKBUILDER_STAMP_FONT`` or Liberation Sans."""
    configured = os.environ.get("PACKBUILDER_STAMP_FONT")
    candidates = [Path(configured)] if configured else list(FONT_FILES)
    return next((path for path in candidates if path.is_file()), None)


@cache
def stamp_font() -> StampFont:
    """The stamp font, read once; Helvetica (not embedded) when no usable file is found."""
    path = font_file()
    if path is None:
        log.warning(
            "Liberation Sans is not installed (fonts-liberation2): the page numbers use "
            "Helvetica, not embedded"
        )
        return HELVETICA
    try:
        data = cached(f"metrics|{_identity(path)}", lambda: _metrics_json(path))
        fields = json.loads(data)
        fields["widths"], fields["bbox"] = tuple(fields["widths"]), tuple(fields["bbox"])
        return StampFont(**fields, path=path)
    except Exception as exc:  # fontTools raises many kinds on a damaged file
        log.warning("the stamp font %s cannot be read (%s): using Helvetica", path, exc)
        return HELVETICA


def _metrics_json(path: Path) -> bytes:
    fields = dataclasses.asdict(_read(path))
    del fields["path"]
    return json.dumps(fields).encode()


def _read(path: Path) -> StampFont:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    scale = 1000 / font["head"].unitsPerEm
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    missing = round(metrics[font.getGlyphOrder()[0]][0] * scale)
    widths = []
    for code in range(256):
        char = bytes([code]).decode("cp1252", errors="replace")
        glyph = cmap.get(ord(char)) if code >= 32 and char != "\ufffd" else None
        widths.append(round(metrics[glyph][0] * scale) if glyph else missing if code >= 32 else 0)
    head, os2 = font["head"], font["OS/2"]
    family = font["name"].getDebugName(6) or "LiberationSans"
    return StampFont(
        widths=tuple(widths),
        ascent=round(font["hhea"].ascent * scale),
        descent=round(font["hhea"].descent * scale),
        cap_height=round(getattr(os2, "sCapHeight", 0) * scale) or 700,
        bbox=tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
        path=path,
        name=family.replace(" ", ""),
    )


@cache
def subset(path: Path, chars: str) -> bytes:
    """The TrueType subset of ``path`` holding ``chars``: the same bytes for the same input."""
    return cached(f"subset|{_identity(path)}|{chars}", lambda: _subset(path, chars))


def _subset(path: Path, chars: str) -> bytes:
    from fontTools import subset as fts
    from fontTools.ttLib import TTFont

    options = fts.Options()
    options.hinting = False
    options.layout_features = []
    options.glyph_names = False
    options.notdef_outline = True
    options.drop_tables += ["FFTM", "DSIG", "GDEF", "GPOS", "GSUB", "kern"]
    font = TTFont(str(path), recalcTimestamp=False, recalcBBoxes=False)
    subsetter = fts.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in set(chars)])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def stamp_chars(stamp_format: str, blank_text: str, *texts: str) -> str:
    """Every character the stamps and blank pages of a pack can show, and those of
    ``texts``, the pack's other text drawn in the stamp font (a page stamped with a range
    of numbers, NOT FOR PUBLICATION marks, the text of a page standing for exempt pages),
    sorted."""
    try:
        literal = stamp_format.format(n="", total="")
    except (KeyError, IndexError, ValueError):
        literal = stamp_format
    drawn = set(blank_text).union(*texts) - {"\n", "\r"}
    return "".join(sorted(set(literal) | set(DIGITS) | drawn))


CACHE_FORMAT = "1"


def cache_folder() -> Path:
    """``fonts/`` in the cache folder (found as :func:`packbuilder.convert.default_cache_dir`)."""
    configured = os.environ.get("PACKBUILDER_CACHE_DIR")
    if configured:
        return Path(configured) / "fonts"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "packbuilder" / "fonts"


def _identity(path: Path) -> str:
    """The font file and the fontTools that reads it, as part of a cache key."""
    from importlib.metadata import version

    stat = path.stat()
    return (
        f"{CACHE_FORMAT}|{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{version('fonttools')}"
    )


def cached(key: str, make: Callable[[], bytes]) -> bytes:
    """The bytes ``make`` returns for ``key``, kept in :func:`cache_folder` (with their SHA-256,
    checked when read): made again when missing or damaged, never failing on the cache."""
    entry = cache_folder() / (hashlib.sha256(key.encode()).hexdigest() + ".bin")
    try:
        stored = entry.read_bytes()
        digest, payload = stored[:64], stored[65:]
        if hashlib.sha256(payload).hexdigest().encode() == digest:
            return payload
    except OSError:
        pass
    data = make()
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=entry.parent, suffix=".part", delete=False) as f:
            f.write(hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
        os.replace(f.name, entry)
    except OSError:
        pass
    return data
