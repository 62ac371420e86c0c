"""Property-based tests of the pack's layout, through the real pipeline.

Hypothesis makes random meetings: a few items, some to follow, papers and
appendices made of generated PDFs with random page counts, sizes and
rotations, random page selections, random padding, and notices of random
length so the front sheet is one page or several. Each is built by
:func:`packbuilder.api.build` with the fake converter (the front sheet's
length follows its text, as with LibreOffice) and the built pack must hold:

* with paper padding every paper starts on an odd page (with item padding,
  every item);
* the page count is the front sheet plus the padded papers;
* the ranges the agenda prints are the manifest's;
* every page's ``Page N`` stamp is its page label;
* ``qpdf --check`` passes (for the pack and each item PDF, see conftest).
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
from reportlab.lib.pagesizes import A3, A4, LETTER, landscape

from packbuilder import api
from packbuilder.convert._exec import soffice

from helpers import fakeconv, kit
from helpers.pdftools import page_texts

SIZES = [A4, landscape(A4), A3, LETTER]
WORDS = st.text(
    alphabet="abcdefghijklmnopqrstuvwyzâêîôûŵŷäëïöüáéíóúàèìòù ABCDEFGHIJKLMNOPRSTUVWY",
    min_size=1,
    max_size=40,
).map(lambda s: " ".join(s.split()) or "Eitem")


@st.composite
def documents(draw):
    pages = draw(st.integers(1, 5))
    selection = None
    if draw(st.booleans()):
        first = draw(st.integers(1, pages))
        last = draw(st.integers(first, pages))
        selection = f"{first}-{last}" if draw(st.booleans()) else f"{first}-end"
        if selection.endswith("end"):
            last = pages
        selected = last - first + 1
    else:
        selected = pages
    return {
        "pages": pages,
        "selection": selection,
        "selected": selected,
        "size": draw(st.sampled_from(SIZES)),
        "rotate": draw(st.sampled_from([0, 0, 90, 180, 270])),
    }


papers_strategy = st.lists(st.lists(documents(), min_size=1, max_size=2), max_size=3)
items_strategy = st.lists(
    st.tuples(WORDS, st.sampled_from(["normal", "normal", "normal", "to-follow"]), papers_strategy),
    min_size=1,
    max_size=7,
)
meetings = st.fixed_dictionaries(
    {
        "items": items_strategy,
        "padding": st.sampled_from(["paper", "paper", "item", "none"]),
        "notices": st.lists(st.text(alphabet="abc def ghij", max_size=300), max_size=25),
    }
)


def write(folder: Path, meeting: dict) -> Path:
    lines = []
    n = 0
    for i, (title, status, papers) in enumerate(meeting["items"]):
        lines.append(f'  - title: "{title}"\n    status: {status}\n')
        if not papers:
            continue
        lines.append("    papers:\n")
        for p, docs in enumerate(papers):
            for d, doc in enumerate(docs):
                n += 1
                name = f"papers/i{i}-p{p}-d{d}.pdf"
                kit.pdf(
                    folder / name, doc["pages"], size=doc["size"], rotate=doc["rotate"], text="x"
                )
                selection = f"\n{' ' * (12 if d else 8)}pages: {doc['selection']}"
                entry = f"file: {name}" + (selection if doc["selection"] else "")
                if d == 0:
                    lines.append(f"      - {entry}\n")
                    if len(docs) > 1:
                        lines.append("        appendices:\n")
                else:
                    lines.append(f"          - {entry}\n")
    notices = "".join(f'  - "{text.strip() or "Notice"}"\n' for text in meeting["notices"])
    head = f"notices:\n{notices}" if notices else ""
    committee = kit.COMMITTEE + f"padding: {meeting['padding']}\n"
    return kit.write_meeting(folder, "".join(lines), head=head, committee=committee)


def padded(count: int, on: bool) -> int:
    return count + count % 2 if on else count


_ROW = re.compile(r"^\s*(\d+)\. \| (.*) \|(.*)$")


@settings(
    max_examples=int(os.environ.get("PACKBUILDER_PROPERTY_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(meeting=meetings)
def test_random_meetings_lay_out_as_promised(meeting, monkeypatch):
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    monkeypatch.setenv("PACKBUILDER_SOFFICE", sys.executable)  # never run: the fake converts
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = write(folder, meeting)
        result = api.build(path, api.BuildOptions(output_dir=folder / "out", cache_dir=None))
        manifest = json.loads((folder / "out" / "members" / "manifest.json").read_text())
        reader = PdfReader(result.pack)
        total = len(reader.pages)
        padding = meeting["padding"]

        # The page count: the front sheet plus the padded papers (or items).
        front = manifest["front_sheet"]["pages"]["last"]
        expected = padded(front, padding != "none")
        for (_title, status, papers), item in zip(meeting["items"], manifest["items"], strict=True):
            included = papers if status == "normal" else []
            counts = [sum(doc["selected"] for doc in docs) for docs in included]
            if padding == "item":
                expected += padded(sum(counts), True)
            else:
                expected += sum(padded(count, padding == "paper") for count in counts)
            # Every paper (with item padding, every item) starts on a right-hand page.
            for paper in item["papers"]:
                if padding == "paper":
                    assert paper["pages"]["first"] % 2 == 1, paper
            if padding == "item" and item["pages"]:
                assert item["pages"]["first"] % 2 == 1, item
        assert total == expected == manifest["pages"] == result.pages

        # The ranges the agenda prints are the manifest's.
        printed = {}
        for page in reader.pages[:front]:
            for line in page.extract_text().splitlines():
                match = _ROW.match(line)
                if match:
                    printed[match.group(1)] = match.group(3).strip()
        wanted = {item["number"]: item["agenda_text"] for item in manifest["items"]}
        assert printed == wanted

        # Every page's stamp is its label.
        texts = page_texts(result.pack)
        assert reader.page_labels == [str(n) for n in range(1, total + 1)]
        for number, text in enumerate(texts, 1):
            assert re.findall(r"\bPage (\d+)\b", text) == [str(number)], (number, text)


def test_the_fake_front_sheet_really_grows(monkeypatch, tmp_path):
    """The property test is only worth something if front sheets of several pages occur."""
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    monkeypatch.setenv("PACKBUILDER_SOFFICE", sys.executable)
    one_page = {"pages": 1, "selection": None, "selected": 1, "size": A4, "rotate": 0}
    meeting = {
        "items": [("Eitem", "normal", [[one_page]])] * 3,
        "padding": "paper",
        "notices": ["abc def " * 30] * 25,
    }
    result = api.build(
        write(tmp_path, meeting), api.BuildOptions(output_dir=tmp_path / "out", cache_dir=None)
    )
    manifest = result.manifest
    assert manifest["front_sheet"]["pages"]["last"] >= 3
    first = manifest["items"][0]["pages"]["first"]
    assert first % 2 == 1 and manifest["items"][0]["agenda_text"] == f"{first} - {first + 1}"
