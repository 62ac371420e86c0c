"""Property test: random meetings with random exempt flags leak nothing into ``public/``.

Hypothesis makes meetings of a few items, each with papers and appendices of
random lengths, any of them (or the whole item, or a whole paper) exempt, with
random padding. Every exempt document carries its own marker in its text,
title, file name, bookmarks, metadata, XMP, a named destination and a link
(:func:`helpers.exempt.secret_pdf`). Built with the fake converter, and then:

* no file under ``public/`` holds an exempt document's marker, in any reading
  (:func:`helpers.exempt.leaks`), and every marker is under ``members/``;
* every public document is in the public pack;
* every page of the public pack that is not a placeholder has the number,
  label and first line of the members' pack's page of that number, and each
  placeholder is labelled and stamped with the range it stands for;
* the agenda (the front sheet) reads the same in both packs;
* both packs pass ``qpdf --check`` (conftest).
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

from helpers import exempt, fakeconv, kit
from helpers.pdftools import page_texts

documents = st.fixed_dictionaries({"pages": st.integers(1, 4), "exempt": st.booleans()})
papers = st.fixed_dictionaries(
    {
        "documents": st.lists(documents, min_size=1, max_size=3),
        "exempt": st.booleans(),
    }
)
items = st.fixed_dictionaries(
    {"papers": st.lists(papers, max_size=2), "exempt": st.sampled_from([False, False, True])}
)
meetings = st.fixed_dictionaries(
    {
        "items": st.lists(items, min_size=1, max_size=4),
        "padding": st.sampled_from(["paper", "item", "none"]),
    }
)


def write(folder: Path, meeting: dict) -> tuple[Path, set[str], set[str]]:
    """The meeting file, the exempt documents' markers and the public documents' markers."""
    lines, secret, public = [], set(), set()
    for i, item in enumerate(meeting["items"]):
        lines.append(f"  - title: Item {i} public title\n")
        if item["exempt"]:
            lines.append("    exempt: 3\n")
        if item["papers"]:
            lines.append("    papers:\n")
        for p, paper in enumerate(item["papers"]):
            for d, document in enumerate(paper["documents"]):
                is_exempt = item["exempt"] or paper["exempt"] or (d and document["exempt"])
                marker = f"QX{'SECRET' if is_exempt else 'PUBLIC'}{i}X{p}X{d}Q"
                (secret if is_exempt else public).add(marker)
                path = folder / "papers" / f"{marker}.pdf"
                if is_exempt:
                    exempt.secret_pdf(path, marker, pages=document["pages"])
                else:
                    exempt.public_pdf(path, marker, pages=document["pages"])
                indent = "      - " if d == 0 else "          - "
                more = " " * len(indent)
                lines.append(f"{indent}title: {marker} title\n{more}file: papers/{marker}.pdf\n")
                if d == 0 and paper["exempt"]:
                    lines.append(f"{more}exempt: 1\n")
                if d and document["exempt"]:
                    lines.append(f"{more}exempt: [2, 7]\n")
                if d == 0 and len(paper["documents"]) > 1:
                    lines.append(f"{more}appendices:\n")
    committee = kit.COMMITTEE + f"padding: {meeting['padding']}\n"
    return kit.write_meeting(folder, "".join(lines), committee=committee), secret, public


def placeholders(manifest: dict) -> dict[int, int]:
    """First page -> last page of each exempt paper or appendix the public manifest lists."""
    found = {}
    for item in manifest["items"]:
        for paper in item["papers"]:
            entries = [paper] if "exempt" in paper else paper["documents"]
            for entry in entries:
                if "exempt" in entry and "file" not in entry:
                    found[entry["pages"]["first"]] = entry["pages"]["last"]
    return found


def first_lines(pdf: Path) -> list[str]:
    return [next((ln.strip() for ln in t.splitlines() if ln.strip()), "") for t in page_texts(pdf)]


@settings(
    max_examples=int(os.environ.get("PACKBUILDER_PROPERTY_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(meeting=meetings)
def test_random_exempt_business_never_reaches_the_public_folder(meeting, monkeypatch):
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    monkeypatch.setenv("PACKBUILDER_SOFFICE", sys.executable)  # never run: the fake converts
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path, secret, public = write(folder, meeting)
        out = folder / "out"
        result = api.build(path, api.BuildOptions(output_dir=out, cache_dir=None))

        assert exempt.leaks(out / "public", secret) == {}
        assert set(exempt.leaks(out / "members", secret)) == secret
        assert set(exempt.leaks(out / "public", public)) == public

        members_pdf, public_pdf = out / "members" / "pack.pdf", out / "public" / "pack.pdf"
        manifest = json.loads((out / "public" / "manifest.json").read_text())
        labels = PdfReader(public_pdf).page_labels
        members_first, public_texts = first_lines(members_pdf), page_texts(public_pdf)
        assert len(labels) == len(public_texts) == manifest["pdf_pages"] == result.public_pages
        stands_for = placeholders(manifest)
        for label, text in zip(labels, public_texts, strict=True):
            first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
            low = int(label.split(" - ")[0])
            if low in stands_for:
                high = stands_for.pop(low)
                assert first == "NOT FOR PUBLICATION"
                shown = f"Pages {low} - {high}" if high > low else f"Page {low}"
                assert label == (f"{low} - {high}" if high > low else str(low))
                assert re.search(rf"\b{shown}\s*$", text.rstrip()), text
            else:
                assert first == members_first[int(label) - 1], (label, first)
                assert re.findall(r"\bPage (\d+)\b", text) == [label], (label, text)

        assert not stands_for  # every exempt unit has its page
        front = manifest["front_sheet"]["pages"]["last"]
        assert page_texts(public_pdf)[:front] == page_texts(members_pdf)[:front]
