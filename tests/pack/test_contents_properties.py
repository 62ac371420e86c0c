"""Property test: the contents page of random meetings says where everything is, and links there.

Hypothesis makes meetings with the contents page on: a few items (some to follow,
some Part B), papers of one to three documents of random lengths (some exempt),
random padding, and notices of random length so the front sheet is one page or
several, and items enough for the contents to run to several pages. Each is built
with the fake converter (its PDFs follow the text's length, and a hyperlink becomes
a link over its line, as LibreOffice writes them), and then:

* the contents pages follow the front sheet, each padding unit starting on a
  right-hand page, and the manifest says where they are;
* the contents lists every item (its number and agenda range, or To Follow),
  every paper and every appendix in order, with the pages the members' manifest
  gives it (an exempt paper or appendix named by its place, with the pages of
  what the public pack replaces);
* each line with pages links to its first page in the members' pack, and in the
  public pack to the page that shows it (the placeholder, for an exempt one);
* the agenda's ranges include the contents' length.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from packbuilder import api
from packbuilder.convert._exec import soffice

from helpers import fakeconv, kit

documents = st.fixed_dictionaries({"pages": st.integers(1, 4), "exempt": st.booleans()})
papers = st.fixed_dictionaries(
    {"documents": st.lists(documents, min_size=1, max_size=3), "exempt": st.booleans()}
)
items = st.fixed_dictionaries(
    {
        "papers": st.lists(papers, max_size=2),
        "status": st.sampled_from(["normal", "normal", "normal", "to-follow"]),
        "exempt": st.sampled_from([False, False, False, True]),
    }
)
meetings = st.fixed_dictionaries(
    {
        "items": st.lists(items, min_size=1, max_size=14),
        "padding": st.sampled_from(["paper", "item", "none"]),
        "notices": st.integers(0, 30),
    }
)


def write(folder: Path, meeting: dict) -> Path:
    """The meeting file (contents on) and its papers."""
    lines = []
    for i, item in enumerate(meeting["items"]):
        lines.append(f"  - title: Item {i} title\n    status: {item['status']}\n")
        if item["exempt"]:
            lines.append("    exempt: 3\n")
        if item["papers"]:
            lines.append("    papers:\n")
        for p, paper in enumerate(item["papers"]):
            for d, document in enumerate(paper["documents"]):
                name = f"papers/i{i}p{p}d{d}.pdf"
                kit.pdf(folder / name, document["pages"], text=f"i{i}p{p}d{d}")
                indent = "      - " if d == 0 else "          - "
                more = " " * len(indent)
                lines.append(f"{indent}title: Doc {i}.{p}.{d}\n{more}file: {name}\n")
                if d == 0 and paper["exempt"]:
                    lines.append(f"{more}exempt: 1\n")
                if d and document["exempt"]:
                    lines.append(f"{more}exempt: 2\n")
                if d == 0 and len(paper["documents"]) > 1:
                    lines.append(f"{more}appendices:\n")
    notices = "".join(f'  - "Notice {n} abc def ghi"\n' for n in range(meeting["notices"]))
    head = "contents: true\n" + (f"notices:\n{notices}" if notices else "")
    committee = kit.COMMITTEE + f"padding: {meeting['padding']}\n"
    return kit.write_meeting(folder, "".join(lines), head=head, committee=committee)


def expected_lines(members: dict, public: dict) -> list[tuple[str, str, int | None]]:
    """(item number or "", pages text, first page) of every contents line, from the
    manifests: an exempt unit is as the public manifest lists it."""
    expected = []
    for item, shown in zip(members["items"], public["items"], strict=True):
        first = item["pages"]["first"] if item["pages"] else None
        expected.append((item["number"], item["agenda_text"], first))
        for paper, public_paper in zip(item["papers"], shown["papers"], strict=True):
            if "exempt" in public_paper and not public_paper["documents"]:
                pages = public_paper["pages"]  # a whole exempt paper: one line
                expected.append(("", pages["text"], pages["first"]))
                continue
            for document in paper["documents"]:
                pages = document["pages"]
                expected.append(("", pages["text"], pages["first"]))
    return expected


_ROW = re.compile(r"^(\S*) \| (.*) \| ?(.*)$")


def printed_lines(pack: Path, contents: range) -> list[tuple[str, str]]:
    """(item number or "", pages) of each contents row the pack prints on ``contents``."""
    reader = PdfReader(pack)
    rows = []
    for index in contents:
        for line in reader.pages[index].extract_text().splitlines():
            match = _ROW.match(line)
            if match and match.group(2) != "Title":
                rows.append((match.group(1), match.group(3).strip()))
    return rows


def link_targets(pack: Path, contents: range) -> list[str]:
    """The page label each link on the contents pages goes to, top to bottom."""
    reader = PdfReader(pack)
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    labels = reader.page_labels
    found = []
    for index in contents:
        annotations = [a.get_object() for a in reader.pages[index].get("/Annots", [])]
        links = [a for a in annotations if a.get("/Subtype") == "/Link"]
        for link in sorted(links, key=lambda a: -float(a["/Rect"][1])):
            assert "/Dest" in link, link  # a placeholder link not turned into a page link
            found.append(labels[numbers[link["/Dest"][0].idnum]])
    return found


@settings(
    max_examples=int(os.environ.get("PACKBUILDER_PROPERTY_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(meeting=meetings)
def test_the_contents_page_says_where_everything_is(meeting, monkeypatch):
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    monkeypatch.setenv("PACKBUILDER_SOFFICE", sys.executable)  # never run: the fake converts
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        out = folder / "out"
        api.build(write(folder, meeting), api.BuildOptions(output_dir=out, cache_dir=None))
        members = json.loads((out / "members" / "manifest.json").read_text())
        public = json.loads((out / "public" / "manifest.json").read_text())

        front, contents = members["front_sheet"]["pages"], members["contents"]["pages"]
        padded = meeting["padding"] != "none"
        assert contents["first"] == front["last"] + (1 + front["last"] % 2 if padded else 1)
        first_paper = contents["last"] + (1 + contents["last"] % 2 if padded else 1)
        ranged = [item["pages"]["first"] for item in members["items"] if item["pages"]]
        assert not ranged or ranged[0] == first_paper
        assert public["contents"] == members["contents"]

        expected = expected_lines(members, public)
        pages = range(contents["first"] - 1, contents["last"])
        assert printed_lines(out / "members" / "pack.pdf", pages) == [e[:2] for e in expected]
        assert printed_lines(out / "public" / "pack.pdf", pages) == [e[:2] for e in expected]

        firsts = [str(first) for _, _, first in expected if first is not None]
        assert link_targets(out / "members" / "pack.pdf", pages) == firsts
        shown = [
            label.split(" - ")[0] for label in link_targets(out / "public" / "pack.pdf", pages)
        ]
        assert shown == firsts


def test_the_random_contents_really_run_to_several_pages(monkeypatch, tmp_path):
    """The property test is only worth something if contents of several pages occur."""
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    monkeypatch.setenv("PACKBUILDER_SOFFICE", sys.executable)
    paper = {"documents": [{"pages": 1, "exempt": False}] * 3, "exempt": False}
    item = {"papers": [paper, paper], "status": "normal", "exempt": False}
    meeting = {"items": [item] * 14, "padding": "paper", "notices": 0}
    result = api.build(
        write(tmp_path, meeting), api.BuildOptions(output_dir=tmp_path / "out", cache_dir=None)
    )
    contents = result.manifest["contents"]["pages"]
    assert contents["last"] - contents["first"] >= 2


def test_a_supplement_has_a_contents_page_of_its_own_items(monkeypatch, tmp_path):
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    monkeypatch.setenv("PACKBUILDER_SOFFICE", sys.executable)
    paper = {"documents": [{"pages": 2, "exempt": False}, {"pages": 1, "exempt": False}]}
    paper["exempt"] = False
    item = {"papers": [paper], "status": "normal", "exempt": False}
    path = write(tmp_path, {"items": [item] * 4, "padding": "paper", "notices": 0})
    out = tmp_path / "supplement"
    result = api.supplement(path, ["2", "4"], api.BuildOptions(output_dir=out, cache_dir=None))
    members = result.manifest
    contents = members["contents"]["pages"]
    assert contents == {"first": 3, "last": 3, "text": "3"}
    public = json.loads((out / "public" / "manifest.json").read_text())
    printed = printed_lines(result.members_pack, range(2, 3))
    assert printed == [e[:2] for e in expected_lines(members, public)]
    assert [number for number, _ in printed if number] == ["2", "4"]
