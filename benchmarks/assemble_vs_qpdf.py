"""Benchmark: ``write_pack`` against ``qpdf --empty --pages ... --`` on a 1000-page pack.

Generates (once, cached in ``benchmarks/out/corpus``) about 40 PDFs of mixed sizes
totalling 1000 pages: text-heavy reports, landscape tables, documents with one shared
logo image and documents with a photograph-like image on every page. Then times, as
the median of 5 runs each, ``write_pack`` of every page (stamped, one bookmark per
document, a blank page after every odd-length document) and qpdf merging the same
files, and prints both times, the time ratio and the output size ratio.

Run: ``python benchmarks/assemble_vs_qpdf.py`` (``--profile`` adds a cProfile of one
``write_pack`` run). Target (product brief): time ratio <= 3, size ratio <= 1.5.

``--tagged`` uses a corpus of tagged PDFs instead, as the council's papers are when
they come from Word: about 40 Word documents of the same sizes (headings,
paragraphs, bulleted lists, landscape tables with repeated header rows) exported
by LibreOffice as tagged PDF (cached in ``benchmarks/out/corpus-tagged``; making it
takes LibreOffice about a minute). ``write_pack`` then also merges their structure
trees (checked to be fully tagged); qpdf drops them (``qpdf --pages`` keeps no
``/StructTreeRoot``), so the comparison is packbuilder's full work against a plain merge.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "src"))

from packbuilder.assemble import (  # noqa: E402
    Bookmark,
    PackMetadata,
    PackPage,
    PackSpec,
    write_pack,
)
from packbuilder.inputs.pdfread import open_pdf  # noqa: E402

CORPUS_VERSION = 1
TOTAL_PAGES = 1000
DOCUMENTS = 40

WORDS = [
    *("council", "scrutiny", "board", "executive", "forward", "programme", "decision"),
    *("report", "appendix", "members", "officer", "budget", "housing", "transport", "ward"),
    *("consultation", "policy", "strategy", "the", "of", "and", "to", "in", "for", "on"),
    *("with", "by", "is", "are", "be", "that", "this", "which", "will", "may"),
]


def _sizes(rng: random.Random) -> list[int]:
    sizes = [rng.choice([1, 2, 3, 5, 7, 8, 12, 15, 20, 24, 31, 40, 55]) for _ in range(DOCUMENTS)]
    scale = TOTAL_PAGES / sum(sizes)
    sizes = [max(1, round(s * scale)) for s in sizes]
    sizes[-1] += TOTAL_PAGES - sum(sizes)
    if sizes[-1] < 1:  # pragma: no cover - the fixed seed avoids this
        raise SystemExit("bad corpus sizes")
    return sizes


def _paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _image(rng: random.Random, size: int, path: Path) -> Path:
    from PIL import Image

    pixels = Image.effect_noise((size, size), 40).convert("RGB")
    gradient = Image.linear_gradient("L").resize((size, size)).convert("RGB")
    Image.blend(pixels, gradient, 0.6).save(path, quality=80)
    return path


def _make_document(path: Path, pages: int, kind: str, rng: random.Random, work: Path) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    size = landscape(A4) if kind == "table" else A4
    c = canvas.Canvas(str(path), pagesize=size, pageCompression=1, invariant=1)
    width, height = size
    logo = _image(rng, 96, work / f"{path.stem}-logo.jpg") if kind == "logo" else None
    for number in range(pages):
        if logo:
            c.drawImage(str(logo), width - 110, height - 110, 80, 80)
        if kind == "photo":
            photo = _image(rng, 360, work / f"{path.stem}-{number}.jpg")
            c.drawImage(str(photo), 70, height - 420, 300, 300)
        c.setFont("Helvetica-Bold", 14)
        c.drawString(70, height - 60, f"{path.stem}: page {number + 1}")
        if kind == "table":
            c.setFont("Helvetica", 8)
            y = height - 90
            while y > 60:
                for column in range(7):
                    c.rect(40 + column * 110, y - 4, 110, 14)
                    c.drawString(44 + column * 110, y, _paragraph(rng, 3)[:24])
                y -= 14
        else:
            c.setFont("Times-Roman", 10 if kind == "text" else 11)
            y = height - (440 if kind == "photo" else 90)
            while y > 70:
                c.drawString(70, y, _paragraph(rng, 14)[:95])
                y -= 12.5
        c.showPage()
    c.save()


def build_corpus(directory: Path) -> list[Path]:
    """The cached corpus: ~40 PDFs, 1000 pages in all."""
    marker = directory / f"corpus-v{CORPUS_VERSION}.txt"
    if marker.exists():
        files = [directory / name for name in marker.read_text().split()]
        if files and all(f.exists() for f in files):
            return files
    rng = random.Random(20220511)
    sizes = _sizes(rng)
    kinds = ["text", "table", "text", "logo", "photo", "text", "table", "text"]
    files = [directory / f"doc{n:02d}.pdf" for n in range(len(sizes))]
    shutil.rmtree(directory, ignore_errors=True)
    work = directory / "images"
    work.mkdir(parents=True)
    for n, (path, pages) in enumerate(zip(files, sizes, strict=True)):
        kind = kinds[n % len(kinds)]
        if kind == "photo":
            pages = min(pages, 12)
        _make_document(path, pages, kind, rng, work)
    total = sum(len(open_pdf(f).pages) for f in files)
    if total != TOTAL_PAGES:
        # Photo documents are capped; top up with a text document.
        extra = directory / f"doc{len(files):02d}.pdf"
        _make_document(extra, TOTAL_PAGES - total, "text", rng, work)
        files.append(extra)
    shutil.rmtree(work)
    marker.write_text("".join(f"{f.name}\n" for f in files))
    return files


TAGGED_CORPUS_VERSION = 1


def _make_word_document(path: Path, pages: int, kind: str, rng: random.Random) -> None:
    """A .docx of exactly ``pages`` pages (a page break before each), tagged when exported."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.shared import Cm

    doc = Document()
    if kind == "table":
        section = doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for number in range(pages):
        heading = doc.add_heading(f"{path.stem}: page {number + 1}", level=1)
        heading.paragraph_format.page_break_before = number > 0
        if kind == "table":
            table = doc.add_table(rows=10, cols=6)
            table.style = "Table Grid"
            header = table.rows[0]
            header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
            for column, cell in enumerate(header.cells):
                cell.text = f"Column {column + 1}"
            for row in table.rows[1:]:
                for cell in row.cells:
                    cell.text = _paragraph(rng, 3)[:24]
            continue
        doc.add_heading(_paragraph(rng, 4)[:40], level=2)
        for _ in range(6):
            doc.add_paragraph(_paragraph(rng, 40))
        for _ in range(3):
            doc.add_paragraph(_paragraph(rng, 8), style="List Bullet")
    doc.core_properties.language = "en-GB"
    doc.save(str(path))


def build_tagged_corpus(directory: Path) -> list[Path]:
    """The cached tagged corpus: ~40 Word documents exported by LibreOffice, 1000 pages."""
    from packbuilder._exec import soffice

    marker = directory / f"corpus-v{TAGGED_CORPUS_VERSION}.txt"
    if marker.exists():
        files = [directory / name for name in marker.read_text().split()]
        if files and all(f.exists() for f in files):
            return files
    rng = random.Random(20220511)
    sizes = _sizes(rng)
    shutil.rmtree(directory, ignore_errors=True)
    word = directory / "word"
    word.mkdir(parents=True)
    sources = []
    for n, pages in enumerate(sizes):
        source = word / f"tagged{n:02d}.docx"
        _make_word_document(source, pages, "table" if n % 4 == 1 else "text", rng)
        sources.append(source)
    converted = soffice.convert_to_pdf(sources, directory, timeout=1800)
    files = [converted[source] for source in sources]
    counts = [len(open_pdf(f).pages) for f in files]
    if counts != sizes:
        raise SystemExit(f"the tagged corpus has {sum(counts)} pages, not {sum(sizes)}")
    shutil.rmtree(word)
    marker.write_text("".join(f"{f.name}\n" for f in files))
    return files


def make_spec(files: list[Path]) -> PackSpec:
    pages: list[PackPage] = []
    bookmarks: list[Bookmark] = []
    for n, path in enumerate(files):
        reader = open_pdf(path)
        first = len(pages)
        mapping = {}
        for index in range(len(reader.pages)):
            mapping[index] = len(pages)
            pages.append(PackPage(reader, index))
        mark = Bookmark(f"Document {n + 1}: {path.name}", first)
        mark.imported.append((reader, mapping))
        bookmarks.append(mark)
        if len(reader.pages) % 2:
            pages.append(PackPage(None))
    metadata = PackMetadata(
        title="Benchmark pack", subject="1000 pages", author="packbuilder benchmark"
    )
    return PackSpec(pages=pages, bookmarks=bookmarks, link_targets={}, metadata=metadata)


def time_write_pack(files: list[Path], out: Path, *, tagged: bool = False) -> float:
    # Opening the papers is part of the build (once per paper), so it is timed too.
    start = time.perf_counter()
    result = write_pack(make_spec(files), out)
    seconds = time.perf_counter() - start
    if tagged and not result.pdfua:
        raise SystemExit("the pack of tagged papers is not fully tagged")
    return seconds


def time_qpdf(files: list[Path], out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        ["qpdf", "--empty", "--pages", *map(str, files), "--", str(out)],
        check=True,
    )
    return time.perf_counter() - start


def reencode_flate(files: list[Path], directory: Path) -> list[Path]:
    """``files`` with every stream decoded and compressed again with Flate alone (qpdf)."""
    directory.mkdir(parents=True, exist_ok=True)
    flate = [directory / f.name for f in files]
    for source, target in zip(files, flate, strict=True):
        if not target.exists():
            subprocess.run(
                ["qpdf", "--decode-level=generalized", "--compress-streams=y", source, target],
                check=True,
            )
    return flate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "out")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one run")
    parser.add_argument(
        "--tagged",
        action="store_true",
        help="a corpus of tagged PDFs (Word documents exported by LibreOffice)",
    )
    parser.add_argument(
        "--flate",
        action="store_true",
        help="re-encode the corpus's streams as plain Flate, as Word and LibreOffice write them",
    )
    args = parser.parse_args()

    if args.tagged:
        files = build_tagged_corpus(args.out / "corpus-tagged")
    else:
        files = build_corpus(args.out / "corpus")
    if args.flate:
        files = reencode_flate(files, args.out / "corpus-flate")
    pack = args.out / "pack.pdf"
    merged = args.out / "qpdf.pdf"
    print(f"corpus: {len(files)} PDFs, {sum(f.stat().st_size for f in files):,} bytes")

    ours = [time_write_pack(files, pack, tagged=args.tagged) for _ in range(args.runs)]
    theirs = [time_qpdf(files, merged) for _ in range(args.runs)]
    ours_median, theirs_median = statistics.median(ours), statistics.median(theirs)
    pack_pages = len(open_pdf(pack).pages)
    print(
        f"write_pack: {ours_median:.3f} s (median of {args.runs}), {pack.stat().st_size:,} bytes, "
        f"{pack_pages} pages"
    )
    print(
        f"qpdf:       {theirs_median:.3f} s (median of {args.runs}), "
        f"{merged.stat().st_size:,} bytes, "
        f"{len(open_pdf(merged).pages)} pages"
    )
    time_ratio = ours_median / theirs_median
    size_ratio = pack.stat().st_size / merged.stat().st_size
    print(f"time ratio: {time_ratio:.2f} (target <= 3.0)")
    print(f"size ratio: {size_ratio:.2f} (target <= 1.5)")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        time_write_pack(files, pack)
        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(30)
        print(text.getvalue())
    return 0 if time_ratio <= 3.0 and size_ratio <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
