"""A kit for robustness tests: tricky PDFs and Word files made on the spot, small meetings.

Every awkward input is generated here (reportlab, pypdf, qpdf), never
downloaded: odd pages (rotated, landscape, A3, boxes not at 0,0), papers with
forms, links and their own bookmarks, and damaged files (zero bytes, not a
PDF, truncated, a broken cross-reference table, encrypted, no pages).
"""

from __future__ import annotations

import io
import os
import queue
import shutil
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.pdfgen import canvas

from packbuilder.cli import main
from packbuilder.exceptions import ExitCode
from packbuilder.load.meeting import load_meeting
from packbuilder.model.meeting import Meeting, ReportSource

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "packbuilder" / "templates"
MEETING_FILE = ROOT / "meetings" / "osb-2022-05-11.yaml"
EXAMPLE_DOCX = ROOT / "meetings" / "papers" / "item08-addendum.docx"

COMMITTEE = """\
name: Pwyllgor Craffu / Scrutiny Committee
body: Cyngor Sir Ynys Môn
membership:
  - {name: Llinos Medi Huws, role: Chair}
  - Dafydd Rhys Thomas
  - Siân Ŵyn ap Gwilym
contact: {name: Ann Holmes, phone: 01248 752518, email: ann@example.gov.uk}
signatory: {name: Lynn Ball, title: Director of Function (Council Business)}
address: [Council Offices, Llangefni]
"""

# --- PDFs ---------------------------------------------------------------------------------


def pdf(
    path: Path,
    pages: int = 1,
    *,
    size: tuple[float, float] = A4,
    rotate: int = 0,
    text: str | None = None,
) -> Path:
    """A PDF of ``pages`` pages of ``size`` points, each saying ``<text> sheet <n>``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    label = text or path.stem
    c = canvas.Canvas(str(path), pagesize=size, invariant=1)
    for n in range(pages):
        if rotate:
            c.setPageRotation(rotate)
        c.drawString(72, size[1] - 100, f"{label} sheet {n + 1}")
        c.showPage()
    c.save()
    return path


def landscape_pdf(path: Path, pages: int = 2) -> Path:
    return pdf(path, pages, size=landscape(A4))


def a3_pdf(path: Path, pages: int = 1) -> Path:
    return pdf(path, pages, size=A3)


def rotated_pdf(path: Path) -> Path:
    """Four pages rotated 0, 90, 180 and 270 degrees."""
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for n, angle in enumerate((0, 90, 180, 270)):
        c.setPageRotation(angle)
        c.drawString(72, 700, f"{path.stem} sheet {n + 1} rotated {angle}")
        c.showPage()
    c.save()
    return path


def offset_box_pdf(path: Path, pages: int = 2) -> Path:
    """Pages whose MediaBox starts at (100, 200) and CropBox is smaller still."""
    plain = path.with_suffix(".plain.pdf")
    c = canvas.Canvas(str(plain), pagesize=A4, invariant=1)
    for n in range(pages):
        c.drawString(200, 700, f"{path.stem} sheet {n + 1}")  # inside both boxes
        c.showPage()
    c.save()
    source = PdfReader(plain)
    writer = PdfWriter()
    for page in source.pages:
        page.mediabox = RectangleObject([100, 200, 100 + A4[0], 200 + A4[1]])
        page.cropbox = RectangleObject([120, 220, 80 + A4[0], 180 + A4[1]])
        writer.add_page(page)
    with path.open("wb") as handle:
        writer.write(handle)
    plain.unlink()
    return path


def form_pdf(path: Path) -> Path:
    """One page with a text field and a check box (an AcroForm)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.drawString(72, 760, f"{path.stem} sheet 1: a form")
    c.acroForm.textfield(name="councillor", x=72, y=700, width=200, height=20, value="Name")
    c.acroForm.checkbox(name="agree", x=72, y=660, size=16, checked=True)
    c.showPage()
    c.save()
    return path


def linked_pdf(path: Path, pages: int = 3) -> Path:
    """Pages with their own bookmarks, an internal link (page 1 to 3) and a web link."""
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for n in range(pages):
        c.bookmarkPage(f"p{n + 1}")
        c.addOutlineEntry(f"Own heading {n + 1}", f"p{n + 1}", level=0)
        c.drawString(72, 760, f"{path.stem} sheet {n + 1}")
        if n == 0:
            c.drawString(72, 700, "See the last page")
            c.linkRect("", f"p{pages}", (72, 695, 250, 712), relative=0)
            c.linkURL("https://www.example.gov.uk/", (72, 650, 250, 667), relative=0)
        c.showPage()
    c.save()
    return path


def zero_page_pdf(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        PdfWriter().write(handle)
    return path


def truncated_pdf(path: Path) -> Path:
    data = pdf(path, 4).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def bad_startxref_pdf(path: Path, pages: int = 2) -> Path:
    """A valid PDF whose ``startxref`` points nowhere: readers must rebuild the table."""
    data = pdf(path, pages).read_bytes()
    start = data.rindex(b"startxref")
    path.write_bytes(data[:start] + b"startxref\n999999\n%%EOF\n")
    return path


def bad_xref_entries_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF whose cross-reference entries all point 7 bytes too far."""
    import re

    data = pdf(path, pages).read_bytes()
    start, end = data.rindex(b"\nxref\n"), data.rindex(b"trailer")
    table = re.sub(
        rb"(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m.group(1)) + 7), data[start:end]
    )
    path.write_bytes(data[:start] + table + data[end:])
    return path


def encrypted_pdf(path: Path, user_password: str, pages: int = 2) -> Path:
    """Encrypted with qpdf (AES-256); an empty user password opens without asking."""
    plain = pdf(path.with_suffix(".plain.pdf"), pages, text=path.stem)
    subprocess.run(
        ["qpdf", "--encrypt", user_password, "owner-secret", "256", "--", str(plain), str(path)],
        check=True,
    )
    plain.unlink()
    return path


def not_a_pdf(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Minutes of the last meeting (typed in Notepad, saved as .pdf)\n")
    return path


def zero_bytes(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


# --- Word files ---------------------------------------------------------------------------


def docx(path: Path) -> Path:
    """A real Word document (the example meeting's addendum)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(EXAMPLE_DOCX, path)
    return path


def rezip(source: Path, target: Path, *, drop: Iterable[str] = (), change=None) -> Path:
    """Copy a .docx, leaving out the parts in ``drop`` and passing bytes through ``change``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    dropped = set(drop)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            if name in dropped:
                continue
            data = old.read(name)
            if change is not None:
                data = change(name, data)
            new.writestr(name, data)
    return target


def unconvertible_docx(path: Path) -> Path:
    """A zip with a valid word/document.xml that LibreOffice cannot load (no content types)."""
    return rezip(EXAMPLE_DOCX, path, drop=["[Content_Types].xml"])


# --- meetings ------------------------------------------------------------------------------


def write_meeting(
    folder: Path,
    items: str,
    *,
    name: str = "meeting.yaml",
    committee: str = COMMITTEE,
    head: str = "",
) -> Path:
    """A meeting file in ``folder`` with the real templates; ``items`` is the YAML list body."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "templates").exists():
        shutil.copytree(TEMPLATES, folder / "templates")
    (folder / "committee.yaml").write_text(committee, encoding="utf-8")
    text = (
        "committee: committee.yaml\n"
        "date: 2022-05-11\n"
        "time: 10.00 am\n"
        "venue: Council Chamber, Llangefni\n"
        "published: 2022-05-03\n" + head + "items:\n" + textwrap.dedent(items)
    )
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative name -> bytes), to prove it was not touched."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def leftovers(output_dir: Path) -> list[str]:
    """Staging or set-aside folders left beside an output folder."""
    if not output_dir.parent.exists():
        return []
    return sorted(
        p.name
        for p in output_dir.parent.iterdir()
        if p.name.startswith(f".{output_dir.name}.") and not p.name.endswith(".lock")
    )


def packbuilder(
    *args: str, cwd: Path, env: dict[str, str] | None = None, **options
) -> subprocess.Popen:
    """Start ``python -m packbuilder ARGS`` as a real process (source tree on PYTHONPATH)."""
    environment = dict(os.environ, **(env or {}))
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), environment.get("PYTHONPATH", "")]
    ).rstrip(os.pathsep)
    return subprocess.Popen(
        [sys.executable, "-m", "packbuilder", *args],
        cwd=cwd,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **options,
    )


class Lines:
    """A process's output lines, read in a thread, waited for by content."""

    def __init__(self, stream) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.seen):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {text!r} in: {''.join(self.seen)}")
            try:
                self.seen.append(self.lines.get(timeout=remaining))
            except queue.Empty:
                continue

    def count(self, text: str) -> int:
        return sum(text in line for line in self.seen)


def pdf_bytes(pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for n in range(pages):
        c.drawString(72, 720, f"sheet {n + 1}")
        c.showPage()
    c.save()
    return buffer.getvalue()


# A forward plan of one entry, in a plan.yaml with an entries/ folder.
SMALL_PLAN = """\
title: Executive Forward Work Programme
documents_address: Town Hall, Middlesbrough
documents_note: Ask Democratic Services for other documents.
include: [entries/]
"""

SMALL_PLAN_ENTRIES = """\
portfolio: Executive Member for Regeneration
entries:
  - reference: "1012073"
    subject: Strategic Housing Site Disposals
    decision_maker: Executive
    due_date: 2022-06-14
    background_documents: none
"""


# --- the example meeting --------------------------------------------------------------------

REFERENCE_ITEM_PAGES = {"4": "3 - 10", "5": "11 - 14", "8": "15 - 82", "9": "83 - 116"}
"""The page ranges the reference agenda prints."""


def make_reference_meeting() -> Meeting:
    """The reference meeting, loaded from the example meeting file."""
    return load_meeting(MEETING_FILE)


def _item4_report_fields() -> dict:
    source = make_reference_meeting().items[3].papers[0].document.source
    assert isinstance(source, ReportSource)
    return dict(source.fields)


ITEM4_REPORT_FIELDS = _item4_report_fields()
"""The fields of the item 4 cover report, with the reference's text (from the example)."""


# --- small definitions (enough to load, not to build) ---------------------------------------

DEFINITION_COMMITTEE = """\
name: Overview and Scrutiny Board
body: Middlesbrough Council
membership:
  - {name: M Saunders, role: Chair}
  - A Bell
contact: {name: Caroline Breheny, phone: 01642 729752, email: cb@example.gov.uk}
signatory: {name: Charlotte Benjamin, title: Director of Legal and Governance Services}
address: [Town Hall, Middlesbrough]
"""

DEFINITION_MEETING = """\
committee: committee.yaml
date: 2022-05-11
time: 10:00
venue: Virtual meeting
published: 2022-05-03
items:
  - title: Apologies for Absence
  - title: Executive Member Update
    papers:
      - file: paper.pdf
        pages: 1-2
"""


def write_definition(
    folder: Path, meeting: str = DEFINITION_MEETING, committee: str = DEFINITION_COMMITTEE
) -> Path:
    """A small meeting file and its committee in ``folder``, with placeholder templates and paper
    (enough to load the definition, not to build it)."""
    (folder / "templates").mkdir(exist_ok=True)
    (folder / "templates" / "agenda.docx").write_bytes(b"placeholder")
    (folder / "templates" / "report.docx").write_bytes(b"placeholder")
    (folder / "committee.yaml").write_text(committee, encoding="utf-8")
    (folder / "paper.pdf").write_bytes(b"%PDF-1.4 placeholder")
    path = folder / "meeting.yaml"
    path.write_text(textwrap.dedent(meeting), encoding="utf-8")
    return path


def make_pdf(path: Path, pages: int = 3, text: str = "Report") -> Path:
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for n in range(pages):
        c.drawString(72, 720, f"{text} page {n + 1}")
        c.showPage()
    c.save()
    return path


# --- the command line, in-process -----------------------------------------------------------

PAPERS = """\
  - title: Apologies for Absence
  - title: Budget Monitoring – Quarter 4
    papers:
      - file: papers/budget.pdf
        pages: 1-2
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def meeting(tmp_path: Path, items: str = PAPERS, **options) -> Path:
    pdf(tmp_path / "papers" / "budget.pdf", 3)
    return write_meeting(tmp_path, items, **options)


def fails(result, code: ExitCode, *fragments: str) -> str:
    """The run failed with ``code``, no traceback, a hint, and every fragment in its output."""
    output = result.output
    assert result.exit_code == code, output
    assert "Traceback" not in output and "internal error" not in output, output
    assert output.startswith("error: "), output
    assert "What to do:" in output or " — " in output, f"no advice in: {output}"
    for fragment in fragments:
        assert fragment in output, f"{fragment!r} not in:\n{output}"
    return output


def check_and_build_fail(tmp_path: Path, path: Path, code: ExitCode, *fragments: str) -> None:
    fails(run("check", str(path)), code, *fragments)
    out = tmp_path / "out"
    fails(run("build", str(path), "-o", str(out), "--no-cache"), code, *fragments)
    assert not out.exists()
