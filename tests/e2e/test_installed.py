"""packbuilder installed with pip, as a clerk installs it, used as a clerk would.

A fresh virtual environment outside the checkout with the built wheel
installed (not editable). A copy of the example meeting with no templates
folder of its own builds with the templates shipped inside the package; and a
clerk's journey: ``packbuilder new``, the first meeting built, a Word and a
PDF paper added, rebuilt, ``status``; a second meeting whose file has the same
name, in another folder, builds without touching the first pack; building the
first meeting into the second's folder is refused. Real LibreOffice.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document as WordDocument

from helpers.kit import REFERENCE_ITEM_PAGES, ROOT
from helpers.pdftools import page_texts, qpdf_check

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice"),
]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The ``packbuilder`` program of a new virtual environment with the checkout installed."""
    venv = tmp_path_factory.mktemp("venv")
    wheels = tmp_path_factory.mktemp("wheels")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")

    def pip(*args: str) -> None:
        done = subprocess.run(
            [python, "-m", "pip", *args], capture_output=True, text=True, cwd=venv
        )
        assert done.returncode == 0, done.stdout + done.stderr

    pip("wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT))
    (wheel,) = wheels.glob("packbuilder-*.whl")
    pip("install", "-q", str(wheel))
    return venv / "bin" / "packbuilder"


def run(program: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(program), *args], cwd=cwd, capture_output=True, text=True)


def test_the_installed_package_builds_a_meeting_with_no_templates_folder(installed, tmp_path):
    council = tmp_path / "council"
    shutil.copytree(ROOT / "meetings", council, ignore=shutil.ignore_patterns("build"))
    shutil.rmtree(council / "templates")  # the example's own cover report: use the defaults
    assert not list(council.rglob("templates")), "the copy must have no templates of its own"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    done = subprocess.run(
        [str(installed), "build", str(council / "osb-2022-05-11.yaml"), "-o", "out"],
        cwd=outside,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    pack = outside / "out" / "public" / "pack.pdf"
    qpdf_check(pack)
    pages = page_texts(pack)
    assert len(pages) == 116
    for number, pages_text in REFERENCE_ITEM_PAGES.items():
        assert pages_text in pages[0] + pages[1], number
    manifest = json.loads(
        (outside / "out" / "members" / "manifest.json").read_text(encoding="utf-8")
    )
    templates = sorted(name for name in manifest["inputs"] if name.endswith(".docx"))
    assert "(packbuilder)/templates/agenda.docx" in templates, templates
    assert "(packbuilder)/templates/report.docx" in templates, templates
    assert not any(str(ROOT) in name for name in manifest["inputs"])


def test_a_clerk_starts_a_council_and_builds_two_meetings(installed, tmp_path):
    made = run(installed, "new", "council", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    (first,) = (tmp_path / "council" / "meetings").glob("*.yaml")
    built = run(installed, "build", str(first), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    pack_dir = first.parent / "build" / first.stem
    assert len(page_texts(pack_dir / "public" / "pack.pdf")) == 4
    assert (pack_dir / "members" / "pack.pdf").read_bytes() == (
        pack_dir / "public" / "pack.pdf"
    ).read_bytes()

    papers = first.parent / "papers"
    document = WordDocument()
    document.add_heading("MINUTES OF THE PREVIOUS MEETING", 1)
    document.add_paragraph("The Committee AGREED that the report be noted.")
    document.save(papers / "minutes.docx")
    shutil.copyfile(
        ROOT / "meetings" / "papers" / "item09-final-report-locality-working.pdf",
        papers / "budget-appendix.pdf",
    )
    text = first.read_text(encoding="utf-8")
    text = text.replace("    status: to-follow ", "    # arrived: ")
    text = text.replace(
        "      # - file: papers/budget-appendix.pdf", "      - file: papers/budget-appendix.pdf"
    )
    first.write_text(text, encoding="utf-8")
    rebuilt = run(installed, "build", str(first), cwd=tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    pages = page_texts(pack_dir / "public" / "pack.pdf")
    assert any("MINUTES OF THE PREVIOUS MEETING" in page for page in pages)
    status = run(installed, "status", str(first), cwd=first.parent)
    assert status.returncode == 0 and "up to date" in status.stdout, status.stdout

    second_folder = tmp_path / "next-year" / "meetings"
    second_folder.mkdir(parents=True)
    second = second_folder / first.name
    second.write_text(
        f"committee: {tmp_path / 'council' / 'committee.yaml'}\n"
        "date: 2099-01-14\ntime: 10.00 am\nvenue: Council Chamber\n"
        "items:\n  - title: Apologies for Absence\n  - title: Declarations of Interest\n",
        encoding="utf-8",
    )
    before = {p: p.read_bytes() for p in pack_dir.rglob("*") if p.is_file()}
    other = run(installed, "build", str(second), cwd=tmp_path)
    assert other.returncode == 0, other.stderr
    assert (second_folder / "build" / second.stem / "public" / "pack.pdf").is_file()
    assert {p: p.read_bytes() for p in pack_dir.rglob("*") if p.is_file()} == before

    into_other = second_folder / "build" / second.stem
    refused = run(installed, "build", str(first), "-o", str(into_other), cwd=tmp_path)
    assert refused.returncode == 7, refused.stderr
    assert "holds the pack of another meeting" in refused.stderr
