"""packbuilder installed with pip, as a clerk installs it: the templates come with it.

A fresh virtual environment outside the checkout, ``pip install`` of the
checkout (not editable), then a build of a copy of the example meeting that
has no templates folder of its own: the default templates shipped inside the
package fill the front sheet and the cover report. Real LibreOffice.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(ROOT)],
        capture_output=True,
        text=True,
        cwd=venv,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return venv / "bin" / "packbuilder"


def test_the_installed_package_builds_a_meeting_with_no_templates_folder(installed, tmp_path):
    council = tmp_path / "council"
    shutil.copytree(ROOT / "meetings", council)
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
    pack = outside / "out" / "pack.pdf"
    qpdf_check(pack)
    pages = page_texts(pack)
    assert len(pages) == 116
    for number, pages_text in REFERENCE_ITEM_PAGES.items():
        assert pages_text in pages[0] + pages[1], number
    manifest = json.loads((outside / "out" / "manifest.json").read_text(encoding="utf-8"))
    templates = sorted(name for name in manifest["inputs"] if name.endswith(".docx"))
    assert "(packbuilder)/templates/agenda.docx" in templates, templates
    assert "(packbuilder)/templates/report.docx" in templates, templates
    assert not any(str(ROOT) in name for name in manifest["inputs"])
