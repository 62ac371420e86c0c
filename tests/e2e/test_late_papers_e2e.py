"""End to end (real LibreOffice): late papers, the caches, supplements, revisions, diffs.

Each test works on its own copy of the example meeting (and of a cache warmed
by one cold build), so what one test changes no other test sees.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as WordDocument
from pypdf import PdfReader

from packbuilder import api
from packbuilder.cli import main
from packbuilder.convert.cachedir import clear_cache
from packbuilder.late.changes import compare_manifests

from helpers.kit import ROOT, TEMPLATES
from helpers.pdftools import agenda_range, outline, page_texts, qpdf_check

pytestmark = pytest.mark.e2e

MEETING_NAME = "osb-2022-05-11.yaml"
TO_FOLLOW = '    status: to-follow            # printed as "To Follow"; its papers are left out until it arrives\n'  # noqa: E501
MINUTES_TEXT = "MINUTES OF THE MEETING OF 27 APRIL 2022"


def copy_example(folder: Path) -> Path:
    """The example meeting and the templates (a templates/ folder beside the meeting file, as
    a council keeps its own), copied into ``folder``; returns the meeting file."""
    shutil.copytree(ROOT / "meetings", folder / "meetings")
    templates = folder / "meetings" / "templates"  # the example's own report.docx is kept
    shutil.copytree(
        TEMPLATES,
        templates,
        dirs_exist_ok=True,
        ignore=lambda _folder, names: [n for n in names if (templates / n).exists()],
    )
    return folder / "meetings" / MEETING_NAME


def write_minutes(path: Path, paragraphs: int = 60) -> Path:
    document = WordDocument()
    document.add_heading(MINUTES_TEXT, 1)
    for number in range(1, paragraphs + 1):
        document.add_paragraph(
            f"{number}. The Board considered the matter and AGREED that the information "
            "provided be noted."
        )
    document.save(path)
    return path


def minutes_arrive(meeting: Path) -> Path:
    """Item 3's minutes arrive as the Word document the meeting file expects; the clerk
    deletes its 'status: to-follow' line."""
    write_minutes(meeting.parent / "papers" / "item03-minutes.docx")
    text = meeting.read_text(encoding="utf-8")
    assert TO_FOLLOW in text
    meeting.write_text(text.replace(TO_FOLLOW, ""), encoding="utf-8")  # its paper is named
    return meeting


def edit_docx(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the document.xml of ``path``, in place."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            if info.filename == "word/document.xml":
                assert old.encode() in data, old
                data = data.replace(old.encode(), new.encode())
            archive.writestr(info, data)


def converted_names(result: api.BuildResult) -> list[str]:
    return sorted(path.name for path in result.conversions.converted)


@pytest.fixture(scope="session")
def warm_cache(tmp_path_factory):
    """A cache holding every conversion and render of the example meeting (one cold build)."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("cold")
    meeting = copy_example(folder)
    cache = folder / "cache"
    result = api.build(meeting, api.BuildOptions(output_dir=folder / "out", cache_dir=cache))
    assert len(result.conversions.converted) == 5 and result.conversions.runs >= 1
    return cache, page_texts(result.pack)


class Example:
    """A private copy of the example meeting, its output folder and a warmed cache."""

    def __init__(self, folder: Path, warm: Path):
        self.folder = folder
        self.meeting = copy_example(folder)
        self.cache = folder / "cache"
        shutil.copytree(warm, self.cache)
        self.out = folder / "out"

    def build(self, **options) -> api.BuildResult:
        options.setdefault("output_dir", self.out)
        return api.build(self.meeting, api.BuildOptions(cache_dir=self.cache, **options))


@pytest.fixture
def example(tmp_path, warm_cache):
    example = Example(tmp_path, warm_cache[0])
    baseline = example.build()
    assert baseline.pages == 116
    return example


def agenda_line(front: str, number: str) -> str:
    """The line of item ``number`` with its page range (after its title's last line)."""
    return agenda_range(front, number)


# --- the cache ------------------------------------------------------------------------------


def test_nothing_changed_converts_nothing_and_fills_no_template(example, warm_cache):
    result = example.build()
    assert result.conversions.converted == [] and result.conversions.runs == 0
    assert len(result.conversions.cached) == 5
    assert result.renders.rendered == [] and len(result.renders.reused) == 4
    assert page_texts(result.pack) == warm_cache[1]  # the same pages as the cold build
    assert not compare_manifests(result.previous_manifest, result.manifest).changed


def test_a_late_paper_converts_only_itself_and_the_front_sheet(example):
    sent = example.folder / "sent"
    shutil.copytree(example.out, sent)
    result = example.build()
    assert result.conversions.converted == []  # still nothing: the minutes are not here yet
    today = dt.date(2022, 5, 2)
    assert api.status(example.meeting, today, example.out).pack.up_to_date
    minutes_arrive(example.meeting)
    stale = api.status(example.meeting, today, example.out).pack
    assert stale.changed_inputs == ("osb-2022-05-11.yaml", "papers/item03-minutes.docx")
    result = example.build()
    assert api.status(example.meeting, today, example.out).pack.up_to_date
    assert converted_names(result) == ["agenda-1.docx", "item03-minutes.docx"]
    # the cover report and the forward plan table are not filled again; the agenda is
    assert [Path(name).name for name in result.renders.rendered] == ["agenda.docx"] * 2
    assert len(result.renders.reused) == 2
    texts = page_texts(result.pack)
    assert MINUTES_TEXT in texts[2]
    assert re.search(r"\b3\s*-\s*6\s*$", agenda_line(texts[0], "3"))  # pdftotext: "3-6"
    assert agenda_line(texts[0], "4").rstrip().endswith("7 - 14")
    assert result.pages == 120
    qpdf_check(result.pack)
    changes = compare_manifests(result.previous_manifest, result.manifest)
    assert [ref.number for ref in changes.now_included] == ["3"]
    assert [(m.number, m.before, m.after) for m in changes.moved][:1] == [("4", "3 - 10", "7 - 14")]
    # and `packbuilder diff` says the same, as text for an email
    cli = CliRunner().invoke(main, ["diff", str(sent), str(example.out)])
    assert cli.exit_code == 0, cli.output
    assert "Papers now included (previously To Follow):" in cli.output
    assert "Item 4: Executive Forward Work Programme: now pages 7 - 14 (was 3 - 10)" in cli.output


def test_a_changed_paper_gives_new_pages_and_keeps_the_front_sheet(example):
    paper = example.meeting.parent / "papers" / "item05-executive-member-update.docx"
    edit_docx(paper, "PURPOSE OF THE REPORT", "PURPOSE OF THIS REPORT")
    result = example.build()
    assert converted_names(result) == ["item05-executive-member-update.docx"]
    assert result.renders.rendered == []  # the agenda shows the same: not filled, not converted
    texts = page_texts(result.pack)
    assert "PURPOSE OF THIS REPORT" in texts[10]
    assert "PURPOSE OF THE REPORT" not in "".join(texts)
    changes = compare_manifests(result.previous_manifest, result.manifest)
    assert [(p.item, p.title) for p in changes.papers_replaced] == [
        ("5", "Attendance of Executive Members at the Overview and Scrutiny Board")
    ]
    assert changes.moved == []


def test_a_changed_template_gives_a_new_front_sheet(example):
    edit_docx(
        example.meeting.parent / "templates" / "agenda.docx",
        "MEMBERSHIP",
        "MEMBERSHIP OF THE BOARD",
    )
    result = example.build()
    assert converted_names(result) == ["agenda-1.docx"]
    assert len(result.renders.rendered) == 2 and len(result.renders.reused) == 2
    texts = page_texts(result.pack)
    assert "MEMBERSHIP OF THE BOARD" in texts[0] + texts[1]
    assert "MEMBERSHIP OF THE BOARD" not in "".join(texts[2:])


def test_deleting_the_cache_gives_the_same_pack(example):
    before = example.build()
    texts = page_texts(before.pack)
    cleared = clear_cache(example.cache)
    assert cleared.entries == {"pdf": 5, "docx": 4}
    after = example.build()
    assert len(after.conversions.converted) == 5 and len(after.renders.rendered) == 4
    assert after.pages == before.pages == 116
    assert page_texts(after.pack) == texts
    assert after.manifest["items"] == before.manifest["items"]  # same pages, same hashes
    assert not compare_manifests(before.manifest, after.manifest).changed


# --- supplementary packs -------------------------------------------------------------------


def test_a_supplement_holds_only_the_chosen_items_and_leaves_the_pack_alone(example, monkeypatch):
    monkeypatch.chdir(example.folder)
    minutes_arrive(example.meeting)
    main_pack = example.build(output_dir=None)  # build/osb-2022-05-11/ beside the meeting
    assert main_pack.output_dir == example.meeting.parent / "build" / "osb-2022-05-11"
    before = {p: p.read_bytes() for p in main_pack.output_dir.rglob("*") if p.is_file()}

    result = api.supplement(
        example.meeting,
        ["8", "3"],
        api.BuildOptions(cache_dir=example.cache, published=dt.date(2022, 5, 6)),
    )
    assert result.output_dir == example.meeting.parent / "build" / "osb-2022-05-11-supplement"
    assert {p: p.read_bytes() for p in main_pack.output_dir.rglob("*") if p.is_file()} == before

    texts = page_texts(result.pack)
    front = texts[0]
    assert "SUPPLEMENTARY AGENDA" in front
    assert "Friday 6 May 2022" in front + texts[1]
    assert re.search(r"\b3\s*-\s*6\s*$", agenda_line(front, "3"))
    assert agenda_line(front, "8").rstrip().endswith("7 - 74")
    for number in ("1", "4", "5", "9"):
        assert not re.search(rf"^\s*{number}\.\s", front, re.MULTILINE)
    assert result.pages == 74
    for number, text in enumerate(texts, 1):
        assert re.search(rf"\bPage {number}\s*$", text.rstrip())
    reader = PdfReader(result.pack)
    top = [(title, page) for depth, title, page in outline(reader) if depth == 0]
    assert top[0] == ("Supplementary Agenda", 1)
    assert [t.split(".")[0] for t, _ in top[1:]] == ["3", "8"]
    assert reader.metadata.title.endswith(": Supplementary Agenda")
    manifest = json.loads((result.output_dir / "members" / "manifest.json").read_text())
    assert manifest["kind"] == "Supplementary Agenda"
    assert [i["number"] for i in manifest["items"]] == ["3", "8"]
    assert manifest["meeting"]["published"] == "2022-05-06"
    qpdf_check(result.pack)


# --- revisions ------------------------------------------------------------------------------


def test_a_revision_is_marked_on_the_front_sheet_and_in_the_metadata(example):
    runner = CliRunner()
    cli = runner.invoke(
        main,
        [
            "build",
            str(example.meeting),
            "--output",
            str(example.out),
            "--cache-dir",
            str(example.cache),
            "--revision",
            "2",
        ],
    )
    assert cli.exit_code == 0, cli.output
    assert "(116 pages, revision 2; members/pack.pdf the same)" in cli.output
    pack = example.out / "public" / "pack.pdf"
    front = page_texts(pack)[0]
    assert "REVISED AGENDA" in front and "(revision 2)" in front
    for pdf in (pack, example.out / "public" / "agenda.pdf"):
        info = PdfReader(pdf).metadata
        assert info["/Revision"] == "2"
        assert info.subject.endswith("(revised: revision 2)")
    manifest = json.loads((example.out / "members" / "manifest.json").read_text())
    assert manifest["meeting"]["revision"] == 2


# --- the command line: change summary and progress -------------------------------------------


def test_rebuild_prints_what_changed_and_progress_only_when_asked(example):
    minutes_arrive(example.meeting)
    args = [
        "build",
        str(example.meeting),
        "-o",
        str(example.out),
        "--cache-dir",
        str(example.cache),
    ]
    verbose = CliRunner().invoke(main, ["-v", *args])
    assert verbose.exit_code == 0, verbose.output
    assert "converted 2 document(s), 4 from cache" in verbose.stdout
    assert "Papers now included (previously To Follow):" in verbose.stdout
    assert "The pack now has 120 pages (was 116)." in verbose.stdout
    progress = verbose.stderr
    assert re.search(r"\[\s*\d+\.\d s\] Converting 1 Word document\(s\) with LibreOffice", progress)
    assert "item03-minutes.docx" in progress and "Assembling 120 pages" in progress

    quiet = CliRunner().invoke(main, args)  # not a terminal, no --verbose: no progress
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == ""
    assert "converted 0 document(s)" in quiet.stdout
    assert "Changes to the agenda" not in quiet.stdout  # nothing changed this time
    assert "No changes to the items, papers or page numbers since the last build." in quiet.stdout


def test_status_notices_a_changed_forward_plan_entry(example):
    entries = example.meeting.parent / "forward-plan" / "entries" / "3-regeneration.yaml"
    pack = api.status(example.meeting, dt.date(2022, 5, 2), example.out).pack
    assert pack.up_to_date and pack.pages == 116
    entries.write_text(entries.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    pack = api.status(example.meeting, dt.date(2022, 5, 2), example.out).pack
    assert pack.changed_inputs == ("forward-plan/entries/3-regeneration.yaml",)
