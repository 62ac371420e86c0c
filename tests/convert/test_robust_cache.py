"""A damaged cache never gives a wrong pack, a crash, or a message blaming a paper.

Every cache entry carries the SHA-256 of its bytes and is checked when it is
read: an entry that is garbage, empty, cut short, has one byte changed, or is
another entry's copy is deleted, reported ("a damaged cache entry was
discarded"), and its document made again, so the pack is the one a clean
build makes. Builds use the fake converter (``tests/fakeconv.py``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from packbuilder.cli import main
from packbuilder.convert import cachedir
from packbuilder.convert._exec import soffice
from packbuilder.convert.cachedir import FOOTER_SIZE, Entry, read_entry, write_entry
from packbuilder.convert.converter import ConversionCache, Converter

from helpers import fakeconv, kit
from helpers.pdftools import page_texts

ITEMS = """\
  - title: Apologies for Absence
  - title: Budget Monitoring
    papers:
      - report: {subject: Budget Monitoring, summary: The budget at the end of the year.}
      - file: papers/budget.pdf
      - file: papers/update.docx
  - title: Scrutiny Report
    papers:
      - report: {subject: Scrutiny Report, summary: What the panels found.}
"""


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def meeting(tmp_path, monkeypatch) -> Path:
    """A meeting with a PDF paper, a Word paper and two cover reports; fake LibreOffice."""
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    kit.pdf(tmp_path / "papers" / "budget.pdf", 3)
    kit.docx(tmp_path / "papers" / "update.docx")
    monkeypatch.chdir(tmp_path)
    return kit.write_meeting(tmp_path, ITEMS)


def build(out: str, *more: str):
    """``packbuilder build meeting.yaml -o OUT --cache-dir cache``; it must succeed."""
    result = invoke("build", "meeting.yaml", "-o", out, "--cache-dir", "cache", *more)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result


def pack(out: str) -> tuple[int, list[str]]:
    """The pack's page count and every page's text."""
    texts = page_texts(Path(out) / "public" / "pack.pdf")
    return len(texts), texts


def garbage(path: Path) -> None:
    path.write_bytes(b"garbage\n")


def empty(path: Path) -> None:
    path.write_bytes(b"")


def truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def without_footer(path: Path) -> None:
    """The document whole, its checksum cut off (an entry written by a copy cut short)."""
    path.write_bytes(path.read_bytes()[:-FOOTER_SIZE])


def one_byte_changed(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01
    path.write_bytes(bytes(data))


def swapped(path: Path) -> None:
    """A whole entry of another key (another document of the same kind) put in its place."""
    other = path.with_name(f"other{path.suffix}")
    document = path.with_name(f"document{path.suffix}.tmp")
    if path.suffix == ".pdf":
        kit.pdf(document, 2)
    else:
        shutil.copyfile(kit.EXAMPLE_DOCX, document)
    assert write_entry(document, other)
    document.unlink()
    os.replace(other, path)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "garbage": garbage,
    "empty": empty,
    "truncated": truncated,
    "without its checksum": without_footer,
    "one byte changed": one_byte_changed,
    "another entry's copy": swapped,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_entries_are_discarded_and_the_pack_is_a_clean_builds(meeting, damage):
    """Every entry of both kinds (converted PDFs, filled templates) damaged at once."""
    build("out/a")
    entries = [p for kind in ("pdf", "docx") for p in sorted(Path("cache", kind).iterdir())]
    assert len(entries) >= 4
    for entry in entries:
        DAMAGE[damage](entry)

    rebuilt = build("out/b")
    assert pack("out/b") == pack("out/a")
    assert f"{len(entries)} damaged cache entries were discarded" in rebuilt.output
    damage_lines = [line for line in rebuilt.output.splitlines() if "accessibility:" not in line]
    assert "papers/" not in "\n".join(damage_lines)  # no paper is blamed (it is untagged)
    assert "converted 0 document(s)" not in rebuilt.output
    assert "filled 0 template(s)" not in rebuilt.output

    again = build("out/c")  # the entries were made again, and are served
    assert "converted 0 document(s)" in again.output and "filled 0 template(s)" in again.output
    assert "damaged" not in again.output
    assert pack("out/c") == pack("out/a")


def test_the_probes_recipe_garbage_templates_three_builds(meeting):
    """The robustness probe: every filled template in the cache overwritten with text."""
    build("out/a")
    entries = list(Path("cache/docx").iterdir())
    for entry in entries:
        entry.write_text("garbage\n")
    first = build("out/b")
    assert f"{len(entries)} damaged cache entries were discarded (in cache) and made again" in (
        first.output
    )
    build("out/c")
    assert pack("out/b") == pack("out/c") == pack("out/a")
    assert not any("garbage" in text for text in pack("out/c")[1])


def test_one_damaged_entry_is_named_in_the_warning(meeting):
    build("out/a")
    entry = next(Path("cache/pdf").iterdir())
    entry.write_bytes(b"")
    result = invoke("-q", "build", "meeting.yaml", "-o", "out/b", "--cache-dir", "cache")
    assert result.exit_code == 0, result.output
    assert f"warning: a damaged cache entry was discarded ({entry}) and made again" in (
        result.output
    )
    assert "packbuilder cache clear" in result.output


def test_progress_says_which_document_is_converted_again(meeting):
    build("out/a")
    for entry in Path("cache/pdf").iterdir():
        entry.write_bytes(b"garbage\n")
    result = invoke("-v", "build", "meeting.yaml", "-o", "out/b", "--cache-dir", "cache")
    assert result.exit_code == 0, result.output
    assert "A damaged cache entry was discarded (cache/pdf/" in result.output
    assert "converting papers/update.docx again" in result.output
    assert "converting the cover report 'Budget Monitoring'" in result.output


def test_two_word_papers_with_the_same_content_convert_once(tmp_path, monkeypatch):
    """Two files, one content: one cache key. Both get their PDF (this was a KeyError)."""
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    kit.docx(tmp_path / "papers" / "a.docx")
    kit.docx(tmp_path / "papers" / "b.docx")
    monkeypatch.chdir(tmp_path)
    kit.write_meeting(
        tmp_path,
        """\
  - title: One
    papers:
      - file: papers/a.docx
  - title: Two
    papers:
      - file: papers/b.docx
""",
    )
    for cache in (["--no-cache"], ["--cache-dir", "cache"], ["--cache-dir", "cache"]):
        result = invoke("build", "meeting.yaml", *cache)
        assert result.exit_code == 0, result.output
    texts = page_texts(Path("build/meeting/public/pack.pdf"))
    assert len(texts) > 3


# --- the entries themselves -------------------------------------------------------------------


def test_an_entry_reads_back_as_written(tmp_path):
    source = kit.pdf(tmp_path / "a.pdf", 2)
    entry = tmp_path / "cache" / "pdf" / "k.pdf"
    assert write_entry(source, entry)
    assert entry.read_bytes().startswith(source.read_bytes())
    assert read_entry(entry, tmp_path / "out" / "a.pdf") is Entry.HIT
    assert (tmp_path / "out" / "a.pdf").read_bytes() == source.read_bytes()
    assert [p.name for p in entry.parent.iterdir()] == ["k.pdf"]  # no temporary file left


def test_a_missing_entry_is_a_miss(tmp_path):
    assert read_entry(tmp_path / "none.pdf", tmp_path / "out.pdf") is Entry.MISS
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_entry_is_deleted_and_nothing_is_copied_out(tmp_path, damage):
    for key, pages in (("a", 2), ("b", 3)):
        assert write_entry(kit.pdf(tmp_path / f"{key}.pdf", pages), tmp_path / "c" / f"{key}.pdf")
    entry = tmp_path / "c" / "a.pdf"
    DAMAGE[damage](entry)
    assert read_entry(entry, tmp_path / "out.pdf") is Entry.DAMAGED
    assert not entry.exists() and not (tmp_path / "out.pdf").exists()


def test_what_is_not_a_whole_document_is_not_stored(tmp_path):
    text = tmp_path / "a.pdf"
    text.write_text("garbage\n")
    assert not write_entry(text, tmp_path / "c" / "k.pdf")
    half = tmp_path / "b.pdf"
    half.write_bytes(kit.pdf(tmp_path / "whole.pdf", 2).read_bytes()[:-200])
    assert not write_entry(half, tmp_path / "c" / "k.pdf")
    zipped = tmp_path / "c.docx"
    shutil.copyfile(kit.EXAMPLE_DOCX, zipped)
    assert write_entry(zipped, tmp_path / "c" / "k.docx")
    assert not write_entry(text, tmp_path / "c" / "t.docx")
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == ["k.docx"]


def test_a_write_cut_short_leaves_the_entry_as_it_was(tmp_path, monkeypatch):
    entry = tmp_path / "c" / "k.pdf"
    assert write_entry(kit.pdf(tmp_path / "old.pdf", 2), entry)
    before = entry.read_bytes()

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    assert not write_entry(kit.pdf(tmp_path / "new.pdf", 3), entry)
    assert entry.read_bytes() == before
    assert [p.name for p in entry.parent.iterdir()] == ["k.pdf"]


def test_an_entry_replaced_meanwhile_by_another_build_is_not_deleted(tmp_path, monkeypatch):
    entry = tmp_path / "c" / "k.pdf"
    assert write_entry(kit.pdf(tmp_path / "a.pdf", 2), entry)
    garbage(entry)
    real = cachedir._copy_verified

    def replaced_meanwhile(*args):
        whole = real(*args)
        assert write_entry(kit.pdf(tmp_path / "b.pdf", 2), entry)  # another build's entry
        return whole

    monkeypatch.setattr(cachedir, "_copy_verified", replaced_meanwhile)
    assert read_entry(entry, tmp_path / "out.pdf") is Entry.DAMAGED
    monkeypatch.undo()
    assert read_entry(entry, tmp_path / "out.pdf") is Entry.HIT


def test_the_converter_serves_a_cached_pdf_from_its_own_work_folder(tmp_path, monkeypatch):
    """A build uses a verified copy: clearing the cache meanwhile cannot break it."""
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    source = kit.docx(tmp_path / "a.docx")
    cache = ConversionCache(tmp_path / "cache")
    first = Converter(tmp_path / "work1", cache).convert([source])[source]
    served = Converter(tmp_path / "work2", cache).convert([source])[source]
    assert served.is_relative_to(tmp_path / "work2")
    assert served.read_bytes() == first.read_bytes()
    shutil.rmtree(tmp_path / "cache")
    assert served.read_bytes() == first.read_bytes()
