"""Where a pack goes, and what it may replace: the same answer from any folder, never a pack
of another meeting without being told. Fake LibreOffice (tests/helpers/fakeconv.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from packbuilder.cli import main
from packbuilder.convert._exec import soffice
from packbuilder.exceptions import ExitCode

from helpers import fakeconv, kit

ITEMS = """\
  - title: Apologies for Absence
  - title: Budget Monitoring
    papers:
      - file: papers/budget.pdf
"""


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def council(tmp_path, monkeypatch) -> Path:
    """Two meetings whose files have the same name, in two folders; the current folder is
    neither of them."""
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    for month, day in (("dec", "2022-12-07"), ("jan", "2023-01-11")):
        folder = tmp_path / month
        kit.pdf(folder / "papers" / "budget.pdf", 3)
        path = kit.write_meeting(folder, ITEMS)
        path.write_text(
            path.read_text(encoding="utf-8")
            .replace("date: 2022-05-11", f"date: {day}")
            .replace("published: 2022-05-03", "published: 2022-11-01"),
            encoding="utf-8",
        )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return tmp_path


def test_the_pack_goes_beside_the_meeting_file_wherever_the_command_is_run(council, monkeypatch):
    dec = council / "dec" / "meeting.yaml"
    result = invoke("build", str(dec), "--no-cache")
    assert result.exit_code == 0, result.output
    assert (council / "dec" / "build" / "meeting" / "public" / "pack.pdf").is_file()
    assert (council / "dec" / "build" / "meeting" / "members" / "pack.pdf").is_file()
    assert not (council / "elsewhere" / "build").exists()
    here = invoke("status", str(dec), "--json")
    monkeypatch.chdir(council / "dec")
    there = invoke("status", "meeting.yaml", "--json")
    here_pack, there_pack = json.loads(here.output)["pack"], json.loads(there.output)["pack"]
    assert Path(here_pack.pop("folder")).resolve() == Path(there_pack.pop("folder")).resolve()
    assert here_pack == there_pack
    assert here_pack["built"] and here_pack["up_to_date"]


def test_two_meetings_with_the_same_file_name_keep_their_own_packs(council):
    for month in ("dec", "jan"):
        result = invoke("build", str(council / month / "meeting.yaml"), "--no-cache")
        assert result.exit_code == 0, result.output
    for month, date in (("dec", "2022-12-07"), ("jan", "2023-01-11")):
        manifest = council / month / "build" / "meeting" / "members" / "manifest.json"
        assert json.loads(manifest.read_text())["meeting"]["date"] == date


def test_a_pack_of_another_meeting_is_not_replaced_unless_told(council):
    dec_out = council / "dec" / "build" / "meeting"
    assert invoke("build", str(council / "dec" / "meeting.yaml"), "--no-cache").exit_code == 0
    before = kit.snapshot(dec_out)
    jan = str(council / "jan" / "meeting.yaml")
    refused = invoke("build", jan, "-o", str(dec_out), "--no-cache")
    assert refused.exit_code == ExitCode.OUTPUT_ERROR, refused.output
    assert "holds the pack of another meeting (meeting.yaml" in refused.output
    assert "2022-12-07" in refused.output and "--replace" in refused.output
    assert kit.snapshot(dec_out) == before, "the December pack is untouched"
    assert kit.leftovers(dec_out) == []
    replaced = invoke("build", jan, "-o", str(dec_out), "--no-cache", "--replace")
    assert replaced.exit_code == 0, replaced.output
    manifest = json.loads((dec_out / "members" / "manifest.json").read_text())
    assert manifest["meeting"]["date"] == "2023-01-11"


def test_a_meeting_moved_to_another_day_is_still_the_same_meeting(council):
    dec = council / "dec" / "meeting.yaml"
    assert invoke("build", str(dec), "--no-cache").exit_code == 0
    dec.write_text(dec.read_text().replace("date: 2022-12-07", "date: 2022-12-14"))
    result = invoke("build", str(dec), "--no-cache")
    assert result.exit_code == 0, result.output


def test_the_lock_file_is_removed_when_the_build_ends_whatever_the_outcome(council):
    dec, jan = council / "dec" / "meeting.yaml", council / "jan" / "meeting.yaml"
    lock = council / "dec" / "build" / ".meeting.lock"
    assert invoke("build", str(dec), "--no-cache").exit_code == 0
    assert not lock.exists(), "built"
    refused = invoke("build", str(jan), "-o", str(dec.parent / "build" / "meeting"))
    assert refused.exit_code == ExitCode.OUTPUT_ERROR
    assert not lock.exists(), "refused"
    (council / "dec" / "papers" / "budget.pdf").write_bytes(b"not a pdf")
    failed = invoke("build", str(dec), "--no-cache")
    assert failed.exit_code == ExitCode.BAD_DOCUMENT, failed.output
    assert not lock.exists(), "failed"
    assert sorted(p.name for p in (council / "dec" / "build").iterdir()) == ["meeting"]
