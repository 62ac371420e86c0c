"""Meeting files at the limits: found by a robustness probe, each once an internal error,
a crash, gigabytes of memory or a silent oddity; now exit 3 with file:line (key) and what to do.

YAML aliases that expand into billions of values, lists nested hundreds deep,
paths no file can have (a NUL, a name too long, a loop of symbolic links),
folders where a file belongs, symbolic links judged by their target's name,
complex keys, dates far outside any meeting's, a publication date after the
meeting, cover-report fields the build could not use, odd item numbers and
page numbers in other scripts' digits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import packbuilder
from packbuilder import api
from packbuilder.exceptions import DefinitionError, ExitCode
from packbuilder.load.yamlfile import compose_yaml
from packbuilder.model.pagesel import PageSelectionError, parse_page_selection
from packbuilder.render.context import report_fields

from helpers.kit import EXAMPLE_DOCX, check_and_build_fail, fails, meeting, pdf, run

REPORT = "  - title: Budget\n    papers:\n      - report: {report}\n"
"""An item whose one paper is a cover report; ``report`` is the flow mapping of its fields."""


def laughs(levels: int, copies: int) -> str:
    """``{x0: &a [lol, lol, ...], x1: &b [*a, *a, ...], ...}``: copies ** levels values."""
    names = "abcdefghijklmnop"
    parts = [f"x0: &a [{', '.join(['lol'] * copies)}]"]
    for level in range(1, levels):
        aliases = ", ".join([f"*{names[level - 1]}"] * copies)
        parts.append(f"x{level}: &{names[level]} [{aliases}]")
    return "{" + ", ".join(parts) + "}"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# --- aliases and nesting ------------------------------------------------------------------


def test_the_billion_laughs_is_refused_before_it_expands(tmp_path):
    """11 levels of 9 aliases: 714 bytes that would be 31 billion values."""
    path = meeting(tmp_path, REPORT.format(report=laughs(11, 9)))
    assert path.stat().st_size < 1000
    with pytest.raises(DefinitionError) as info:
        compose_yaml(path)
    assert "more than 100,000" in info.value.problems[0]


def test_aliases_that_expand_past_the_limit_are_refused_by_check_and_build(tmp_path):
    path = meeting(tmp_path, REPORT.format(report=laughs(6, 7)))  # 7**6 = 117,649 values
    check_and_build_fail(
        tmp_path,
        path,
        ExitCode.INVALID_INPUT,
        "meeting.yaml:9 (item 1, paper 1, report.x5",
        "the file would hold more than 100,000 of them",
        "What to do: remove the YAML aliases (*name); write the values out",
    )


def test_an_alias_inside_the_value_it_names_is_refused(tmp_path):
    items = "  - title: Budget\n    papers:\n      - report: &r\n          summary: [x, *r]\n"
    fails(
        run("check", str(meeting(tmp_path, items))),
        ExitCode.INVALID_INPUT,
        "meeting.yaml:10 (item 1, paper 1, report.summary[2]): the alias *r is inside the "
        "value it names (&r on line 9), so it would repeat forever",
        "remove the YAML aliases",
    )


def test_a_few_aliases_still_work(tmp_path):
    items = (
        "  - title: Budget\n    papers:\n      - report: {contact: &officer {name: Ann Holmes}}\n"
        "  - title: Audit\n    papers:\n      - report: {contact: *officer}\n"
    )
    loaded = api.check(meeting(tmp_path, items))
    fields = [item.papers[0].document.source.fields for item in loaded.items]
    assert fields[0] == fields[1] == {"contact": {"name": "Ann Holmes"}}


def test_lists_nested_too_deeply_are_refused_with_their_line(tmp_path):
    path = meeting(tmp_path, REPORT.format(report="{summary: " + nested(500) + "}"))
    output = fails(
        run("check", str(path)),
        ExitCode.INVALID_INPUT,
        "meeting.yaml:9 (item 1, paper 1, report.summary[1][1]",
        "nested too deeply: more than 50 lists and mappings inside each other",
        "check that every '[' and '{' is closed",
    )
    assert output.count("[0]") < 15, "the key is shortened"


def test_fifty_levels_load_and_fifty_one_do_not(tmp_path):
    # The meeting, items, the item, papers, the paper and report are 6 levels.
    ok = meeting(tmp_path, REPORT.format(report="{summary: " + nested(44) + "}"))
    assert api.check(ok).items[0].papers[0].document.source.fields["summary"]
    deep = meeting(tmp_path, REPORT.format(report="{summary: " + nested(45) + "}"))
    fails(run("check", str(deep)), ExitCode.INVALID_INPUT, "nested too deeply")


def test_an_alias_that_nests_too_deeply_is_refused(tmp_path):
    report = "{a: &deep " + nested(30) + ", b: " + "[" * 20 + "*deep" + "]" * 20 + "}"
    fails(
        run("check", str(meeting(tmp_path, REPORT.format(report=report)))),
        ExitCode.INVALID_INPUT,
        "meeting.yaml:9 (item 1, paper 1, report.b[1][1]",
        "the alias *deep puts more than 50 lists and mappings inside each other",
        "remove the YAML aliases",
    )


def test_nesting_that_would_crash_libyaml_is_refused(tmp_path):
    """libyaml's composer crashes the process (SIGSEGV) on lists nested 100,000 deep:
    run in a child process so that a regression fails this test, not the whole run."""
    path = meeting(tmp_path, REPORT.format(report="{summary: " + nested(200_000) + "}"))
    src = str(Path(packbuilder.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    result = subprocess.run(
        [sys.executable, "-m", "packbuilder", "check", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == ExitCode.INVALID_INPUT, (result.returncode, result.stderr)
    assert "nested too deeply" in result.stdout + result.stderr


# --- paths --------------------------------------------------------------------------------


def _paper(file: str) -> str:
    return f'  - title: Budget\n    papers:\n      - file: "{file}"\n'


@pytest.mark.parametrize(
    "items,head,key",
    [
        (_paper("papers/bud\\0get.pdf"), "", "(item 1, paper 1, file)"),
        (
            '  - title: Plan\n    papers:\n      - forward_plan: {plan: "pl\\0an.yaml"}\n',
            "",
            "(item 1, paper 1, forward_plan.plan)",
        ),
        (
            '  - title: B\n    papers:\n      - {report: {summary: x}, template: "r\\0.docx"}\n',
            "",
            "(item 1, paper 1, template)",
        ),
    ],
    ids=["paper", "plan", "template"],
)
def test_a_nul_character_in_a_path(tmp_path, items, head, key):
    check_and_build_fail(
        tmp_path,
        meeting(tmp_path, items, head=head),
        ExitCode.INVALID_INPUT,
        f"meeting.yaml:9 {key}: the path contains a NUL character",
        "retype the path",
    )


def test_a_nul_character_in_the_committee_path(tmp_path):
    path = meeting(tmp_path)
    path.write_text(path.read_text().replace("committee: committee.yaml", 'committee: "c\\0.yaml"'))
    fails(
        run("check", str(path)),
        ExitCode.INVALID_INPUT,
        "meeting.yaml:1 (committee): the path contains a NUL character",
    )


def test_a_file_name_too_long_for_the_file_system(tmp_path):
    check_and_build_fail(
        tmp_path,
        meeting(tmp_path, _paper("papers/" + "x" * 300 + ".pdf")),
        ExitCode.INVALID_INPUT,
        "meeting.yaml:9 (item 1, paper 1, file): the name 'xxx",
        "is too long (304 characters); file and folder names can be at most 255",
        "give the file a shorter name",
    )


def test_a_path_too_long_for_the_file_system(tmp_path):
    deep = "/".join(["folder" + "x" * 200] * 25) + "/paper.pdf"  # over 4096 bytes
    fails(
        run("check", str(meeting(tmp_path, _paper(deep)))),
        ExitCode.INVALID_INPUT,
        "meeting.yaml:9 (item 1, paper 1, file): the path 'folderxxx",
        "is too long for the file system",
        "move the file to a folder nearer the YAML file",
    )


def test_a_loop_of_symbolic_links(tmp_path):
    path = meeting(tmp_path, _paper("papers/la.pdf"))
    (tmp_path / "papers" / "lb.pdf").symlink_to("la.pdf")
    (tmp_path / "papers" / "la.pdf").symlink_to("lb.pdf")
    check_and_build_fail(
        tmp_path,
        path,
        ExitCode.INVALID_INPUT,
        "meeting.yaml:9 (item 1, paper 1, file): 'papers/la.pdf' is a symbolic link that "
        "leads back to itself",
        "point the link at the real file",
    )


def test_a_folder_in_the_path_loops(tmp_path):
    path = meeting(tmp_path, _paper("loop/paper.pdf"))
    (tmp_path / "loop").symlink_to("loop")
    fails(
        run("check", str(path)),
        ExitCode.INVALID_INPUT,
        "(item 1, paper 1, file): 'loop/paper.pdf' is a symbolic link that leads back",
    )


def test_a_paper_linked_to_a_file_without_extension_is_judged_by_its_own_name(tmp_path):
    """git-annex keeps papers as links to files named by their hash, without an extension."""
    store = tmp_path / ".git" / "annex" / "objects"
    pdf(store / "SHA256E-s1814--0123abcd", 3)
    path = meeting(tmp_path, _paper("papers/annexed.pdf"))
    (tmp_path / "papers" / "annexed.pdf").symlink_to(store / "SHA256E-s1814--0123abcd")
    loaded = api.check(path)
    document = loaded.items[0].papers[0].document
    assert document.source.path.name == "annexed.pdf"
    assert document.title == "Annexed", "the default title comes from the name written"


def test_a_pdf_named_link_to_a_word_document_is_named_by_the_link(tmp_path):
    path = meeting(tmp_path, _paper("papers/report.pdf"))
    shutil.copyfile(EXAMPLE_DOCX, tmp_path / "store-realdoc.docx")
    (tmp_path / "papers" / "report.pdf").symlink_to(tmp_path / "store-realdoc.docx")
    output = fails(
        run("check", str(path)),
        ExitCode.BAD_DOCUMENT,
        "papers/report.pdf: this file is not a PDF",
    )
    assert "realdoc" not in output


def test_a_docx_named_link_to_a_file_without_extension_is_a_word_paper(tmp_path):
    shutil.copyfile(EXAMPLE_DOCX, tmp_path / "SHA256E-s9--abc")
    path = meeting(tmp_path, _paper("papers/addendum.docx"))
    (tmp_path / "papers" / "addendum.docx").symlink_to(tmp_path / "SHA256E-s9--abc")
    assert api.check(path).items[0].papers[0].document.source.path.suffix == ".docx"


# --- folders where a file belongs ---------------------------------------------------------


def test_a_folder_given_as_a_paper(tmp_path):
    check_and_build_fail(
        tmp_path,
        meeting(tmp_path, _paper("papers")),
        ExitCode.INVALID_INPUT,
        "meeting.yaml:9 (item 1, paper 1, file): 'papers' is a folder, not a file",
        "name the .pdf or .docx file in it; it holds budget.pdf",
    )


def test_a_folder_named_like_a_pdf(tmp_path):
    path = meeting(tmp_path, _paper("papers/late.pdf"))
    (tmp_path / "papers" / "late.pdf").mkdir()
    fails(
        run("check", str(path)),
        ExitCode.INVALID_INPUT,
        "(item 1, paper 1, file): 'papers/late.pdf' is a folder, not a file",
    )


def test_a_folder_given_as_the_committee(tmp_path):
    path = meeting(tmp_path)
    (tmp_path / "committees").mkdir()
    (tmp_path / "committee.yaml").rename(tmp_path / "committees" / "scrutiny.yaml")
    path.write_text(path.read_text().replace("committee: committee.yaml", "committee: committees"))
    fails(
        run("check", str(path)),
        ExitCode.INVALID_INPUT,
        "meeting.yaml:1 (committee): 'committees' is a folder, not a file",
        "name the .yaml or .yml file in it; it holds scrutiny.yaml",
    )


def test_a_folder_given_as_a_forward_plan_must_hold_one(tmp_path):
    items = "  - title: Plan\n    papers:\n      - forward_plan: {plan: papers}\n"
    fails(
        run("check", str(meeting(tmp_path, items))),
        ExitCode.INVALID_INPUT,
        "(item 1, paper 1, forward_plan.plan): 'papers' is a folder, but not a forward "
        "plan's: it holds no plan.yaml and no .yaml entries files",
        "name the plan's .yaml or .csv file, or the folder that holds its plan.yaml",
    )


def test_a_forward_plan_folder_is_a_plan(tmp_path):
    items = "  - title: Plan\n    papers:\n      - forward_plan: {plan: plan}\n"
    path = meeting(tmp_path, items)
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "plan.yaml").write_text(
        "title: Forward Plan\nentries:\n  - {reference: '1', portfolio: P, subject: S}\n"
    )
    result = run("check", str(path))
    assert result.exit_code == 0, result.output
    plan = api.check(path).items[0].papers[0].document.source.plan
    assert plan == tmp_path / "plan"


# --- keys, dates, report fields -----------------------------------------------------------


def test_a_complex_key_is_refused_at_its_line(tmp_path):
    path = meeting(tmp_path, head="? [chair, vice]\n: Llinos\n")
    output = fails(
        run("check", str(path)),
        ExitCode.INVALID_INPUT,
        "meeting.yaml:6: a key must be plain text, found a list used as a key",
        "write the key as a word followed by ':'",
    )
    assert "ScalarNode" not in output


def test_a_complex_key_in_report_fields(tmp_path):
    items = "  - title: B\n    papers:\n      - report:\n          ? {a: b}\n          : c\n"
    fails(
        run("check", str(meeting(tmp_path, items))),
        ExitCode.INVALID_INPUT,
        "meeting.yaml:10 (item 1, paper 1, report): a key must be plain text, found a mapping",
    )


@pytest.mark.parametrize(
    "old,new,line,key",
    [
        ("date: 2022-05-11", "date: 0001-01-01", 2, "date"),
        ("date: 2022-05-11", "date: 2200-01-01", 2, "date"),
        ("published: 2022-05-03", "published: 1899-12-31", 5, "published"),
    ],
)
def test_dates_outside_the_years_a_meeting_can_be_in(tmp_path, old, new, line, key):
    path = meeting(tmp_path)
    path.write_text(path.read_text().replace(old, new))
    year = int(new.split(": ")[1][:4])
    for command in ("check", "status"):
        fails(
            run(command, str(path)),
            ExitCode.INVALID_INPUT,
            f"meeting.yaml:{line} ({key}): '{new.split(': ')[1]}' is in the year {year}; "
            "dates must be in the years 1900 to 2199",
        )


def test_an_added_date_outside_the_years(tmp_path):
    items = "  - title: Late\n    added: 0001-01-01\n    urgency: Because\n"
    fails(
        run("status", str(meeting(tmp_path, items))),
        ExitCode.INVALID_INPUT,
        "meeting.yaml:8 (item 1, added): '0001-01-01' is in the year 1",
    )


def test_published_after_the_meeting_is_refused(tmp_path):
    path = meeting(tmp_path)
    path.write_text(path.read_text().replace("published: 2022-05-03", "published: 2022-06-01"))
    check_and_build_fail(
        tmp_path,
        path,
        ExitCode.INVALID_INPUT,
        "meeting.yaml:5 (published): the agenda is published on 2022-06-01, after the meeting "
        "on 2022-05-11",
        "correct it or the meeting's 'date:'",
    )


def test_published_on_the_day_of_the_meeting_loads(tmp_path):
    path = meeting(tmp_path)
    path.write_text(path.read_text().replace("published: 2022-05-03", "published: 2022-05-11"))
    assert api.check(path).published == api.check(path).date


@pytest.mark.parametrize(
    "report,name,found",
    [
        ('{impacts: "y"}', "impacts", "found 'y'"),
        ('{contact: "x"}', "contact", "found 'x'"),
        ("{strategic_plan: [1]}", "strategic_plan", "found a list"),
    ],
)
def test_report_group_fields_are_checked_by_check_as_by_build(tmp_path, report, name, found):
    check_and_build_fail(
        tmp_path,
        meeting(tmp_path, REPORT.format(report=report)),
        ExitCode.INVALID_INPUT,
        f"meeting.yaml:9 (item 1, paper 1, report.{name}): the report field '{name}' "
        f"should be a mapping of",
        found,
        f"write it as '{name}:' followed by indented lines",
    )


def test_empty_report_group_fields_load_and_fill_the_template(tmp_path):
    report = '{impacts: , contact: "  ", strategic_plan: {people: Yes}}'
    loaded = api.check(meeting(tmp_path, REPORT.format(report=report)))
    item = loaded.items[0]
    fields = report_fields(loaded, item, item.papers[0].document)  # as the build fills it
    assert fields["strategic_plan"] == {"people": "Yes", "place": "", "business": ""}
    assert fields["contact"] == {"name": "", "phone": "", "email": ""}
    assert set(fields["impacts"].values()) == {""}


# --- item and page numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    "number,fragment,hint",
    [
        ("-1", "item number -1 is below 1", "or 3a or 3.1 for an item added after item 3"),
        ("0", "item number 0 is below 1", "leave 'number:' out"),
        ("'3.'", "'3.' is not an item number", "a whole number such as 3"),
        ("'1.0'", "'1.0' is not an item number", "a whole number such as 3"),
        ("1" * 23, f"item number {'1' * 23} is too large", "from 1 to 9999"),
        ("'03'", "item number 03 starts with 0", "write it as 3"),
        ("three", "'three' is not an item number", "a whole number such as 3"),
        ("'٣'", "'٣' is not an item number", "a whole number such as 3"),
    ],
)
def test_item_numbers_that_are_not(tmp_path, number, fragment, hint):
    items = f"  - title: Minutes\n    number: {number}\n"
    fails(
        run("check", str(meeting(tmp_path, items))),
        ExitCode.INVALID_INPUT,
        f"meeting.yaml:8 (item 1, number): {fragment}",
        hint,
    )


def test_item_numbers_as_agendas_write_them(tmp_path):
    items = "".join(
        f"  - {{title: Item {n}, number: {n}}}\n" for n in ("3", "3a", "3.1", "4B", "12", "9999")
    )
    loaded = api.check(meeting(tmp_path, items))
    assert [item.number for item in loaded.items] == ["3", "3a", "3.1", "4B", "12", "9999"]


@pytest.mark.parametrize("text", ["١", "1-٣", "２", "1, ３-end"])
def test_page_numbers_are_ascii_digits(text):
    with pytest.raises(PageSelectionError, match="is not a page number or a range of pages"):
        parse_page_selection(text)


def test_a_page_selection_in_other_digits_is_refused_at_its_line(tmp_path):
    items = '  - title: B\n    papers:\n      - file: papers/budget.pdf\n        pages: "١"\n'
    fails(
        run("check", str(meeting(tmp_path, items))),
        ExitCode.INVALID_INPUT,
        "meeting.yaml:10 (item 1, paper 1, pages): '١' is not a page number",
    )
