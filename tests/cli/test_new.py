"""``packbuilder new``: a council folder that builds as it is, and never overwrites anything.
Fake LibreOffice (tests/helpers/fakeconv.py)."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from packbuilder import api
from packbuilder.cli import main
from packbuilder.convert._exec import soffice
from packbuilder.exceptions import ExitCode
from packbuilder.load.meeting import load_meeting

from helpers import fakeconv, kit


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_a_new_council_folder_builds_its_first_meeting(tmp_path, monkeypatch):
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    monkeypatch.chdir(tmp_path)
    made = invoke("new", "council", "--committee", "Pwyllgor Craffu", "--council", "Cyngor Môn")
    assert made.exit_code == 0, made.output
    folder = tmp_path / "council"
    meetings = sorted((folder / "meetings").glob("*.yaml"))
    assert len(meetings) == 1 and meetings[0].name.endswith("-pwyllgor-craffu.yaml")
    assert f"packbuilder build council/meetings/{meetings[0].name}" in made.output
    for name in ("agenda.docx", "report.docx", "forward-plan.docx"):
        assert (folder / "templates" / name).is_file()
    assert (folder / "meetings" / "papers").is_dir()
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert f"packbuilder build council/meetings/{meetings[0].name}" in readme
    meeting = load_meeting(meetings[0])
    assert meeting.committee.name == "Pwyllgor Craffu" and meeting.committee.body == "Cyngor Môn"
    assert meeting.committee.templates.agenda == folder / "templates" / "agenda.docx"
    built = invoke("build", str(meetings[0]), "--no-cache")
    assert built.exit_code == 0, built.output
    built_in = folder / "meetings" / "build" / meetings[0].stem
    for pack in ("public/pack.pdf", "members/pack.pdf"):  # where the README says they are
        assert f"meetings/build/{meetings[0].stem}/{pack}" in readme
        assert (built_in / pack).is_file()
    manifest = json.loads((built_in / "members" / "manifest.json").read_text())
    assert [item["agenda_text"] for item in manifest["items"]][2:] == ["To Follow", "3 - 4"]
    status = invoke("status", str(meetings[0]))
    assert status.exit_code == 0 and "meets the deadline" in status.output, status.output


def test_the_first_meeting_is_four_weeks_on_and_published_on_the_deadline(tmp_path):
    made = api.new_council(tmp_path / "c", on=dt.date(2026, 12, 2))
    meeting = load_meeting(made.meeting)
    # 5 clear working days before Wednesday 30 December, Christmas and Boxing Day not counted
    assert meeting.date == dt.date(2026, 12, 30) and meeting.published == dt.date(2026, 12, 18)


def test_a_folder_that_holds_anything_is_refused_and_left_as_it_was(tmp_path):
    (tmp_path / "council").mkdir()
    (tmp_path / "council" / "notes.txt").write_text("mine")
    result = invoke("new", str(tmp_path / "council"))
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert "already holds files" in result.output and "Traceback" not in result.output
    assert [p.name for p in (tmp_path / "council").iterdir()] == ["notes.txt"]


def test_a_cover_report_without_what_every_report_says_is_a_warning(tmp_path):
    items = (
        "  - title: Budget\n    papers:\n      - title: Budget cover report\n"
        "        report: {report_of: Director of Finance}\n"
    )
    meeting = kit.write_meeting(tmp_path, items)
    result = invoke("check", str(meeting))
    assert result.exit_code == 0, result.output
    assert "the cover report 'Budget cover report' has no purpose, proposed_decisions" in (
        result.output
    )


def test_the_example_meeting_checks_without_a_warning():
    result = invoke("check", str(kit.MEETING_FILE))
    assert result.exit_code == 0 and "warning" not in result.output, result.output


def test_verbose_names_the_templates_used(tmp_path, monkeypatch):
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    monkeypatch.chdir(tmp_path)
    api.new_council(tmp_path / "council")
    (tmp_path / "council" / "templates" / "agenda.docx").unlink()  # the default instead
    (meeting,) = (tmp_path / "council" / "meetings").glob("*.yaml")
    result = invoke("--verbose", "build", str(meeting), "--no-cache")
    assert result.exit_code == 0, result.output
    assert (
        "Templates: report.docx (council/templates/report.docx), "
        "agenda.docx (packbuilder's default)"
    ) in result.output
