"""Untagged papers are named, not hidden: at build time, by ``status``, in the manifest.

LibreOffice is faked (its PDFs are untagged, but converted documents are
tagged in real builds and never reported); the papers are real PDFs, one
untagged (reportlab) and one tagged (pikepdf).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from packbuilder import api
from packbuilder.cli import main
from packbuilder.convert._exec import soffice

from helpers import fakeconv, kit
from helpers.tagkit import tagged_pdf

ITEMS = """\
  - title: Budget
    papers:
      - papers/plain.pdf
      - papers/tagged.pdf
  - title: Housing
    papers:
      - papers/plain.pdf
      - title: Late
        file: papers/scan.pdf
"""
MESSAGE = "2 papers are not tagged: ask the author for the Word file or a tagged PDF"


@pytest.fixture
def meeting(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    kit.pdf(tmp_path / "papers" / "plain.pdf", 2)
    kit.pdf(tmp_path / "papers" / "scan.pdf", 1)
    tagged_pdf(tmp_path / "papers" / "tagged.pdf", 2)
    monkeypatch.chdir(tmp_path)
    return kit.write_meeting(tmp_path, ITEMS)


def test_the_build_names_the_untagged_papers(meeting: Path, tmp_path: Path) -> None:
    result = api.build(meeting, api.BuildOptions(output_dir=tmp_path / "out"))
    (warning,) = [w for w in result.warnings if "not tagged" in w.message]
    assert str(warning).startswith(f"accessibility: {MESSAGE} (papers/plain.pdf, papers/scan.pdf)")
    for folder in ("public", "members"):  # the public manifest and the full one
        manifest = json.loads((tmp_path / "out" / folder / "manifest.json").read_text())
        assert manifest["accessibility"] == {
            "tagged": True,  # the tagged paper's structure is in the pack
            "pdfua": False,
            "untagged_papers": ["papers/plain.pdf", "papers/scan.pdf"],
        }, folder
        documents = [d for i in manifest["items"] for p in i["papers"] for d in p["documents"]]
        assert [(d["file"], d["tagged"]) for d in documents] == [
            ("papers/plain.pdf", False),
            ("papers/tagged.pdf", True),
            ("papers/plain.pdf", False),
            ("papers/scan.pdf", False),
        ], folder
        assert {"file": "accessibility", "warning": warning.message} in [
            {k: w[k] for k in ("file", "warning")} for w in manifest["warnings"]
        ], folder


def test_the_command_line_prints_it_even_when_quiet(meeting: Path) -> None:
    result = CliRunner().invoke(main, ["build", "meeting.yaml", "--no-cache", "--quiet"])
    assert result.exit_code == 0, result.output
    assert f"warning: accessibility: {MESSAGE}" in result.output


def test_status_counts_the_untagged_papers_here_now(meeting: Path, tmp_path: Path) -> None:
    found = api.status(meeting, dt.date(2022, 5, 1))
    assert found.untagged == ("papers/plain.pdf", "papers/scan.pdf")
    text = found.text()
    assert f"Accessibility: {MESSAGE}:\n  - papers/plain.pdf\n  - papers/scan.pdf" in text
    assert found.as_dict()["untagged_papers"] == ["papers/plain.pdf", "papers/scan.pdf"]
    tagged_pdf(tmp_path / "papers" / "scan.pdf", 1)  # the author sent a tagged PDF
    again = api.status(meeting, dt.date(2022, 5, 1))
    assert again.untagged == ("papers/plain.pdf",)
    assert "Accessibility: 1 paper is not tagged: ask the author" in again.text()


def test_status_says_nothing_when_every_paper_is_tagged(meeting: Path, tmp_path: Path) -> None:
    for name in ("plain", "scan"):
        tagged_pdf(tmp_path / "papers" / f"{name}.pdf", 1)
    found = api.status(meeting, dt.date(2022, 5, 1))
    assert found.untagged == () and "Accessibility" not in found.text()
