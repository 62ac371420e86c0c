"""The forward plan end to end: the CLI, real LibreOffice, pdftotext."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from packbuilder.convert.converter import ConversionCache, Converter
from packbuilder.load.plan import load_plan
from packbuilder.render.forwardplan import render_appendix

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "meetings" / "forward-plan" / "plan.yaml"

LATE_PLAN = """\
title: Executive Forward Work Programme
portfolio: Regeneration
documents_address: Town Hall, Middlesbrough
documents_note: Other documents may be submitted; ask Democratic Services.
entries:
  - reference: LATE1
    subject: Late key decision
    decision_maker: Executive
    due_date: 2022-06-14
    key: Will have a significant impact in two or more wards
    background_documents: none
    first_published: 2022-05-20
"""


def run(*args: str, env: dict[str, str] | None = None):
    from packbuilder.cli import main

    return CliRunner().invoke(main, list(args), env=env)


def page_texts(pdf: Path) -> list[str]:
    pages = len(PdfReader(pdf).pages)
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]


def build(output: Path, *extra: str, env: dict[str, str] | None = None):
    return run(
        "forward-plan", "build", str(PLAN), "--as-of", "2022-05-03", "--output", str(output),
        "--no-cache", *extra, env=env,
    )  # fmt: skip


def test_build_example_plan_header_on_every_page(tmp_path):
    out = tmp_path / "fwp"
    result = build(out)
    assert result.exit_code == 0, result.output
    assert "No previous edition to compare with" in result.output
    pdf = out / "forward-plan.pdf"
    texts = page_texts(pdf)
    assert len(texts) == 5
    for number, text in enumerate(texts, 1):
        assert "Ref No." in text, f"page {number} lacks the header row"
        assert "Member /" in text and f"Page {number} of 5" in text
    everything = "\n".join(texts)
    for reference in ("1012891", "1011309", "I013016", "1012243"):
        assert reference in everything
    for name in ("forward-plan.docx", "forward-plan.json", "forward-plan-changes.txt"):
        assert (out / name).is_file()
    assert PdfReader(pdf).metadata.title == "Executive Forward Work Programme – 3 May 2022"


def test_two_builds_give_the_same_bytes(tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1651536000"}  # 3 May 2022 00:00 UTC
    outputs = []
    for name in ("one", "two"):
        result = run(
            "--quiet", "forward-plan", "build", str(PLAN), "-o", str(tmp_path / name),
            "--no-cache", env=env,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert result.output == "", "--quiet prints nothing on success"
        outputs.append({p.name: p.read_bytes() for p in (tmp_path / name).iterdir()})
    assert outputs[0] == outputs[1]
    assert b"2022-05-03" in outputs[0]["forward-plan.json"]


def test_strict_fails_on_a_late_key_decision(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(LATE_PLAN, encoding="utf-8")
    out = tmp_path / "fwp"
    base = ["forward-plan", "build", str(plan), "--as-of", "2022-05-24", "-o", str(out)]
    result = run("--quiet", *base, "--no-cache")
    assert result.exit_code == 0, result.output
    # findings are warnings: cron mails them even with --quiet
    assert "warning: 1 finding(s) of the legal checks" in result.stderr
    assert "LATE1" in result.stderr and "24 calendar clear days" in result.stderr
    published = (out / "forward-plan.pdf").read_bytes()
    result = run(*base, "--strict")
    assert result.exit_code == 9, result.output
    assert "Traceback" not in result.output
    assert (out / "forward-plan.pdf").read_bytes() == published, "last edition intact"
    check = run("forward-plan", "check", str(plan), "--as-of", "2022-05-24")
    assert check.exit_code == 9 and "reg 9 needs 28" in check.output


def test_invalid_plan_exits_3_and_changes_are_listed(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries:\n  - reference: R1\n    subjct: Typo\n", encoding="utf-8")
    result = run("forward-plan", "check", str(bad))
    assert result.exit_code == 3
    assert "bad.yaml:3 (entries[1].subjct)" in result.output and "Traceback" not in result.output

    out = tmp_path / "fwp"
    assert build(out).exit_code == 0
    folder = tmp_path / "plan"
    shutil.copytree(PLAN.parent, folder)
    entries = folder / "entries" / "3-regeneration.yaml"
    text = entries.read_text(encoding="utf-8").replace(
        "due_date: 2022-09-06", "due_date: 2022-10-04"
    )
    entries.write_text(text, encoding="utf-8")
    (folder / "entries" / "1-childrens-services.yaml").unlink()
    result = run(
        "forward-plan", "build", str(folder), "--as-of", "2022-05-10", "-o", str(out), "--no-cache"
    )
    assert result.exit_code == 0, result.output
    assert "Changes since the edition of 3 May 2022: 0 new, 1 changed, 2 removed" in result.output
    assert "1012243" in result.output and "due date 6 Sep 2022 -> 4 Oct 2022" in result.output
    changes = (out / "forward-plan-changes.txt").read_text(encoding="utf-8")
    assert "removed  1012891" in changes
    week_two = {p.name: p.read_bytes() for p in out.iterdir()}
    cache = ["--cache-dir", str(tmp_path / "cache")]
    again = run(
        "forward-plan", "build", str(folder), "--as-of", "2022-05-10", "-o", str(out), *cache
    )
    assert again.exit_code == 0 and "0 new, 1 changed, 2 removed" in again.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == week_two, "rebuild: same bytes"


def test_appendix_is_five_landscape_pages(tmp_path):
    docx = tmp_path / "appendix.docx"
    appendix = render_appendix(load_plan(PLAN), docx, as_of=dt.date(2022, 5, 3))
    assert len(appendix.edition.entries) == 14
    pdf = Converter(tmp_path / "work", ConversionCache(None)).convert([docx])[docx]
    reader = PdfReader(pdf)
    assert len(reader.pages) == 5, "the pack's item 4 range '3 - 10' depends on it"
    assert all(page.mediabox.width > page.mediabox.height for page in reader.pages)
    texts = page_texts(pdf)
    assert texts[0].lstrip().startswith("APPENDIX A")
    assert all("Ref No." in text for text in texts)
    assert not any("Page 1 of" in text for text in texts), "the pack stamps its own numbers"
