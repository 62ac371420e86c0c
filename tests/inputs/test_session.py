"""Build sessions: what a long-lived process reuses between builds, and that it is never stale.

Builds use the fake converter (no LibreOffice) except those marked e2e. A
session's builds are compared with builds without one: the same outputs,
the same warnings, the same manifest.
"""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import weakref
import zipfile
from pathlib import Path

import pytest

from packbuilder import api, render
from packbuilder.api.watch import Events, Watcher
from packbuilder.convert._exec import soffice
from packbuilder.exceptions import DocumentError, PackbuilderError
from packbuilder.inputs import session
from packbuilder.inputs.session import BuildSession
from packbuilder.render import cache as rendercache
from packbuilder.render.cache import RenderCache

from helpers import fakeconv, kit
from helpers.kit import MEETING_FILE, TEMPLATES
from helpers.pdftools import page_texts

ITEMS = """\
  - title: Budget Monitoring
    papers:
      - file: papers/budget.pdf
      - file: papers/update.docx
  - title: Scrutiny Report
    papers:
      - file: papers/scrutiny.pdf
  - title: Cover Report
    papers:
      - report: {subject: Cover Report, summary: A summary., report_of: Chief Executive,
                 purpose: To report., proposed_decisions: That it is noted.}
"""


@pytest.fixture
def meeting(tmp_path, monkeypatch) -> Path:
    kit.pdf(tmp_path / "papers" / "budget.pdf", 3)
    kit.pdf(tmp_path / "papers" / "scrutiny.pdf", 2)
    kit.docx(tmp_path / "papers" / "update.docx")
    path = kit.write_meeting(tmp_path, ITEMS)
    monkeypatch.chdir(tmp_path)
    return path


@pytest.fixture
def fake_converter(monkeypatch):
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    """Every PDF the session parses (pypdf reads its objects), by path."""
    paths: list[Path] = []
    real = session.open_pdf

    def counting(path, **kwargs):
        paths.append(Path(path))
        return real(path, **kwargs)

    monkeypatch.setattr(session, "open_pdf", counting)
    return paths


def options(folder: Path, cache: Path | None = None, **more) -> api.BuildOptions:
    """Build into ``folder/out``; builds compared byte for byte share a cache (the .docx
    outputs are zips that carry the time they were rendered)."""
    cache = cache or folder / "cache"
    return api.BuildOptions(output_dir=folder / "out", cache_dir=cache, wait=0, **more)


def names(paths: list[Path]) -> list[str]:
    """The PDFs' names, sorted: a converted PDF is in each build's own work folder, named by
    its cache key, so two builds use the same conversion under two paths."""
    return sorted(path.name for path in paths)


def outputs(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def same_size_other_content(path: Path, text: str) -> None:
    """Rewrite the PDF ``path`` with ``text`` on its pages, keeping its size and mtime."""
    before = path.stat()
    data = path.read_bytes()
    kit.pdf(path, 3, text=text)
    assert path.read_bytes() != data and path.stat().st_size == before.st_size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def misplaced_object_pdf(path: Path) -> Path:
    """A PDF whose font's cross-reference entry is 2 bytes off.

    pypdf notes it while opening the file ("Ignoring wrong pointing object")
    and notes it again ("Object 2 0 found") only when a page is copied.
    """
    data = kit.pdf(path, 2).read_bytes()
    start = data.rindex(b"\nxref\n")
    lines = data[start:].split(b"\n")
    entry = 3 + 2  # "", "xref", "0 N", the entries for objects 0, 1, 2...
    lines[entry] = b"%010d" % (int(lines[entry][:10]) + 2) + lines[entry][10:]
    path.write_bytes(data[:start] + b"\n".join(lines))
    return path


# --- reuse -----------------------------------------------------------------------------


def test_a_second_build_reads_no_paper_again_and_makes_the_same_outputs(
    meeting, fake_converter, opened, tmp_path
):
    kept = BuildSession()
    first = api.build(meeting, options(tmp_path / "a", tmp_path / "cache", session=kept))
    assert first.session is not None and first.session.reused == []
    assert len(opened) == len(first.session.opened) == 5  # 2 papers, 2 converted, front sheet
    opened.clear()
    second = api.build(meeting, options(tmp_path / "a", tmp_path / "cache", session=kept))
    assert opened == [] and second.session.opened == []
    assert names(second.session.reused) == names(first.session.opened)
    assert second.session.templates_reused  # the cover report's template was not opened

    plain = api.build(meeting, options(tmp_path / "b", tmp_path / "cache"))
    assert plain.session is None
    assert outputs(tmp_path / "a" / "out") == outputs(tmp_path / "b" / "out")
    assert second.manifest == plain.manifest


def test_the_same_reader_object_serves_every_build(meeting, fake_converter, tmp_path, monkeypatch):
    readers: list[object] = []
    real = session.SessionBuild.open_pdf

    def keep(self, path, **kwargs):
        reader = real(self, path, **kwargs)
        if Path(path).name == "budget.pdf":
            readers.append(reader)
        return reader

    monkeypatch.setattr(session.SessionBuild, "open_pdf", keep)
    kept = BuildSession()
    for _ in range(3):
        api.build(meeting, options(tmp_path, session=kept))
    assert len(readers) == 3 and readers[0] is readers[1] is readers[2]


def test_without_a_session_every_build_opens_every_paper(meeting, fake_converter, tmp_path):
    result = api.build(meeting, options(tmp_path))
    again = api.build(meeting, options(tmp_path))
    assert result.session is None and again.session is None


def test_a_busy_session_is_not_shared_the_build_goes_without(meeting, fake_converter, tmp_path):
    kept = BuildSession()
    with kept.begin() as holder:
        assert holder is not None
        result = api.build(meeting, options(tmp_path, session=kept))
    assert result.session is None
    assert api.build(meeting, options(tmp_path, session=kept)).session is not None


# --- never stale -----------------------------------------------------------------------


def test_a_paper_replaced_with_the_same_size_and_time_is_read_again(
    meeting, fake_converter, tmp_path
):
    budget = meeting.parent / "papers" / "budget.pdf"
    kit.pdf(budget, 3, text="FIRST")
    kept = BuildSession()
    first = api.build(meeting, options(tmp_path, session=kept))
    assert any("FIRST sheet 1" in text for text in page_texts(first.pack))

    same_size_other_content(budget, "SECND")
    second = api.build(meeting, options(tmp_path, session=kept))
    assert second.session.opened == [budget]
    texts = page_texts(second.pack)
    assert any("SECND sheet 1" in text for text in texts)
    assert not any("FIRST" in text for text in texts)
    entry = second.manifest["items"][0]["papers"][0]["documents"][0]
    assert entry["sha256"] == hashlib.sha256(budget.read_bytes()).hexdigest()
    assert second.manifest["inputs"]["papers/budget.pdf"] == entry["sha256"]


def test_a_paper_deleted_or_unreadable_is_an_error_not_a_kept_copy(
    meeting, fake_converter, tmp_path, monkeypatch
):
    kept = BuildSession()
    api.build(meeting, options(tmp_path, session=kept))
    scrutiny = meeting.parent / "papers" / "scrutiny.pdf"
    real_read, real_open = Path.read_bytes, Path.open

    def refuse(real):
        def method(self, *args, **kwargs):
            if self.name == scrutiny.name:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self, *args, **kwargs)

        return method

    with monkeypatch.context() as patch:
        patch.setattr(Path, "read_bytes", refuse(real_read))
        patch.setattr(Path, "open", refuse(real_open))
        with pytest.raises(DocumentError, match="cannot be read"):
            api.build(meeting, options(tmp_path, session=kept))
    scrutiny.unlink()
    with pytest.raises(PackbuilderError, match="not found"):
        api.build(meeting, options(tmp_path, session=kept))


def test_a_paper_taken_out_of_the_meeting_is_dropped(meeting, fake_converter, tmp_path):
    kept = BuildSession()
    refs: dict[str, weakref.ref] = {}
    real = session.SessionBuild.open_pdf

    def remember(self, path, **kwargs):
        reader = real(self, path, **kwargs)
        refs[Path(path).name] = weakref.ref(reader)
        return reader

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(session.SessionBuild, "open_pdf", remember)
        api.build(meeting, options(tmp_path, session=kept))
    assert kept.kept_pdfs == 5
    kit.write_meeting(meeting.parent, ITEMS.replace("      - file: papers/scrutiny.pdf\n", ""))
    (meeting.parent / "papers" / "scrutiny.pdf").unlink()
    result = api.build(meeting, options(tmp_path, session=kept))
    assert Path("papers/scrutiny.pdf") not in {Path(p.name) for p in result.session.reused}
    gc.collect()
    assert refs["scrutiny.pdf"]() is None  # no longer held by the session
    assert refs["budget.pdf"]() is not None
    # the front sheet changed too (one item fewer with pages): its old PDF is dropped
    assert kept.kept_pdfs == 4


def test_a_renamed_paper_is_reused_under_its_new_name(meeting, fake_converter, tmp_path):
    kept = BuildSession()
    api.build(meeting, options(tmp_path, session=kept))
    papers = meeting.parent / "papers"
    (papers / "scrutiny.pdf").rename(papers / "scrutiny-final.pdf")
    meeting.write_text(meeting.read_text().replace("scrutiny.pdf", "scrutiny-final.pdf"))
    result = api.build(meeting, options(tmp_path, session=kept))
    assert papers / "scrutiny-final.pdf" in result.session.reused
    assert [d["file"] for d in result.manifest["items"][1]["papers"][0]["documents"]] == [
        "papers/scrutiny-final.pdf"
    ]
    assert "papers/scrutiny.pdf" not in result.manifest["inputs"]


def test_two_files_with_the_same_content_get_two_readers_as_without_a_session(
    meeting, fake_converter, tmp_path
):
    papers = meeting.parent / "papers"
    shutil.copyfile(papers / "budget.pdf", papers / "budget-copy.pdf")
    meeting.write_text(meeting.read_text().replace("scrutiny.pdf", "budget-copy.pdf"))
    kept = BuildSession()
    api.build(meeting, options(tmp_path / "a", tmp_path / "cache", session=kept))
    second = api.build(meeting, options(tmp_path / "a", tmp_path / "cache", session=kept))
    assert second.session.opened == []
    api.build(meeting, options(tmp_path / "b", tmp_path / "cache"))
    assert outputs(tmp_path / "a" / "out") == outputs(tmp_path / "b" / "out")


def test_a_failed_build_keeps_what_the_last_good_build_read(meeting, fake_converter, tmp_path):
    kept = BuildSession()
    first = api.build(meeting, options(tmp_path, session=kept))
    budget = meeting.parent / "papers" / "budget.pdf"
    good = budget.read_bytes()
    kit.not_a_pdf(budget)
    with pytest.raises(DocumentError):
        api.build(meeting, options(tmp_path, session=kept))
    budget.write_bytes(good)
    again = api.build(meeting, options(tmp_path, session=kept))
    assert again.session.opened == []
    assert names(again.session.reused) == names(first.session.opened)


# --- warnings --------------------------------------------------------------------------


def _warnings(result: api.BuildResult) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(w.name, w.message, w.details) for w in result.warnings]


def test_a_repaired_paper_is_reported_by_every_build_that_uses_it(
    meeting, fake_converter, tmp_path
):
    kit.bad_startxref_pdf(meeting.parent / "papers" / "budget.pdf", 3)
    plain = api.build(meeting, options(tmp_path / "plain"))
    assert [w.name for w in plain.warnings] == ["papers/budget.pdf", "accessibility"]
    kept = BuildSession()
    for number in range(3):
        result = api.build(meeting, options(tmp_path / "kept", session=kept))
        assert _warnings(result) == _warnings(plain)
        assert result.manifest["warnings"] == plain.manifest["warnings"]
        if number:
            assert meeting.parent / "papers" / "budget.pdf" in result.session.reused


def test_a_paper_repaired_while_copying_is_read_afresh_and_reported_again(
    meeting, fake_converter, tmp_path
):
    budget = misplaced_object_pdf(meeting.parent / "papers" / "budget.pdf")
    plain = api.build(meeting, options(tmp_path / "plain"))
    warning, untagged = plain.warnings
    assert any("found" in note for note in warning.details)  # noted while copying
    assert untagged.name == "accessibility"  # the papers are made with reportlab
    kept = BuildSession()
    for number in range(3):
        result = api.build(meeting, options(tmp_path / "kept", session=kept))
        assert _warnings(result) == _warnings(plain)
        if number:  # not kept: its notes grew while copying; the other papers are
            assert result.session.opened == [budget]


# --- templates -------------------------------------------------------------------------


def _edit_docx(source: Path, target: Path, old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` (same length) in the template's document.xml, in place."""
    assert len(old) == len(new)
    tmp = target.with_suffix(".tmp")
    kit.rezip(
        source,
        tmp,
        change=lambda name, data: data.replace(old, new) if name == "word/document.xml" else data,
    )
    tmp.replace(target)


def test_a_template_is_not_opened_again_while_its_render_is_cached(reference_meeting, tmp_path):
    template = tmp_path / "report.docx"
    shutil.copyfile(TEMPLATES / "report.docx", template)
    cache = RenderCache(tmp_path / "cache")
    kept = BuildSession()
    item = reference_meeting.items[3]
    document = item.papers[0].document

    def report(out: str) -> session.SessionStats:
        with rendercache.using(cache), kept.begin() as build:
            render.render_report(template, reference_meeting, item, document, tmp_path / out)
        return build.stats

    assert report("one.docx").templates_opened == [template]
    second = report("two.docx")
    assert second.templates_opened == [] and second.templates_reused == [template]

    before = template.stat()
    _edit_docx(template, template, b"Report of", b"Report by")
    os.utime(template, ns=(before.st_atime_ns, before.st_mtime_ns))
    third = report("three.docx")
    assert third.templates_opened == [template] and third.templates_reused == []
    with zipfile.ZipFile(tmp_path / "three.docx") as rendered:
        assert b"Report by" in rendered.read("word/document.xml")
    assert [Path(name).name for name in cache.stats.rendered] == ["report.docx"] * 2


def test_a_template_key_is_the_same_with_and_without_a_session(reference_meeting, tmp_path):
    item = reference_meeting.items[3]
    document = item.papers[0].document
    template = TEMPLATES / "report.docx"
    plain = RenderCache(tmp_path / "plain")
    with rendercache.using(plain):
        render.render_report(template, reference_meeting, item, document, tmp_path / "a.docx")
    kept = RenderCache(tmp_path / "plain")
    with rendercache.using(kept), BuildSession().begin():
        render.render_report(template, reference_meeting, item, document, tmp_path / "b.docx")
    assert [Path(name).name for name in kept.stats.reused] == ["report.docx"]  # same key


# --- watch -----------------------------------------------------------------------------


def test_watch_builds_through_one_session(meeting, fake_converter, tmp_path):
    results: list[api.BuildResult] = []
    steps = [lambda: kit.pdf(meeting.parent / "papers" / "scrutiny.pdf", 4)]

    def sleep(seconds: float) -> None:
        if steps:
            steps.pop(0)()

    watcher = Watcher(
        meeting,
        api.BuildOptions(cache_dir=tmp_path / "cache", wait=0),
        Events(built=results.append),
        interval=0,
        settle=0,
        sleep=sleep,
    )
    assert isinstance(watcher.options.session, BuildSession)
    assert watcher.run(max_builds=2) == 2
    first, second = results
    assert first.session is not None and first.session.reused == []
    assert meeting.parent / "papers" / "scrutiny.pdf" in second.session.opened
    assert meeting.parent / "papers" / "budget.pdf" in second.session.reused
    assert second.pages == first.pages + 2


def test_watch_keeps_a_session_it_is_given(meeting):
    kept = BuildSession()
    watcher = Watcher(meeting, api.BuildOptions(session=kept), Events())
    assert watcher.options.session is kept


# --- real LibreOffice ----------------------------------------------------------------------


@pytest.mark.e2e
def test_the_example_meeting_rebuilt_in_a_session_is_the_same_pack(
    tmp_path, lo_cache, needs_soffice
):
    shutil.copytree(MEETING_FILE.parent, tmp_path / "meetings")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    meeting = tmp_path / "meetings" / MEETING_FILE.name
    kept = BuildSession()
    built = [
        api.build(
            meeting, api.BuildOptions(output_dir=tmp_path / "a", cache_dir=lo_cache, session=kept)
        )
        for _ in range(2)
    ]
    assert built[1].session.opened == [] and len(built[1].session.reused) >= 5
    assert built[1].conversions.converted == []
    api.build(meeting, api.BuildOptions(output_dir=tmp_path / "b", cache_dir=lo_cache))
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")

    # a paper replaced (same size and time) is in the next build
    paper = next(p for p in (tmp_path / "meetings" / "papers").glob("*.pdf"))
    before = paper.stat()
    data = paper.read_bytes()
    at = data.index(b"\n%") + 2  # the binary comment on the second line: still a valid PDF
    assert data[at] > 127
    changed = data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]
    paper.write_bytes(changed)
    os.utime(paper, ns=(before.st_atime_ns, before.st_mtime_ns))
    third = api.build(
        meeting, api.BuildOptions(output_dir=tmp_path / "a", cache_dir=lo_cache, session=kept)
    )
    assert third.session.opened == [paper]
