"""What a rebuild says changed, and which output folders a build refuses, through the CLI.

Builds run with the fake converter (no LibreOffice): ``tests/fakeconv.py``.
"""

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
  - title: Executive Member Update
    papers:
      - file: papers/update.pdf
"""

PLAN, ENTRIES = kit.SMALL_PLAN, kit.SMALL_PLAN_ENTRIES

REPORT_WITH_TABLE = """\
  - title: Apologies for Absence
  - title: Executive Forward Work Programme
    papers:
      - title: Forward plan cover report
        report: {subject: Executive Forward Work Programme, summary: The plan is attached.}
        appendices:
          - title: Appendix A - Executive Forward Work Programme
            forward_plan: {plan: forward-plan/plan.yaml, heading: APPENDIX A}
"""


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def build(*args: str) -> str:
    """``packbuilder build meeting.yaml ARGS`` without the cache; its output."""
    result = invoke("build", "meeting.yaml", "--no-cache", *args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def meeting(tmp_path, monkeypatch) -> Path:
    """A meeting of three items, two with papers, in the current folder; fake LibreOffice."""
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    kit.pdf(tmp_path / "papers" / "budget.pdf", 3)
    kit.pdf(tmp_path / "papers" / "update.pdf", 2)
    monkeypatch.chdir(tmp_path)
    return kit.write_meeting(tmp_path, ITEMS)


def write_plan(folder: Path) -> Path:
    (folder / "forward-plan" / "entries").mkdir(parents=True, exist_ok=True)
    (folder / "forward-plan" / "entries" / "regeneration.yaml").write_text(ENTRIES)
    plan = folder / "forward-plan" / "plan.yaml"
    plan.write_text(PLAN)
    return plan


# --- a revision is a change ---------------------------------------------------------------------


def test_a_revision_and_its_removal_are_reported(meeting):
    build()
    revised = build("--revision", "2")
    assert "Changes to the agenda for" in revised and "(revision 2):" in revised
    assert "Now revision 2 (was not revised)." in revised
    assert "No changes" not in revised
    again = build("--revision", "2")
    assert "No changes to the items, papers or page numbers since the last build." in again
    kept = build()  # a second late paper: the pack stays revision 2 until told otherwise
    assert "(8 pages, revision 2; members/pack.pdf the same)" in kept
    assert "No changes to the items, papers or page numbers since the last build." in kept
    unrevised = build("--no-revision")
    assert "No longer marked revised (was revision 2)." in unrevised
    assert "No changes" not in unrevised
    manifest = json.loads(Path("build/meeting/members/manifest.json").read_text())
    assert manifest["meeting"]["revision"] is None


def test_diff_reports_the_revision(meeting):
    build()
    Path("sent").mkdir()
    Path("sent/manifest.json").write_bytes(Path("build/meeting/members/manifest.json").read_bytes())
    build("--revision", "2")
    text = invoke("diff", "sent", "build/meeting")
    assert text.exit_code == 0, text.output
    assert "Now revision 2 (was not revised)." in text.output
    data = json.loads(invoke("diff", "--json", "sent", "build/meeting").output)
    assert data["changed"] is True and data["revision"] == {"old": None, "new": 2}


# --- a supplement rebuilt with fewer items ------------------------------------------------------


def test_an_item_left_out_of_a_rebuilt_supplement_is_not_said_to_leave_the_agenda(meeting):
    first = invoke("supplement", "meeting.yaml", "--items", "2,3", "--no-cache")
    assert first.exit_code == 0, first.output
    second = invoke("supplement", "meeting.yaml", "--items", "2", "--no-cache")
    assert second.exit_code == 0, second.output
    assert "Changes to the supplementary agenda for" in second.output
    assert "Items removed from the supplement:\n  - Item 3: Executive Member Update" in (
        second.output
    )
    assert "removed from the agenda" not in second.output
    third = invoke("supplement", "meeting.yaml", "--items", "2,3", "--no-cache")
    assert "Items added to the supplement:\n  - Item 3: Executive Member Update" in third.output


# --- a forward-plan appendix whose entries changed ----------------------------------------------


def test_a_changed_forward_plan_entry_names_the_appendix_not_the_cover_report(meeting):
    write_plan(meeting.parent)
    kit.write_meeting(meeting.parent, REPORT_WITH_TABLE)
    build()
    entries = meeting.parent / "forward-plan" / "entries" / "regeneration.yaml"
    entries.write_text(ENTRIES.replace("2022-06-14", "2022-06-21"))
    output = build()
    replaced = "Papers replaced by a new version:\n  - Item 2: Appendix A - Executive Forward Work "
    assert replaced in output
    assert "(appendix to Forward plan cover report, page" in output
    assert "Item 2: Forward plan cover report (" not in output


# --- a pack and a forward plan never replace each other -----------------------------------------


def test_a_forward_plan_is_not_built_into_an_agenda_packs_folder(meeting):
    build()
    plan = write_plan(meeting.parent)
    before = kit.snapshot(Path("build/meeting"))
    folder = "build/meeting"
    result = invoke("forward-plan", "build", str(plan), "--as-of", "2022-05-03", "-o", folder)
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert (
        "build/meeting holds an agenda pack (Pwyllgor Craffu / Scrutiny Committee, Wednesday "
        "11 May 2022); building the forward plan edition there would replace it" in result.output
    )
    assert "choose another folder with -o" in result.output
    assert "did not write" not in result.output
    assert kit.snapshot(Path("build/meeting")) == before


def test_a_supplement_folder_is_named_as_a_supplementary_agenda(meeting):
    assert invoke("supplement", "meeting.yaml", "--items", "2", "--no-cache").exit_code == 0
    plan = write_plan(meeting.parent)
    folder = "build/meeting-supplement"
    result = invoke("forward-plan", "build", str(plan), "--as-of", "2022-05-03", "-o", folder)
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert f"{folder} holds a supplementary agenda pack (Pwyllgor Craffu" in result.output


def test_a_pack_is_not_built_into_a_forward_plan_folder(meeting):
    plan = write_plan(meeting.parent)
    made = invoke("forward-plan", "build", str(plan), "--as-of", "2022-05-03", "-o", "build/fwp")
    assert made.exit_code == 0, made.output
    before = kit.snapshot(Path("build/fwp"))
    for command in (["build"], ["supplement", "--items", "2"]):
        name, *rest = command
        result = invoke(name, "meeting.yaml", *rest, "--no-cache", "-o", "build/fwp")
        assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
        assert (
            "build/fwp holds a forward plan edition (Executive Forward Work Programme, "
            "3 May 2022)" in result.output
        )
        assert "choose another folder with -o" in result.output
    assert (
        "building the agenda pack there would replace it"
        in invoke("build", "meeting.yaml", "-o", "build/fwp").output
    )
    assert kit.snapshot(Path("build/fwp")) == before


def test_a_folder_of_other_files_is_still_refused_as_not_packbuilders(meeting):
    Path("www").mkdir()
    Path("www/index.html").write_text("the council's own page")
    result = invoke("build", "meeting.yaml", "--no-cache", "-o", "www")
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert "www already holds files that packbuilder did not write" in result.output
