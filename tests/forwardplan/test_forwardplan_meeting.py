"""A forward-plan table in a meeting's pack: its template, its inputs, ``check``, one load.

Builds run with the fake converter (no LibreOffice): ``tests/fakeconv.py``.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from packbuilder import api
from packbuilder.cli import main
from packbuilder.convert._exec import soffice
from packbuilder.exceptions import DefinitionError, ExitCode
from packbuilder.load import plan as plan_load
from packbuilder.load.meeting import load_meeting
from packbuilder.load.templates import PACKAGE_TEMPLATES
from packbuilder.model.meeting import ForwardPlanSource

from helpers import fakeconv, kit

PLAN, ENTRIES = kit.SMALL_PLAN, kit.SMALL_PLAN_ENTRIES

TABLE = """\
  - title: Apologies for Absence
  - title: Executive Forward Work Programme
    papers:
      - title: Forward plan
        forward_plan: forward-plan/plan.yaml
"""


def _committee_with(**templates: str) -> str:
    lines = "".join(f"  {name}: {path}\n" for name, path in templates.items())
    return kit.COMMITTEE + "templates:\n" + lines


def write_table_meeting(folder: Path, items: str = TABLE, **committee_templates: str) -> Path:
    """A meeting whose item 2 is a forward-plan table, with the real templates."""
    (folder / "forward-plan" / "entries").mkdir(parents=True, exist_ok=True)
    (folder / "forward-plan" / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (folder / "forward-plan" / "entries" / "regeneration.yaml").write_text(
        ENTRIES, encoding="utf-8"
    )
    committee = _committee_with(**committee_templates) if committee_templates else kit.COMMITTEE
    return kit.write_meeting(folder, items, committee=committee)


def table_source(meeting: Path) -> ForwardPlanSource:
    source = load_meeting(meeting).items[1].papers[0].document.source
    assert isinstance(source, ForwardPlanSource)
    return source


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def fake_converter(monkeypatch):
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)


# --- the template: the table's own, else the committee's -------------------------------------


def test_a_table_uses_the_committees_forward_plan_template(tmp_path):
    shutil.copyfile(kit.TEMPLATES / "forward-plan.docx", tmp_path / "our-plan.docx")
    meeting = write_table_meeting(tmp_path, forward_plan="our-plan.docx")
    assert table_source(meeting).template == (tmp_path / "our-plan.docx").resolve()


def test_a_table_uses_templates_forward_plan_docx_found_above_the_committee(tmp_path):
    meeting = write_table_meeting(tmp_path)
    assert table_source(meeting).template == tmp_path / "templates" / "forward-plan.docx"


def test_a_tables_own_template_comes_before_the_committees(tmp_path):
    shutil.copyfile(kit.TEMPLATES / "forward-plan.docx", tmp_path / "our-plan.docx")
    shutil.copyfile(kit.TEMPLATES / "forward-plan.docx", tmp_path / "this-table.docx")
    items = TABLE.replace(
        "        forward_plan: forward-plan/plan.yaml\n",
        "        forward_plan: {plan: forward-plan/plan.yaml, template: this-table.docx}\n",
    )
    meeting = write_table_meeting(tmp_path, items, forward_plan="our-plan.docx")
    assert table_source(meeting).template == (tmp_path / "this-table.docx").resolve()


def test_a_template_beside_forward_plan_is_not_silently_ignored(tmp_path):
    items = TABLE + "        template: templates/forward-plan.docx\n"
    meeting = write_table_meeting(tmp_path, items)
    with pytest.raises(DefinitionError) as info:
        load_meeting(meeting)
    (problem,) = info.value.problems
    assert "a forward-plan table's template is written under 'forward_plan:'" in problem


def test_without_a_templates_folder_the_default_forward_plan_template_is_used(tmp_path):
    meeting = write_table_meeting(tmp_path)
    (tmp_path / "templates" / "forward-plan.docx").unlink()
    source = load_meeting(meeting).items[1].papers[0].document.source
    assert source.template == PACKAGE_TEMPLATES / "forward-plan.docx"


def test_a_named_forward_plan_template_that_is_missing_is_a_definition_problem(tmp_path):
    meeting = write_table_meeting(tmp_path, forward_plan="no-such-plan.docx")
    with pytest.raises(DefinitionError) as info:
        load_meeting(meeting)
    (problem,) = info.value.problems
    assert "no-such-plan.docx" in problem and "not found" in problem, problem


def test_the_build_fills_the_committees_template_not_the_default(tmp_path, monkeypatch):
    (tmp_path / "our-plan.docx").write_text("typed in Notepad\n")
    write_table_meeting(tmp_path, forward_plan="our-plan.docx")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PACKBUILDER_SOFFICE", "no-such-soffice")  # exit 6 if it got that far
    result = invoke("build", "meeting.yaml")
    assert result.exit_code == ExitCode.TEMPLATE_ERROR, result.output
    assert "our-plan.docx is not a Word document (.docx)" in result.output


# --- the template is one of the pack's inputs -------------------------------------------------


def test_status_says_out_of_date_after_the_forward_plan_template_is_edited(
    tmp_path, monkeypatch, fake_converter
):
    meeting = write_table_meeting(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = api.build(meeting, api.BuildOptions(cache_dir=None, wait=0))
    assert "templates/forward-plan.docx" in result.manifest["inputs"]
    assert api.status(meeting, dt.date(2022, 5, 2)).pack.up_to_date
    with (tmp_path / "templates" / "forward-plan.docx").open("ab") as template:
        template.write(b"\0")
    pack = api.status(meeting, dt.date(2022, 5, 2)).pack
    assert pack.changed_inputs == ("templates/forward-plan.docx",)


# --- the plan is read once per build ----------------------------------------------------------


def count_plan_loads(monkeypatch) -> list[Path]:
    """Count the forward plans loaded from now on, wherever load_plan is called from."""
    loads: list[Path] = []
    original = plan_load._finish

    def finish(path, *args, **kwargs):
        loads.append(path)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(plan_load, "_finish", finish)
    return loads


def test_a_build_reads_the_forward_plan_once(tmp_path, monkeypatch, fake_converter):
    items = TABLE + "      - forward_plan: {plan: forward-plan/plan.yaml, heading: APPENDIX B}\n"
    meeting = write_table_meeting(tmp_path, items)
    monkeypatch.chdir(tmp_path)
    loads = count_plan_loads(monkeypatch)
    result = api.build(meeting, api.BuildOptions(cache_dir=None, wait=0))
    assert len(loads) == 1, "two tables from one plan, one build: the plan is read once"
    entries = "forward-plan/entries/regeneration.yaml"
    assert {"forward-plan/plan.yaml", entries} <= set(result.manifest["inputs"])
    assert list(result.plans) == [tmp_path / "forward-plan" / "plan.yaml"]


# --- check: the plan loaded, the template opened, as the build would -------------------------


def test_check_loads_the_forward_plan(tmp_path, monkeypatch):
    write_table_meeting(tmp_path)
    entries = tmp_path / "forward-plan" / "entries" / "regeneration.yaml"
    entries.write_text(ENTRIES.replace("2022-06-14", "2022-06-31"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PACKBUILDER_SOFFICE", "no-such-soffice")
    for command in ("check", "build"):
        result = invoke(command, "meeting.yaml")
        assert result.exit_code == ExitCode.INVALID_INPUT, result.output
        assert (
            "forward-plan/entries/regeneration.yaml:6 (entries[1].due_date): '2022-06-31' is not "
            "a real date — June 2022 has 30 days" in result.output
        )


def test_check_opens_the_forward_plan_template(tmp_path, monkeypatch):
    (tmp_path / "our-plan.docx").write_text("typed in Notepad\n")
    write_table_meeting(tmp_path, forward_plan="our-plan.docx")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PACKBUILDER_SOFFICE", "no-such-soffice")
    outputs = []
    for command in ("check", "build"):
        result = invoke(command, "meeting.yaml")
        assert result.exit_code == ExitCode.TEMPLATE_ERROR, result.output
        outputs.append(result.output)
    assert outputs[0] == outputs[1], "check says what the build says"
    assert (
        "error: meeting.yaml:10 (item 2, paper 1): our-plan.docx is not a Word document (.docx)"
        in outputs[0]
    )


def test_check_reports_every_paper_plan_and_template_problem_at_once(tmp_path, monkeypatch):
    (tmp_path / "our-plan.docx").write_text("typed in Notepad\n")
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "minutes.pdf").write_text("not a PDF\n")
    items = TABLE + "  - title: Minutes\n    papers: [papers/minutes.pdf]\n"
    write_table_meeting(tmp_path, items, forward_plan="our-plan.docx")
    (tmp_path / "templates" / "agenda.docx").write_text("typed in Notepad\n")
    entries = tmp_path / "forward-plan" / "entries" / "regeneration.yaml"
    entries.write_text(ENTRIES.replace("2022-06-14", "2022-06-31"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "meeting.yaml")
    assert result.exit_code == ExitCode.BAD_DOCUMENT, "the first problem's code, as the build's"
    assert result.output.startswith("error: 4 problems:")
    for fragment in (
        "papers/minutes.pdf: this file is not a PDF",
        "'2022-06-31' is not a real date",
        "our-plan.docx is not a Word document",
        "templates/agenda.docx is not a Word document",
    ):
        assert fragment in result.output


def test_check_of_the_example_meeting_opens_its_templates_and_plan_quickly():
    started = time.monotonic()
    result = invoke("check", str(kit.ROOT / "meetings" / "osb-2022-05-11.yaml"))
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 5


# --- a CSV plan that does not read: the same problem wherever it is used ---------------------

BAD_CSVS = {
    "a short row": (
        b"reference,portfolio,subject\nR1,Regeneration,Subject\n1234\n",
        "forward-plan/plan.csv row 3, column 'portfolio': is empty — fill it in",
    ),
    "NUL bytes at the end": (
        b"reference,portfolio,subject\nR1,Regeneration,Subject\n" + b"\0" * 64,
        "forward-plan/plan.csv row 3: holds NUL bytes, so it is not a text CSV file",
    ),
}


@pytest.mark.parametrize("bad", BAD_CSVS)
@pytest.mark.parametrize(
    "command",
    [
        ["forward-plan", "check", "forward-plan/plan.csv", "--as-of", "2022-05-03"],
        ["forward-plan", "check", "forward-plan/plan.yaml", "--as-of", "2022-05-03"],
        ["check", "meeting.yaml"],
    ],
    ids=["the CSV", "a plan.yaml including it", "a meeting's table"],
)
def test_a_csv_that_does_not_read_is_a_definition_problem(tmp_path, monkeypatch, bad, command):
    write_table_meeting(tmp_path)
    (tmp_path / "forward-plan" / "plan.yaml").write_text(
        PLAN.replace("include: [entries/]", "include: [plan.csv]"), encoding="utf-8"
    )
    data, problem = BAD_CSVS[bad]
    (tmp_path / "forward-plan" / "plan.csv").write_bytes(data)
    monkeypatch.chdir(tmp_path)
    result = invoke(*command)
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert problem in result.output
    assert "internal error" not in result.output
