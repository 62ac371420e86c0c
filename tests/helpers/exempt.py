"""Meetings with exempt business for the tests, and the search for what leaked.

:func:`leak_meeting` writes a meeting in which every exempt document carries
its own marker string everywhere a document can carry text: its content, its
title in the meeting file, its file name, its bookmarks, its document
information and XMP metadata, a named destination and a link. :func:`leaks`
looks for the markers in every file of a folder as it can hide there: the
raw bytes of each PDF after ``qpdf --qdf --object-streams=disable`` (every
stream decompressed), its text (``pdftotext``), every part of a .docx, JSON
(as written and with non-ASCII escaped), file names; each as plain text,
UTF-16 and hexadecimal.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

import docx
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from . import kit

MARKERS = {
    "appendix": "QXLEAKAPPENDIXPDF",
    "word": "QXLEAKAPPENDIXWORD",
    "report": "QXLEAKPARTBREPORT",
    "partb": "QXLEAKPARTBAPPENDIX",
}
"""One marker per exempt document of :func:`leak_meeting`."""


def secret_pdf(path: Path, marker: str, pages: int = 3) -> Path:
    """A PDF that says ``marker`` on every page and in its title, subject, author, keywords,
    XMP metadata, bookmarks, a named destination and a link."""
    plain = path.with_suffix(".plain.pdf")
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(plain), pagesize=A4, invariant=1)
    c.setTitle(f"{marker} title")
    c.setSubject(f"{marker} subject")
    c.setAuthor(f"{marker} author")
    c.setKeywords(f"{marker} keywords")
    for n in range(pages):
        c.bookmarkPage(f"{marker}-dest-{n + 1}")
        c.addOutlineEntry(f"{marker} heading {n + 1}", f"{marker}-dest-{n + 1}", level=0)
        c.drawString(72, 760, f"{marker} confidential sheet {n + 1}")
        c.linkURL(f"https://example.org/{marker}", (72, 700, 250, 717), relative=0)
        c.showPage()
    c.save()
    writer = PdfWriter(clone_from=PdfReader(plain))
    xmp = DecodedStreamObject()
    xmp.set_data(
        (
            '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:description>{marker} xmp</dc:description></rdf:Description></rdf:RDF>"
            '</x:xmpmeta><?xpacket end="w"?>'
        ).encode()
    )
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    _add_internal_link(writer, marker)
    with path.open("wb") as handle:
        writer.write(handle)
    plain.unlink()
    return path


def _add_internal_link(writer: PdfWriter, marker: str) -> None:
    """A link on the first page to the last, with the marker in its contents."""
    first, last = writer.pages[0], writer.pages[-1]
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (72, 650, 250, 667)]),
            NameObject("/Contents"): TextStringObject(f"{marker} link"),
            NameObject("/Dest"): ArrayObject([last.indirect_reference, NameObject("/Fit")]),
        }
    )
    annots = first.get("/Annots") or ArrayObject()
    annots.append(writer._add_object(link))
    first[NameObject("/Annots")] = annots


def secret_docx(path: Path, marker: str) -> Path:
    """A Word document with ``marker`` in its title, a heading (a bookmark once converted) and
    its text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    document.core_properties.title = f"{marker} title"
    document.core_properties.subject = f"{marker} subject"
    document.add_heading(f"{marker} heading", level=1)
    document.add_paragraph(f"{marker} confidential text of the appendix.")
    document.save(path)
    return path


def public_pdf(path: Path, text: str, pages: int = 2) -> Path:
    """A public paper with a bookmark per page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle(f"{text} (public)")
    for n in range(pages):
        c.bookmarkPage(f"p{n + 1}")
        c.addOutlineEntry(f"{text} part {n + 1}", f"p{n + 1}", level=0)
        c.drawString(72, 760, f"{text} public sheet {n + 1}")
        c.showPage()
    c.save()
    return path


LEAK_ITEMS = """\
  - title: Apologies for Absence
  - title: Budget Monitoring - Quarter 4
    papers:
      - title: Budget monitoring report
        file: papers/budget.pdf
        appendices:
          - title: Appendix 1 {appendix} tender prices
            file: papers/{appendix}-prices.pdf
            exempt: 3
          - title: Appendix 2 - Public summary
            file: papers/summary.pdf
          - title: Appendix 3 {word} staffing
            file: papers/{word}-staffing.docx
            exempt: [1, 2]
  - title: Leisure Centre Contract - Award
    exempt: 3
    papers:
      - title: Contract award report {report}
        report:
          report_of: Director of Finance
          subject: Contract award {report}
          summary: The evaluation found {report} the preferred bidder.
        appendices:
          - title: Evaluation {partb} matrix
            file: papers/{partb}-matrix.pdf
"""


def leak_meeting(folder: Path, *, items: str = LEAK_ITEMS) -> Path:
    """A meeting with a public item carrying exempt appendices (a PDF and a Word document)
    and a Part B item (a cover report and a PDF appendix), each exempt document with its
    own marker (:data:`MARKERS`) in its text, title, file name, bookmarks and metadata."""
    papers = folder / "papers"
    public_pdf(papers / "budget.pdf", "Budget monitoring", pages=3)
    public_pdf(papers / "summary.pdf", "Public summary", pages=1)
    secret_pdf(papers / f"{MARKERS['appendix']}-prices.pdf", MARKERS["appendix"], pages=3)
    secret_docx(papers / f"{MARKERS['word']}-staffing.docx", MARKERS["word"])
    secret_pdf(papers / f"{MARKERS['partb']}-matrix.pdf", MARKERS["partb"], pages=2)
    return kit.write_meeting(folder, items.format(**MARKERS))


# --- looking for leaks ------------------------------------------------------------------------


def forms(marker: str) -> list[bytes]:
    """How ``marker`` can be written in a file: plain, UTF-16 (both orders), hexadecimal."""
    plain = marker.encode()
    utf16 = [marker.encode("utf-16-be"), marker.encode("utf-16-le")]
    hexes = [form.hex().encode() for form in (plain, *utf16)]
    return [plain, *utf16, *hexes, *(h.upper() for h in hexes)]


def _readings(path: Path) -> Iterable[bytes]:
    """Every way a file's content is searched."""
    data = path.read_bytes()
    yield data
    if path.suffix == ".pdf":
        with tempfile.TemporaryDirectory() as tmp:
            expanded = Path(tmp) / "qdf.pdf"
            subprocess.run(
                ["qpdf", "--qdf", "--object-streams=disable", str(path), str(expanded)],
                check=False,
                capture_output=True,
            )
            yield expanded.read_bytes()
        yield subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True).stdout
    elif path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                yield name.encode()
                yield archive.read(name)
    elif path.suffix == ".json":
        parsed = json.loads(data)
        yield json.dumps(parsed, ensure_ascii=True).encode()
        yield json.dumps(parsed, ensure_ascii=False).encode()


def leaks(folder: Path, markers: Iterable[str]) -> dict[str, list[str]]:
    """Marker -> the files under ``folder`` (relative names) where it is found, in a name
    or in any reading of the content; markers found nowhere are left out."""
    found: dict[str, list[str]] = {}
    wanted = {marker: forms(marker) for marker in markers}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        readings = [name.encode(), *_readings(path)]
        for marker, patterns in wanted.items():
            if any(pattern in reading for reading in readings for pattern in patterns):
                found.setdefault(marker, []).append(name)
    return found
