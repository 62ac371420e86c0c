"""PDF papers as councils really send them, through real builds (real LibreOffice).

Odd but usable papers (rotated, landscape, A3, boxes not at 0,0, forms, links,
their own bookmarks, encrypted without a user password, a damaged
cross-reference table) go into a correct pack, with a warning for each
repaired file. Unusable ones (missing, unreadable, zero bytes, not a PDF,
truncated, password-protected, no pages, damaged beyond repair) stop the
build with a message naming the file and saying what to do, exit code 4 (3
for a file that is not there), and the previous pack is left exactly as it
was. ``packbuilder check`` finds the same problems without LibreOffice.
"""

from __future__ import annotations

import json
import pathlib
import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from packbuilder.cli import main
from packbuilder.exceptions import ExitCode

from helpers import kit
from helpers.pdftools import agenda_range, link_targets, outline, page_texts, qpdf_check

pytestmark = pytest.mark.e2e

ODD_ITEMS = """\
  - title: Ymddiheuriadau / Apologies for Absence
  - title: Rotated pages
    papers:
      - file: papers/rotated.pdf
  - title: Landscape and A3 pages
    papers:
      - file: papers/landscape.pdf
      - file: papers/a3.pdf
  - title: Pages whose box does not start at 0,0
    papers:
      - file: papers/offset.pdf
  - title: A paper with a form
    papers:
      - file: papers/form.pdf
  - title: A paper with its own bookmarks and links
    papers:
      - file: papers/linked.pdf
        pages: 1-end
  - title: Encrypted, but opens without a password
    papers:
      - file: papers/owner-only.pdf
  - title: Damaged cross-reference tables
    papers:
      - file: papers/bad-startxref.pdf
      - file: papers/bad-xref-entries.pdf
"""

PAGES = {
    "rotated.pdf": 4,
    "landscape.pdf": 2,
    "a3.pdf": 1,
    "offset.pdf": 2,
    "form.pdf": 1,
    "linked.pdf": 3,
    "owner-only.pdf": 2,
    "bad-startxref.pdf": 2,
    "bad-xref-entries.pdf": 2,
}


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def odd_pack(tmp_path_factory, lo_cache):
    import shutil

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("odd")
    papers = folder / "papers"
    kit.rotated_pdf(papers / "rotated.pdf")
    kit.landscape_pdf(papers / "landscape.pdf", 2)
    kit.a3_pdf(papers / "a3.pdf", 1)
    kit.offset_box_pdf(papers / "offset.pdf", 2)
    kit.form_pdf(papers / "form.pdf")
    kit.linked_pdf(papers / "linked.pdf", 3)
    kit.encrypted_pdf(papers / "owner-only.pdf", "", 2)
    kit.bad_startxref_pdf(papers / "bad-startxref.pdf", 2)
    kit.bad_xref_entries_pdf(papers / "bad-xref-entries.pdf", 2)
    kit.write_meeting(folder, ODD_ITEMS)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)  # so messages show papers/x.pdf, as the clerk wrote them
        result = invoke("build", "meeting.yaml", "--cache-dir", str(lo_cache))
    assert result.exit_code == 0, result.output
    out = folder / "build" / "meeting"
    return result, out, json.loads((out / "members" / "manifest.json").read_text())


def test_odd_papers_make_a_valid_pack(odd_pack):
    _result, out, manifest = odd_pack
    qpdf_check(out / "public" / "pack.pdf")
    for item in manifest["items"]:
        if item["file"]:
            qpdf_check(out / "members" / item["file"])  # the full manifest names members/
    front = manifest["front_sheet"]["pages"]["last"] + len(manifest["front_sheet"]["blank_pages"])
    padded = sum(count + count % 2 for count in PAGES.values())
    assert manifest["pages"] == front + padded == len(PdfReader(out / "public" / "pack.pdf").pages)


def test_every_paper_starts_on_an_odd_page_and_ranges_match(odd_pack):
    _result, out, manifest = odd_pack
    texts = page_texts(out / "public" / "pack.pdf")
    for item in manifest["items"]:
        for paper in item["papers"]:
            first = paper["pages"]["first"]
            assert first % 2 == 1, paper
            name = paper["documents"][0]["file"].split("/")[-1]
            assert paper["documents"][0]["pages"]["last"] - first + 1 == PAGES[name]
            assert f"{pathlib.Path(name).stem} sheet 1" in texts[first - 1], (name, first)
        if item["pages"]:
            agenda_line = agenda_range(texts[0], item["number"])
            # pdftotext may close up "3 - 6" in a narrow column: compare without spaces
            squeezed = agenda_line.replace(" ", "")
            assert squeezed.endswith(item["agenda_text"].replace(" ", "")), agenda_line


def test_every_page_is_stamped_with_its_label_even_rotated_and_offset(odd_pack):
    _result, out, _manifest = odd_pack
    reader = PdfReader(out / "public" / "pack.pdf")
    texts = page_texts(out / "public" / "pack.pdf")
    assert reader.page_labels == [str(n) for n in range(1, len(texts) + 1)]
    for number, text in enumerate(texts, 1):
        assert re.findall(r"\bPage (\d+)\b", text) == [str(number)], (number, text[-300:])


def test_rotation_sizes_and_boxes_are_kept(odd_pack):
    _result, out, manifest = odd_pack
    reader = PdfReader(out / "public" / "pack.pdf")

    def first_page(name):
        for item in manifest["items"]:
            for paper in item["papers"]:
                if paper["documents"][0]["file"].endswith(name):
                    return paper["pages"]["first"] - 1
        raise AssertionError(name)

    rotated = first_page("rotated.pdf")
    assert [reader.pages[rotated + n].rotation for n in range(4)] == [0, 90, 180, 270]
    landscape = reader.pages[first_page("landscape.pdf")].mediabox
    assert landscape.width > landscape.height
    a3 = reader.pages[first_page("a3.pdf")].mediabox
    assert round(a3.width) == 842 and round(a3.height) == 1191
    offset = reader.pages[first_page("offset.pdf")]
    assert [round(float(v)) for v in offset.mediabox] == [100, 200, 695, 1042]
    assert [round(float(v)) for v in offset.cropbox] == [120, 220, 675, 1022]


def test_forms_links_and_own_bookmarks_survive(odd_pack):
    _result, out, manifest = odd_pack
    reader = PdfReader(out / "public" / "pack.pdf")
    fields = reader.get_fields() or {}
    assert any(name.endswith("councillor") for name in fields), fields
    linked = next(i for i in manifest["items"] if i["title"].startswith("A paper with its own"))
    first = linked["pages"]["first"]
    assert link_targets(reader, first - 1) == [first + 2]  # its page 1 links to its page 3
    marks = outline(reader)
    own = [(depth, page) for depth, title, page in marks if title.startswith("Own heading")]
    assert own == [(2, first), (2, first + 1), (2, first + 2)]


def test_encrypted_without_user_password_is_opened_and_the_pack_is_not_encrypted(odd_pack):
    _result, out, manifest = odd_pack
    reader = PdfReader(out / "public" / "pack.pdf")
    assert not reader.is_encrypted
    item = next(i for i in manifest["items"] if i["title"].startswith("Encrypted"))
    assert "owner-only sheet 2" in page_texts(out / "public" / "pack.pdf")[item["pages"]["first"]]


def test_repaired_papers_are_reported_as_warnings_and_in_the_manifest(odd_pack):
    result, _out, manifest = odd_pack
    for name in ("bad-startxref.pdf", "bad-xref-entries.pdf"):
        assert (
            f"warning: papers/{name}: the cross-reference table was damaged and has been "
            "rebuilt; check its pages in the pack"
        ) in result.output
    warned = {w["file"]: w for w in manifest["warnings"] if w["file"] != "accessibility"}
    assert set(warned) == {"papers/bad-startxref.pdf", "papers/bad-xref-entries.pdf"}
    assert all(w["details"] for w in warned.values())  # pypdf's own words, for the record


# --- unusable papers -------------------------------------------------------------------------

ONE_PAPER = """\
  - title: Minutes
  - title: Budget Monitoring
    papers:
      - file: papers/report.pdf
        title: Budget report
"""


def _unreadable(path: pathlib.Path, monkeypatch) -> None:
    kit.pdf(path, 3)
    real_open = pathlib.Path.open

    def refuse(self, *args, **kwargs):
        if self.name == path.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", refuse)


def _no_cross_reference_at_all(path: pathlib.Path) -> None:
    data = kit.pdf(path, 2).read_bytes()
    path.write_bytes(data[: data.rindex(b"\nxref\n")] + b"\n%%EOF\n")


BROKEN = {
    "zero bytes": (lambda p, mp: kit.zero_bytes(p), "is empty (0 bytes)"),
    "not a PDF": (lambda p, mp: kit.not_a_pdf(p), "is not a PDF (it has no %PDF header)"),
    "truncated": (lambda p, mp: kit.truncated_pdf(p), "is damaged and cannot be read"),
    "no xref and no trailer": (
        lambda p, mp: _no_cross_reference_at_all(p),
        "is damaged and cannot be read",
    ),
    "password": (lambda p, mp: kit.encrypted_pdf(p, "s3cret"), "is protected by a password"),
    "zero pages": (lambda p, mp: kit.zero_page_pdf(p), "has no pages"),
    "unreadable": (lambda p, mp: _unreadable(p, mp), "cannot be read (Permission denied)"),
}


@pytest.fixture
def built_once(tmp_path, lo_cache, monkeypatch, needs_soffice):
    """A meeting with one paper, built once (the previous pack that must survive)."""
    kit.pdf(tmp_path / "papers" / "report.pdf", 3)
    kit.write_meeting(tmp_path, ONE_PAPER)
    monkeypatch.chdir(tmp_path)
    result = invoke("build", "meeting.yaml", "--cache-dir", str(lo_cache))
    assert result.exit_code == 0, result.output
    out = tmp_path / "build" / "meeting"
    return out, kit.snapshot(out)


@pytest.mark.parametrize("case", list(BROKEN))
def test_an_unusable_paper_stops_the_build_and_keeps_the_previous_pack(
    case, built_once, tmp_path, lo_cache, monkeypatch
):
    out, before = built_once
    paper = tmp_path / "papers" / "report.pdf"
    paper.unlink()
    make, fragment = BROKEN[case]
    make(paper, monkeypatch)
    for command in (["check", "meeting.yaml"], ["build", "meeting.yaml"]):
        result = (
            invoke(*command, "--cache-dir", str(lo_cache))
            if command[0] == "build"
            else (invoke(*command))
        )
        assert result.exit_code == ExitCode.BAD_DOCUMENT, result.output
        assert result.output.startswith("error: papers/report.pdf: this file "), result.output
        assert fragment in result.output
        assert "What to do:" in result.output
        assert "Traceback" not in result.output
    assert kit.snapshot(out) == before
    assert kit.leftovers(out) == []


def test_a_missing_paper_names_its_line(built_once, tmp_path):
    out, before = built_once
    (tmp_path / "papers" / "report.pdf").unlink()
    for command in ("check", "build"):
        result = invoke(command, "meeting.yaml")
        assert result.exit_code == ExitCode.INVALID_INPUT, result.output
        assert "meeting.yaml:10 (item 2, paper 1): file not found: papers/report.pdf" in (
            result.output
        )
        assert "to-follow" in result.output  # says what to do while the paper is awaited
    assert kit.snapshot(out) == before


def test_a_password_protected_paper_is_an_encrypted_document_error(tmp_path):
    from packbuilder import api
    from packbuilder.exceptions import EncryptedDocumentError

    kit.encrypted_pdf(tmp_path / "papers" / "report.pdf", "s3cret")
    path = kit.write_meeting(tmp_path, ONE_PAPER)
    with pytest.raises(EncryptedDocumentError) as info:
        api.check(path)
    assert "qpdf --decrypt --password=PASSWORD" in str(info.value)


def test_check_lists_every_unusable_paper_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setenv("PACKBUILDER_SOFFICE", "no-such-soffice")
    papers = tmp_path / "papers"
    kit.zero_bytes(papers / "a.pdf")
    kit.encrypted_pdf(papers / "b.pdf", "pw")
    kit.zero_page_pdf(papers / "c.pdf")
    kit.bad_startxref_pdf(papers / "d.pdf")  # repairable: not a problem
    items = (
        "  - title: Four papers\n"
        "    papers: [papers/a.pdf, papers/b.pdf, papers/c.pdf, papers/d.pdf]\n"
    )
    kit.write_meeting(tmp_path, items)
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "meeting.yaml")
    assert result.exit_code == ExitCode.BAD_DOCUMENT, result.output
    assert "3 papers cannot be used" in result.output
    for name, fragment in (("a", "empty"), ("b", "password"), ("c", "no pages")):
        assert re.search(rf"- papers/{name}\.pdf: this file [^\n]*{fragment}", result.output)
    assert "d.pdf" not in result.output
