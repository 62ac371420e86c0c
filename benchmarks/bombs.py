"""Benchmark: the two decompression bombs of issue 15, measured with ``/usr/bin/time -v``.

1. **1 GB stream**: a PDF of about 1 MB whose one page's content inflates to 1 GB
   (before the limits: 40 s and 2.2 GB of memory, and the stream copied into the pack
   for every reader to inflate);
2. **shared stream**: a 277 KB PDF of 100 pages sharing one content stream that
   inflates to 256 MB (before: the build hung until killed at 300 s).

Each is built by ``packbuilder build`` in a process of its own (the paper is
checked before LibreOffice starts, so the figures are packbuilder's alone), with
the default limits, which refuse both; and the shared stream once more with the
limits raised so that it is accepted (``limits: {stream_mb: 300, paper_mb: 1000}``),
to show it inflated once for its 100 pages rather than 100 times (this run starts
LibreOffice for the front sheet: its time is included; ``time -v``'s maximum
resident set size is the largest of packbuilder's and its children's).

Run: ``python benchmarks/bombs.py`` (needs /usr/bin/time, and LibreOffice for the
last run). It prints, per case: the exit code, the elapsed time, the maximum
resident set size and the first line of the message.

Results on the shared 2-CPU container, one run each (2026-11-27)::

    case                                            file  exit  elapsed   max RSS
    1 GB stream, default limits                   1.0 MB     4    0.8 s    162 MB
    256 MB shared by 100 pages, default limits    0.3 MB     4    0.8 s    160 MB
    256 MB shared by 100 pages, limits raised     0.3 MB     0   11.2 s    312 MB

Both bombs are refused within a second and about 160 MB (the limit is reached after
inflating 100 MB, which is held while it is measured). Raised, the shared stream is
inflated once, and the build (LibreOffice included) takes 11 s; before the limits it
hung until killed at 300 s.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000

COMMITTEE = """\
name: Overview and Scrutiny Board
body: Middlesbrough Council
membership: [A Bell]
contact: {name: A Clerk, phone: "01642 000000", email: clerk@example.gov.uk}
signatory: {name: A Director, title: Director of Legal and Governance Services}
"""


def flate(size: int, chunk: int = 1 << 24) -> bytes:
    """Flate data of page content: a line of text, then ``size`` bytes of spaces."""
    squeeze = zlib.compressobj(9)
    parts = [squeeze.compress(b"BT /F1 14 Tf 72 700 Td (A decompression bomb) Tj ET\n")]
    block = b" " * chunk
    left = size
    while left > 0:
        parts.append(squeeze.compress(block[: min(chunk, left)]))
        left -= chunk
    parts.append(squeeze.flush())
    return b"".join(parts)


def bomb(path: Path, size: int, pages: int, pad: int = 0) -> Path:
    """A PDF of ``pages`` pages sharing one content stream of ``size`` bytes inflated;
    ``pad`` bytes of incompressible data in an unused stream bring it to a given size."""
    data = flate(size)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (10 + n) for n in range(pages)), pages),
        3: b"<< /Length %d >>\nstream\n%s\nendstream" % (pad, os.urandom(pad)),
        4: b"<< /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (len(data), data),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for n in range(pages):
        objects[10 + n] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        )
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    size_ = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size_
    for number in range(1, size_):
        out += (
            b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
        )
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size_, xref)
    path.write_bytes(bytes(out))
    return path


def measure(folder: Path, paper: Path, limits: str = "") -> dict[str, str]:
    """Build a meeting holding ``paper`` under ``/usr/bin/time -v``; what it took."""
    (folder / "papers").mkdir(parents=True, exist_ok=True)
    shutil.copytree(
        ROOT / "src" / "packbuilder" / "templates", folder / "templates", dirs_exist_ok=True
    )
    shutil.copyfile(paper, folder / "papers" / paper.name)
    (folder / "committee.yaml").write_text(COMMITTEE + limits, encoding="utf-8")
    (folder / "meeting.yaml").write_text(
        textwrap.dedent(
            f"""\
            committee: committee.yaml
            date: 2022-05-11
            time: 10.00 am
            venue: Town Hall
            items:
              - title: A paper
                papers: [papers/{paper.name}]
            """
        ),
        encoding="utf-8",
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    run = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-m", "packbuilder", "build", "meeting.yaml"]
        + ["--cache-dir", str(folder / "cache")],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    report = run.stderr
    elapsed = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", report)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
    said = (run.stdout + run.stderr).strip().splitlines()
    return {
        "exit": str(run.returncode),
        "elapsed": _seconds(elapsed.group(1)) if elapsed else "?",
        "rss": f"{int(rss.group(1)) / 1000:.0f} MB" if rss else "?",
        "said": said[0][:110] if said else "",
    }


def _seconds(clock: str) -> str:
    """``0:26.51`` or ``1:02:03`` as ``26.5 s``."""
    total = 0.0
    for part in clock.split(":"):
        total = total * 60 + float(part)
    return f"{total:.1f} s"


def main() -> None:
    if not Path("/usr/bin/time").exists():
        sys.exit("needs /usr/bin/time (apt-get install time)")
    with tempfile.TemporaryDirectory(prefix="packbuilder-bombs-") as temp:
        base = Path(temp)
        gigabyte = bomb(base / "gigabyte.pdf", 1000 * MB, pages=1)
        gigabyte = bomb(base / "gigabyte.pdf", 1000 * MB, 1, max(0, MB - gigabyte.stat().st_size))
        shared = bomb(base / "shared.pdf", 256 * MB, pages=100)
        shared = bomb(base / "shared.pdf", 256 * MB, 100, max(0, 277_000 - shared.stat().st_size))
        raised = "limits: {stream_mb: 300, paper_mb: 1000}\n"
        cases = [
            ("1 GB stream, default limits", gigabyte, ""),
            ("256 MB shared by 100 pages, default limits", shared, ""),
            ("256 MB shared by 100 pages, limits raised", shared, raised),
        ]
        print(f"{'case':44}{'file':>8}{'exit':>6}{'elapsed':>9}{'max RSS':>10}")
        for n, (name, paper, limits) in enumerate(cases):
            result = measure(base / f"case{n}", paper, limits)
            size = f"{paper.stat().st_size / MB:.1f} MB"
            print(f"{name:44}{size:>8}{result['exit']:>6}{result['elapsed']:>9}{result['rss']:>10}")
            print(f"    {result['said']}")


if __name__ == "__main__":
    main()
