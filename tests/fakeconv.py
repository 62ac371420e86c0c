"""A stand-in for LibreOffice in tests: a .docx becomes a plain PDF of its text.

Used two ways: in-process, :func:`convert_to_pdf` replaces
``packbuilder._exec.soffice.convert_to_pdf`` (unit and property tests); as a
program, ``fake_soffice.py`` (written by :func:`write_fake_soffice`) is set as
``PACKBUILDER_SOFFICE`` to test timeouts, Ctrl-C and locking with real
processes. End-to-end tests use the real LibreOffice.

The PDF holds the document's text: paragraphs and table rows in body order, a
table row as its cells joined by `` | `` (line breaks inside a cell become
`` / ``), wrapped at :data:`WIDTH` characters with continuation lines indented
by two spaces, :data:`LINES_PER_PAGE` lines a page; a row is never split
across pages. So the PDF's length follows the text's, as LibreOffice's does.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

WIDTH = 90
LINES_PER_PAGE = 40


def docx_blocks(path: Path) -> list[str]:
    """The text of a .docx: one string per paragraph or table row, in body order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    blocks: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = [" / ".join(cell.text.split("\n")) for cell in row.cells]
                blocks.append(" | ".join(cells))
    return blocks


def text_pdf(blocks: Sequence[str], out: Path) -> int:
    """Write ``blocks`` as a text PDF (see the module docstring); return its page count."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pages: list[list[str]] = [[]]
    for block in blocks:
        lines = textwrap.wrap(block, WIDTH, subsequent_indent="  ") or [""]
        if len(pages[-1]) + len(lines) > LINES_PER_PAGE and pages[-1]:
            pages.append([])
        pages[-1].extend(lines)
    pdf = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    for lines in pages:
        y = 800
        for line in lines:
            pdf.drawString(40, y, line)
            y -= 18
        pdf.showPage()
    pdf.save()
    return len(pages)


def convert_to_pdf(
    inputs: Sequence[Path], outdir: Path, *, timeout: float, **_options: object
) -> dict[Path, Path]:
    """Same contract as ``soffice.convert_to_pdf``, without LibreOffice."""
    outdir.mkdir(parents=True, exist_ok=True)
    results = {}
    for source in inputs:
        pdf = outdir / (Path(source).stem + ".pdf")
        text_pdf(docx_blocks(Path(source)), pdf)
        results[source] = pdf
    return results


FAKE_SOFFICE = """\
#!{python}
# A fake soffice for tests (see tests/fakeconv.py). FAKE_SOFFICE_MODE:
#   convert (default): write a text PDF of each input, after FAKE_SOFFICE_SLEEP seconds;
#   hang: start a child that ignores SIGTERM, then sleep for ever;
#   FAKE_SOFFICE_HANG_ON=text: hang if an input's text contains it, else convert.
# Every process started appends its pid to FAKE_SOFFICE_PIDS (if set).
import os, signal, subprocess, sys, time
sys.path.insert(0, {tests!r})
pids = os.environ.get("FAKE_SOFFICE_PIDS")
def record(pid):
    if pids:
        with open(pids, "a") as handle:
            handle.write(f"{{pid}}\\n")
record(os.getpid())
args = sys.argv[1:]
outdir = args[args.index("--outdir") + 1]
skip = {{args.index("--outdir") + 1, args.index("--convert-to") + 1}}
inputs = [a for i, a in enumerate(args) if not a.startswith("-") and i not in skip]
mode = os.environ.get("FAKE_SOFFICE_MODE", "convert")
marker = os.environ.get("FAKE_SOFFICE_HANG_ON")
if marker:
    import fakeconv
    from pathlib import Path
    if any(marker in " ".join(fakeconv.docx_blocks(Path(p))) for p in inputs):
        mode = "hang"
if mode == "hang":
    child = subprocess.Popen([sys.executable, "-c",
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"])
    record(child.pid)
    time.sleep(600)
time.sleep(float(os.environ.get("FAKE_SOFFICE_SLEEP", "0")))
from pathlib import Path
import fakeconv
fakeconv.convert_to_pdf([Path(p) for p in inputs], Path(outdir), timeout=0)
for p in inputs:
    print(f"convert {{p}} -> {{outdir}} using filter : writer_pdf_Export")
"""


def write_fake_soffice(folder: Path) -> Path:
    """Write the fake ``soffice`` program into ``folder``; return its path."""
    program = folder / "fake_soffice.py"
    program.write_text(
        FAKE_SOFFICE.format(python=sys.executable, tests=str(Path(__file__).resolve().parent))
    )
    program.chmod(0o755)
    return program


def pid_alive(pid: int) -> bool:
    """True while a process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


__all__ = ["convert_to_pdf", "docx_blocks", "pid_alive", "text_pdf", "write_fake_soffice"]

if __name__ == "__main__":  # pragma: no cover - a quick look: python tests/fakeconv.py x.docx
    for name in sys.argv[1:]:
        print(os.linesep.join(docx_blocks(Path(name))))
