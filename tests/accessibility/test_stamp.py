"""The page-number stamp: legible on any page, in an embedded font, an artifact.

A dark full-page photograph is stamped and rendered with poppler (pdftoppm):
the stamp's box is white and its text black, however dark the page around it.
"""

from __future__ import annotations

import io
import random
import subprocess
from pathlib import Path

import pikepdf
import pytest
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from packbuilder.assemble import Bookmark, PackMetadata, PackPage, PackSpec, write_pack
from packbuilder.assemble.font import stamp_font
from packbuilder.inputs.pdfread import open_pdf

from helpers.tagcheck import structure_problems

A4 = (595.276, 841.89)
DPI = 100


def dark_photo_pdf(path: Path) -> Path:
    """An A4 page filled by a dark, noisy "aerial photograph" (a JPEG)."""
    from PIL import Image

    rng = random.Random(11)
    width, height = 298, 421
    pixels = bytes(
        min(255, max(0, 25 + rng.randint(-20, 30) + (x * y) % 17))
        for y in range(height)
        for x in range(width)
        for _channel in range(3)
    )
    image = Image.frombytes("RGB", (width, height), pixels)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    buffer.seek(0)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.drawImage(ImageReader(buffer), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    return path


def gray(pdf: Path, page: int) -> tuple[int, int, bytes]:
    """Page ``page`` rendered in grey at DPI: width, height, one byte a pixel."""
    data = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(DPI), "-f", str(page), "-l", str(page), str(pdf)],
        check=True,
        capture_output=True,
    ).stdout
    magic, width, height, _maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P5"
    return int(width), int(height), pixels


def region(image: tuple[int, int, bytes], x0: float, x1: float, y0: float, y1: float) -> list[int]:
    """The pixels between x0..x1 and y0..y1 points from the page's lower left corner."""
    width, height, pixels = image
    scale = DPI / 72
    rows = range(height - round(y1 * scale), height - round(y0 * scale))
    columns = range(round(x0 * scale), round(x1 * scale))
    return [pixels[r * width + c] for r in rows for c in columns]


def pack(source: Path, out: Path) -> Path:
    reader = open_pdf(source)
    spec = PackSpec(
        pages=[PackPage(reader, 0)],
        bookmarks=[Bookmark("Photo", 0)],
        link_targets={},
        metadata=PackMetadata(title="Photo", subject="Stamp", author="packbuilder"),
        stamp_format="Page {n}",
    )
    write_pack(spec, out)
    return out


def test_the_stamp_is_legible_on_a_dark_photograph(tmp_path: Path) -> None:
    source = dark_photo_pdf(tmp_path / "photo.pdf")
    out = pack(source, tmp_path / "pack.pdf")
    before, after = gray(source, 1), gray(out, 1)
    _encoded, width = stamp_font().encode("Page 1", 10)
    middle = A4[0] / 2
    text = (middle - width / 2, middle + width / 2, 21.0, 30.0)  # the glyphs' band
    assert max(region(before, *text)) < 110  # the photograph is dark where the stamp goes
    stamp = region(after, *text)
    assert max(stamp) > 240 and min(stamp) < 40  # white box, black text
    assert sum(p > 200 for p in stamp) > len(stamp) / 2  # mostly the box's white
    # around the box, the photograph is as it was: the box covers only the stamp
    above = (middle - 60, middle + 60, 40.0, 60.0)
    beside = (middle + width / 2 + 10, middle + width / 2 + 60, 21.0, 30.0)
    for place in (above, beside):
        assert region(after, *place) == region(before, *place)


def test_the_stamp_font_is_one_embedded_subset(tmp_path: Path) -> None:
    source = dark_photo_pdf(tmp_path / "photo.pdf")
    first = pack(source, tmp_path / "one.pdf")
    second = pack(source, tmp_path / "two.pdf")
    assert first.read_bytes() == second.read_bytes()  # deterministic, subset included
    fonts = subprocess.run(["pdffonts", str(first)], capture_output=True, text=True).stdout
    (line,) = [line for line in fonts.splitlines() if "+LiberationSans" in line]
    assert "TrueType" in line
    assert line.split()[-5:-3] == ["yes", "yes"]  # embedded, subset
    with pikepdf.open(first) as pdf:
        font = pdf.pages[0].Resources.Font.PbStamp
        data = font.FontDescriptor.FontFile2.read_bytes()
        assert len(data) < 20_000  # a subset, not the whole font (~400 kB)


def test_the_stamp_and_blank_page_are_artifacts(tmp_path: Path) -> None:
    source = dark_photo_pdf(tmp_path / "photo.pdf")
    reader = open_pdf(source)
    out = tmp_path / "pack.pdf"
    spec = PackSpec(
        pages=[PackPage(reader, 0), PackPage(None)],
        bookmarks=[Bookmark("Photo", 0)],
        link_targets={},
        metadata=PackMetadata(title="Photo", subject="Stamp", author="packbuilder"),
    )
    write_pack(spec, out)
    problems = structure_problems(out).problems
    # the photograph is not tagged (its paint is reported), packbuilder's text never is
    assert problems == ["no /StructTreeRoot"]
    text = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(out), "-"], capture_output=True, text=True
    ).stdout
    assert text.split() == ["This", "page", "is", "intentionally", "left", "blank", "Page", "2"]


@pytest.mark.parametrize("text", ["Page 7", "Page 12 of 116"])
def test_stamp_widths_come_from_the_embedded_font(text: str) -> None:
    from fontTools.ttLib import TTFont

    font = stamp_font()
    assert font.embedded
    tt = TTFont(str(font.path))
    cmap, metrics = tt.getBestCmap(), tt["hmtx"].metrics
    expected = sum(metrics[cmap[ord(c)]][0] for c in text) * 10 / tt["head"].unitsPerEm
    assert font.encode(text, 10)[1] == pytest.approx(expected, abs=0.05 * len(text))


def test_the_font_cache_is_checked_and_never_fails_the_build(tmp_path: Path, monkeypatch) -> None:
    from packbuilder.assemble.font import cache_folder, cached

    monkeypatch.setenv("PACKBUILDER_CACHE_DIR", str(tmp_path / "cache"))
    made: list[int] = []

    def make() -> bytes:
        made.append(1)
        return b"subset bytes"

    assert cached("key", make) == cached("key", make) == b"subset bytes"
    assert len(made) == 1  # the second came from the cache
    (entry,) = cache_folder().iterdir()
    entry.write_bytes(entry.read_bytes().replace(b"subset", b"sabset"))  # damaged
    assert cached("key", make) == b"subset bytes" and len(made) == 2
    assert cached("key", make) == b"subset bytes" and len(made) == 2  # written again
    monkeypatch.setenv("PACKBUILDER_CACHE_DIR", str(entry / "not-a-folder"))
    assert cached("key", make) == b"subset bytes" and len(made) == 3  # unwritable: made
