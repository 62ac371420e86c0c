"""A stand-in for LibreOffice in tests: a .docx becomes a plain PDF of its text.

Used two ways: in-process, :func:`convert_to_pdf` replaces
``packbuilder.convert._exec.soffice.convert_to_pdf`` (unit and property tests); as a
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
    """The text of a .docx: one string per paragraph (per line of it) or table row, in body
    order; tabs and table cells are written " | "."""
    return [text for text, _links in docx_lines(path)]


def docx_lines(path: Path) -> list[tuple[str, list[str]]]:
    """:func:`docx_blocks`, each with the addresses of the hyperlinks in it (a paragraph's
    links go with its last line)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    blocks: list[tuple[str, list[str]]] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":  # a tab shows as " | " (the agenda's columns), a line break splits
            paragraph = Paragraph(child, document)
            lines = paragraph.text.replace("\t", " | ").split("\n")
            blocks += [(line, []) for line in lines[:-1]]
            blocks.append((lines[-1], [link.url for link in paragraph.hyperlinks]))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = [" / ".join(cell.text.split("\n")) for cell in row.cells]
                links = [
                    link.url
                    for cell in row.cells
                    for paragraph in cell.paragraphs
                    for link in paragraph.hyperlinks
                ]
                blocks.append((" | ".join(cells), links))
    return blocks


def text_pdf(blocks: Sequence[str], out: Path, links: Sequence[Sequence[str]] | None = None) -> int:
    """Write ``blocks`` as a text PDF (see the module docstring); return its page count.
    ``links[n]`` are the addresses block ``n`` links to: each is a link over its last line,
    as LibreOffice writes a hyperlink."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pages: list[list[tuple[str, Sequence[str]]]] = [[]]
    for n, block in enumerate(blocks):
        lines = textwrap.wrap(block, WIDTH, subsequent_indent="  ") or [""]
        if len(pages[-1]) + len(lines) > LINES_PER_PAGE and pages[-1]:
            pages.append([])
        urls = links[n] if links else ()
        pages[-1].extend(
            (line, urls if k == len(lines) - 1 else ()) for k, line in enumerate(lines)
        )
    pdf = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    for lines in pages:
        y = 800
        for line, urls in lines:
            pdf.drawString(40, y, line)
            for url in urls:
                pdf.linkURL(url, (40, y - 4, 560, y + 12), relative=0)
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
        lines = docx_lines(Path(source))
        text_pdf([text for text, _ in lines], pdf, [urls for _, urls in lines])
        results[source] = pdf
    return results


FAKE_SOFFICE = """\
#!{python}
# A fake soffice for tests (see tests/fakeconv.py). FAKE_SOFFICE_MODE:
#   convert (default): write a text PDF of each input, after FAKE_SOFFICE_SLEEP seconds;
#   hang: start a child that ignores SIGTERM, then sleep for ever;
#   FAKE_SOFFICE_HANG_ON=text: hang if an input's text contains it, else convert.
# Every process started appends its pid to FAKE_SOFFICE_PIDS (if set).
# With --accept=pipe,name=NAME it stays running (as for OfficeServer) until the fake
# bridge (FAKE_UNO_BRIDGE) writes $TMPDIR/NAME.quit; in hang mode it also starts a
# child that ignores SIGTERM.
import os, signal, subprocess, sys, time
sys.path.insert(0, {tests!r})
pids = os.environ.get("FAKE_SOFFICE_PIDS")
def record(pid):
    if pids:
        with open(pids, "a") as handle:
            handle.write(f"{{pid}}\\n")
record(os.getpid())
args = sys.argv[1:]
accept = [a for a in args if a.startswith("--accept=pipe,name=")]
if accept:  # kept running for a fake bridge (FAKE_UNO_BRIDGE): wait to be told to quit
    import tempfile
    pipe = accept[0].split("name=", 1)[1].split(";", 1)[0]
    quit_file = os.path.join(tempfile.gettempdir(), pipe + ".quit")
    if os.environ.get("FAKE_SOFFICE_MODE") == "hang":
        child = subprocess.Popen([sys.executable, "-c",
            "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"])
        record(child.pid)
    while not os.path.exists(quit_file):
        time.sleep(0.05)
    os.unlink(quit_file)
    sys.exit(0)
outdir = args[args.index("--outdir") + 1]
skip = {{args.index("--outdir") + 1, args.index("--convert-to") + 1}}
inputs = [a for i, a in enumerate(args) if not a.startswith("-") and i not in skip]
mode = os.environ.get("FAKE_SOFFICE_MODE", "convert")
marker = os.environ.get("FAKE_SOFFICE_HANG_ON")
if marker:
    from helpers import fakeconv
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
from helpers import fakeconv
fakeconv.convert_to_pdf([Path(p) for p in inputs], Path(outdir), timeout=0)
for p in inputs:
    print(f"convert {{p}} -> {{outdir}} using filter : writer_pdf_Export")
"""


FAKE_UNO_BRIDGE = """\
#!{python}
# A fake "Python with uno" for tests (see tests/fakeconv.py), set as PACKBUILDER_UNO_PYTHON.
# "-c CODE" (the probe for uno) exits FAKE_UNO_PROBE_EXIT (default 0). Run with the bridge
# script's arguments, it speaks the bridge's JSON lines, converting with fakeconv.
# FAKE_BRIDGE_MODE:
#   convert (default): reply to each request; an input whose text contains
#     FAKE_BRIDGE_REFUSE_ON gets an error; one whose text contains FAKE_BRIDGE_HANG_ON
#     makes the bridge hang (a child that ignores SIGTERM, then sleep for ever);
#   silent: never say ready;
#   die-once: exit at the first request of the first bridge (FAKE_BRIDGE_STATE marks it);
#   die: exit at every request.
# Every process started appends its pid to FAKE_SOFFICE_PIDS (if set).
import json, os, subprocess, sys, tempfile, time
sys.path.insert(0, {tests!r})
if len(sys.argv) > 1 and sys.argv[1] == "-c":
    sys.exit(int(os.environ.get("FAKE_UNO_PROBE_EXIT", "0")))
pids = os.environ.get("FAKE_SOFFICE_PIDS")
if pids:
    with open(pids, "a") as handle:
        handle.write(f"{{os.getpid()}}\\n")
args = sys.argv[2:]
pipe = args[args.index("--pipe") + 1]
mode = os.environ.get("FAKE_BRIDGE_MODE", "convert")
if mode == "silent":
    time.sleep(600)
def send(message):
    sys.stdout.write(json.dumps(message) + "\\n")
    sys.stdout.flush()
send({{"ready": True}})
state = os.environ.get("FAKE_BRIDGE_STATE")
for line in sys.stdin:
    request = json.loads(line)
    if request.get("terminate"):
        open(os.path.join(tempfile.gettempdir(), pipe + ".quit"), "w").close()
        send({{"ok": True}})
        sys.exit(0)
    if mode == "die" or (mode == "die-once" and state and not os.path.exists(state)):
        if state:
            open(state, "w").close()
        sys.exit(3)
    from pathlib import Path
    from helpers import fakeconv
    source = Path(request["in"])
    text = " ".join(fakeconv.docx_blocks(source))
    refuse = os.environ.get("FAKE_BRIDGE_REFUSE_ON")
    if refuse and refuse in text:
        send({{"error": "source file could not be loaded"}})
        continue
    marker = os.environ.get("FAKE_BRIDGE_HANG_ON")
    if marker and marker in text:
        child = subprocess.Popen([sys.executable, "-c",
            "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"])
        if pids:
            with open(pids, "a") as handle:
                handle.write(f"{{child.pid}}\\n")
        time.sleep(600)
    fakeconv.text_pdf(fakeconv.docx_blocks(source), Path(request["out"]))
    send({{"ok": True}})
"""


def write_fake_uno_python(folder: Path) -> Path:
    """Write the fake Python-with-uno (a fake bridge) into ``folder``; return its path."""
    program = folder / "fake_uno_python.py"
    program.write_text(
        FAKE_UNO_BRIDGE.format(
            python=sys.executable, tests=str(Path(__file__).resolve().parents[1])
        )
    )
    program.chmod(0o755)
    return program


def write_fake_soffice(folder: Path) -> Path:
    """Write the fake ``soffice`` program into ``folder``; return its path."""
    program = folder / "fake_soffice.py"
    program.write_text(
        FAKE_SOFFICE.format(python=sys.executable, tests=str(Path(__file__).resolve().parents[1]))
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


__all__ = [
    "convert_to_pdf",
    "docx_blocks",
    "docx_lines",
    "pid_alive",
    "text_pdf",
    "write_fake_soffice",
    "write_fake_uno_python",
]

if __name__ == "__main__":  # pragma: no cover - a quick look: python tests/fakeconv.py x.docx
    for name in sys.argv[1:]:
        print(os.linesep.join(docx_blocks(Path(name))))
