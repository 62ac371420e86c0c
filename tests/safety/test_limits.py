"""Bounded work: decompression bombs are refused within the paper's limits, a shared stream
is inflated once, and the limits are the committee's to raise.

The two bombs of the issue (a 1 GB Flate stream in a 1 MB PDF; a 256 MB stream shared by
100 pages) are measured, with time and memory, by ``benchmarks/bombs.py``; here smaller
ones (just over the limits) are refused, with exit code 4, a message naming the paper and
the page, how to export it again and how to raise the limit.
"""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from packbuilder.cli import main
from packbuilder.exceptions import ExitCode
from packbuilder.inputs import pdflimits
from packbuilder.inputs.pdflimits import LimitError, PaperBudget
from packbuilder.model.limits import MB, Limits

from helpers import kit
from helpers.safetykit import VISIBLE, assert_clean, outputs, paper, raw_pdf, stream

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("qpdf") and shutil.which("soffice")),
    reason="needs poppler-utils, qpdf and LibreOffice (for the converter's identity)",
)


def flate_of_spaces(size: int, text: bytes = VISIBLE) -> bytes:
    """Flate data of a page's content: text, then ``size`` bytes of spaces (valid content)."""
    squeeze = zlib.compressobj(9)
    parts = [squeeze.compress(b"BT /F1 14 Tf 72 700 Td (%s) Tj ET\n" % text)]
    block = b" " * MB
    for _ in range(size // MB):
        parts.append(squeeze.compress(block))
    parts.append(squeeze.compress(b" " * (size % MB)))
    parts.append(squeeze.flush())
    return b"".join(parts)


def bomb_pdf(path: Path, size: int, *, pages: int = 1) -> Path:
    """``pages`` pages sharing one content stream that inflates to ``size`` bytes."""
    data = flate_of_spaces(size)
    kids = b" ".join(b"%d 0 R" % (10 + n) for n in range(pages))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        4: b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(data) + data + b"\nendstream",
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for n in range(pages):
        objects[10 + n] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        )
    return raw_pdf(path, objects)


def build_in(folder: Path, monkeypatch, paper_path: Path, committee: str = ""):
    target = folder / "papers" / paper_path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(paper_path, target)
    kit.write_meeting(
        folder,
        f"  - title: Bomb\n    papers: [papers/{target.name}]\n",
        committee=kit.COMMITTEE + committee,
    )
    monkeypatch.chdir(folder)
    return CliRunner().invoke(main, ["build", "meeting.yaml"])


def test_a_content_stream_over_the_limit_is_refused_naming_paper_and_page(tmp_path, monkeypatch):
    source = bomb_pdf(tmp_path / "bomb.pdf", 110 * MB)
    assert source.stat().st_size < 200_000
    result = build_in(tmp_path / "m", monkeypatch, source)
    assert result.exit_code == ExitCode.BAD_DOCUMENT, result.output
    assert (
        "papers/bomb.pdf: the content of page 1 would take more than 100 MB once decompressed, "
        "the most packbuilder accepts for one stream" in result.output
    )
    assert "print it to a new PDF" in result.output
    assert "'limits: {stream_mb: 200}'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "m" / "build" / "meeting").exists()


def test_the_committee_raises_the_limits(tmp_path, monkeypatch):
    """A page whose content is 3 MB: refused under 'stream_mb: 2', built under 4."""
    refused = build_in(
        tmp_path / "m",
        monkeypatch,
        bomb_pdf(tmp_path / "big.pdf", 3 * MB),
        "limits: {stream_mb: 2}\n",
    )
    assert refused.exit_code == ExitCode.BAD_DOCUMENT, refused.output
    assert "more than 2 MB once decompressed" in refused.output
    pdfs, _warnings = outputs(
        tmp_path / "again",
        bomb_pdf(tmp_path / "big.pdf", 3 * MB),
        committee="limits: {stream_mb: 4}\n",
        monkeypatch=monkeypatch,
    )
    assert_clean(pdfs)


def test_a_shared_stream_is_inflated_once(tmp_path, monkeypatch):
    """100 pages share one 2 MB content stream: checking and copying them (the public and
    the members' pack, each written on its own, and their item PDFs) inflates it once, not
    once per page and per file; the supplement, another build, once more."""
    source = bomb_pdf(tmp_path / "shared.pdf", 2 * MB, pages=100)
    shared = len(flate_of_spaces(2 * MB))
    inflated: list[str] = []
    original = PaperBudget.inflate

    def counting(self, data, what, **options):
        if len(data) == shared:
            inflated.append(what)
        return original(self, data, what, **options)

    monkeypatch.setattr(PaperBudget, "inflate", counting)
    pdfs, _warnings = outputs(tmp_path, source, monkeypatch=monkeypatch)
    assert inflated == ["the content of page 1", "the content of page 1"]
    assert len(pdfs) == 8  # public/ and members/ of each build


def test_the_papers_total_is_limited(tmp_path, monkeypatch):
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [10 0 R 11 0 R 12 0 R] /Count 3 >>",
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for n in range(3):  # three different 1.5 MB contents: each under 2 MB, 4.5 MB in all
        data = flate_of_spaces(int(1.5 * MB), b"page %d" % n)
        objects[20 + n] = b"<< /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (
            len(data),
            data,
        )
        objects[10 + n] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>" % (20 + n)
        )
    source = raw_pdf(tmp_path / "many.pdf", objects)
    result = build_in(tmp_path / "m", monkeypatch, source, "limits: {stream_mb: 2, paper_mb: 4}\n")
    assert result.exit_code == ExitCode.BAD_DOCUMENT, result.output
    assert "more than 4 MB once decompressed, the most packbuilder accepts for one paper" in (
        result.output
    )
    assert "'limits: {paper_mb: 200}'" in result.output


def test_a_picture_declaring_an_enormous_size_is_refused_without_decoding_it(tmp_path, monkeypatch):
    image = b"/Type /XObject /Subtype /Image /Width 100000 /Height 100000 "
    image += b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode"
    extra = {10: stream(b"x" * 100, image, compress=True)}
    source = paper(
        tmp_path / "huge-picture.pdf",
        content=b"q 100 0 0 100 72 600 cm /Im1 Do Q BT /F1 14 Tf 72 700 Td (x) Tj ET",
        resources=b"/Font << /F1 5 0 R >> /XObject << /Im1 10 0 R >>",
        extra=extra,
    )
    result = build_in(tmp_path / "m", monkeypatch, source)
    assert result.exit_code == ExitCode.BAD_DOCUMENT, result.output
    assert "a picture on page 1 would take more than 500 MB once decompressed" in result.output
    assert "'limits: {picture_mb: 1000}'" in result.output


def test_the_time_spent_on_a_paper_is_limited(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(pdflimits.time, "monotonic", lambda: now[0])
    reader = type("Reader", (), {"path": Path("papers/slow.pdf"), "what": "papers/slow.pdf"})()
    budget = PaperBudget(reader, Limits(paper_seconds=30))
    with budget.working():
        now[0] += 20
    with pytest.raises(LimitError) as caught, budget.working():
        now[0] += 15
        budget.check_time()
    assert caught.value.where == "papers/slow.pdf"
    assert "took more than 30 s, the most packbuilder spends on one paper" in caught.value.message
    assert "'limits: {paper_seconds: 300}'" in str(caught.value)


def test_limits_in_the_committee_file_are_checked(tmp_path):
    folder = tmp_path / "m"
    kit.pdf(folder / "papers" / "a.pdf")
    kit.write_meeting(
        folder,
        "  - title: X\n    papers: [papers/a.pdf]\n",
        committee=kit.COMMITTEE + "limits: {stream_mb: 0, paper_second: 5}\n",
    )
    result = CliRunner().invoke(main, ["check", str(folder / "meeting.yaml")])
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "limits.stream_mb" in result.output
    assert "unknown key 'paper_second' in limits — did you mean 'paper_seconds'?" in result.output
