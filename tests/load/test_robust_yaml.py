"""Bad meeting files through the command line: exit 3, file:line (key), what to do, no traceback.

``packbuilder check`` reads the YAML and opens every paper without starting
LibreOffice, so it finds a page selection beyond a PDF's last page as well as
the mistakes in the YAML itself; ``build`` finds the same before it renders
or converts anything.
"""

from __future__ import annotations

import re

import pytest

from packbuilder import api
from packbuilder.exceptions import DefinitionError, ExitCode, InputError

from helpers.kit import PAPERS, check_and_build_fail, fails, meeting, pdf, run


def test_a_good_meeting_checks_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setenv("PACKBUILDER_SOFFICE", "no-such-program")  # check never needs it
    result = run("check", str(meeting(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "OK — 2 items, 1 with papers" in result.output


def test_yaml_syntax_error_names_file_line_and_column(tmp_path):
    path = meeting(tmp_path, PAPERS + "  - title: [unclosed\n")
    check_and_build_fail(tmp_path, path, ExitCode.INVALID_INPUT, "meeting.yaml:", "syntax error")
    output = run("check", str(path)).output
    assert re.search(r"meeting\.yaml:\d+:\d+: YAML syntax error", output), output


def test_tab_indentation_says_use_spaces(tmp_path):
    path = meeting(tmp_path, PAPERS.replace("  - title: Apologies", "\t- title: Apologies"))
    fails(run("check", str(path)), ExitCode.INVALID_INPUT, "meeting.yaml:7:1", "not tabs")


def test_unknown_key_deep_in_a_paper_suggests_the_nearest(tmp_path):
    path = meeting(tmp_path, PAPERS.replace("pages: 1-2", "pgaes: 1-2"))
    fails(
        run("check", str(path)),
        ExitCode.INVALID_INPUT,
        "meeting.yaml:11 (item 2, paper 1, pgaes): unknown key 'pgaes' in paper",
        "did you mean 'pages'?",
    )


def test_unknown_top_level_key_without_a_near_one_lists_the_valid_keys(tmp_path):
    path = meeting(tmp_path, head="chairperson: Llinos\n")
    fails(run("check", str(path)), ExitCode.INVALID_INPUT, "unknown key 'chairperson'", "venue")


@pytest.mark.parametrize(
    "head,fragment",
    [
        ("revision: two\n", "(revision): expected a whole number, found 'two'"),
        ("revision: 0\n", "(revision): 0 is too small"),
        ("notices: {a: b}\n", "(notices): expected a list of text"),
    ],
)
def test_wrong_types(tmp_path, head, fragment):
    fails(run("check", str(meeting(tmp_path, head=head))), ExitCode.INVALID_INPUT, fragment)


def test_wrong_type_for_items_and_papers(tmp_path):
    path = meeting(tmp_path, "  - title: A\n    papers: {file: x.pdf}\n")
    fails(run("check", str(path)), ExitCode.INVALID_INPUT, "(item 1, papers): expected a list")
    path.write_text(path.read_text().split("items:")[0] + "items: Apologies\n")
    fails(run("check", str(path)), ExitCode.INVALID_INPUT, "(items): expected a list")


def test_missing_required_fields_are_all_reported_at_once(tmp_path):
    path = meeting(tmp_path, "  - description: no title here\n")
    text = path.read_text().replace("venue: Council Chamber, Llangefni\n", "")
    path.write_text(text)
    output = fails(
        run("check", str(path)),
        ExitCode.INVALID_INPUT,
        "meeting is missing 'venue'",
        "(item 1, title): agenda item is missing 'title'",
        "2 problems",
    )
    assert "add 'venue:'" in output


def test_committee_file_problems_name_the_committee_file(tmp_path):
    committee = "name: Scrutiny\nbody: Council\nmembership: []\ncontact: {}\n"
    path = meeting(tmp_path, committee=committee)
    fails(
        run("check", str(path)),
        ExitCode.INVALID_INPUT,
        "committee.yaml:3 (membership): the list is empty",
        "committee is missing 'signatory'",
    )


def test_duplicate_item_numbers(tmp_path):
    items = "  - {number: '3', title: Minutes}\n  - {number: '3', title: Budget}\n"
    fails(
        run("check", str(meeting(tmp_path, items))),
        ExitCode.INVALID_INPUT,
        "meeting.yaml:8 (item 3): item number 3 is used twice (first at line 7)",
    )


@pytest.mark.parametrize(
    "date,fragment",
    [
        ("2022-02-30", "'2022-02-30' is not a real date — February 2022 has 28 days"),
        ("2022-13-01", "'2022-13-01' is not a real date — there is no month 13"),
        ("2023-02-29", "'2023-02-29' is not a real date — February 2023 has 28 days"),
        ("2024-06-31", "'2024-06-31' is not a real date — June 2024 has 30 days"),
        ("2022-05-00", "'2022-05-00' is not a real date — there is no day 0"),
        ("11/05/2022", "write dates as YYYY-MM-DD"),
        ("next Tuesday", "write dates as YYYY-MM-DD"),
    ],
)
def test_impossible_dates(tmp_path, date, fragment):
    path = meeting(tmp_path)
    path.write_text(path.read_text().replace("date: 2022-05-11", f"date: {date}"))
    fails(run("check", str(path)), ExitCode.INVALID_INPUT, "meeting.yaml:2 (date)", fragment)


def test_a_misspelt_required_key_is_one_problem_not_two(tmp_path):
    path = meeting(tmp_path)
    path.write_text(path.read_text().replace("venue:", "venu:"))
    output = fails(
        run("check", str(path)),
        ExitCode.INVALID_INPUT,
        "1 problem",
        "(venu): unknown key 'venu' in meeting — did you mean 'venue'?",
    )
    assert "missing 'venue'" not in output, "the suggestion already says what is missing"


def test_a_tab_in_the_indentation_is_named_with_its_line(tmp_path):
    path = meeting(tmp_path)
    lines = path.read_text().splitlines(keepends=True)
    tab_line = next(n for n, line in enumerate(lines, 1) if line.startswith("venue:")) + 1
    lines.insert(tab_line - 1, "  \ttime: 6pm\n")  # a tab after spaces, under venue
    path.write_text("".join(lines))
    fails(
        run("check", str(path)),
        ExitCode.INVALID_INPUT,
        f"meeting.yaml:{tab_line}",
        f"line {tab_line} is indented with a tab: indent with spaces, not tabs",
    )


@pytest.mark.parametrize(
    "pages,fragment",
    [
        ("3-1", "the range '3-1' runs backwards; write it as '1-3'"),
        ("0", "pages are numbered from 1"),
        ("2-0", "pages are numbered from 1"),
        ("1-3,,7", "'1-3,,7' has an empty entry between two commas; remove the extra comma"),
        ("one to three", "'one to three' is not a page number or a range of pages"),
        ("'1.5'", "'1.5' is not a page number or a range of pages"),
        ("'-2'", "'-2' is not a page number or a range of pages"),
    ],
)
def test_malformed_page_selections(tmp_path, pages, fragment):
    path = meeting(tmp_path, PAPERS.replace("pages: 1-2", f"pages: {pages}"))
    check_and_build_fail(
        tmp_path,
        path,
        ExitCode.INVALID_INPUT,
        "meeting.yaml:11 (item 2, paper 1, pages)",
        fragment,
    )


@pytest.mark.parametrize("pages,bad", [("2-5", 5), ("4", 4), ("1, 9-end", 9)])
def test_page_selection_beyond_the_pdf_is_caught_by_check_and_build(tmp_path, pages, bad):
    path = meeting(tmp_path, PAPERS.replace("pages: 1-2", f"pages: {pages}"))
    check_and_build_fail(
        tmp_path,
        path,
        ExitCode.INVALID_INPUT,
        "meeting.yaml:11 (item 2, paper 1, pages)",
        f"page {bad} is outside the document, which has 3 pages",
        "choose pages between 1 and 3",
    )


def test_every_paper_problem_is_reported_in_one_run(tmp_path):
    pdf(tmp_path / "papers" / "minutes.pdf", 2)
    items = PAPERS.replace("pages: 1-2", "pages: 7") + (
        "  - title: Minutes\n    papers:\n      - file: papers/minutes.pdf\n        pages: 2-3\n"
    )
    output = fails(
        run("check", str(meeting(tmp_path, items))),
        ExitCode.INVALID_INPUT,
        "2 papers cannot be used",
        "page 7 is outside the document, which has 3 pages",
        "page 3 is outside the document, which has 2 pages",
    )
    assert output.count("What to do:") == 2


def test_welsh_long_titles_and_200_items_check_cleanly(tmp_path):
    title = "Adroddiad ar Gyllideb y Cyngor – ŵyr, ŷd, Môn, Llŷn, café, naïve " * 6
    items = "".join(
        f'  - title: "{title.strip()} {n}"\n    description: "Eitem {n}: ffïoedd a thâl"\n'
        for n in range(200)
    )
    path = meeting(tmp_path, items)
    result = run("check", str(path))
    assert result.exit_code == 0, result.output
    assert "OK — 200 items, 0 with papers" in result.output
    loaded = api.check(path)
    assert "Môn" in loaded.items[0].title and "ŷd" in loaded.items[199].title
    assert loaded.committee.membership[2].name == "Siân Ŵyn ap Gwilym"


def test_a_file_saved_in_a_windows_code_page_is_refused_with_its_line(tmp_path):
    path = meeting(tmp_path)
    text = path.read_text().replace("venue: Council Chamber", "venue: Neuadd y Dre, Llanfairpwll")
    path.write_bytes(text.replace("Llanfairpwll", "Caf\u00e9").encode("cp1252"))
    fails(run("check", str(path)), ExitCode.INVALID_INPUT, "meeting.yaml:4: not UTF-8", "UTF-8")


def test_a_file_saved_as_notepad_unicode_is_read(tmp_path):
    path = meeting(tmp_path)
    path.write_text(path.read_text().replace("Chamber", "Siambr – Môn"), encoding="utf-16")
    result = run("check", str(path))
    assert result.exit_code == 0, result.output
    assert api.check(path).venue == "Council Siambr – Môn, Llangefni"


def test_empty_meeting_file_and_folder(tmp_path):
    (tmp_path / "empty.yaml").write_text("")
    fails(run("check", str(tmp_path / "empty.yaml")), ExitCode.INVALID_INPUT, "the file is empty")
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    fails(
        run("check", str(tmp_path / "list.yaml")),
        ExitCode.INVALID_INPUT,
        "expected a meeting (key: value lines), found a list",
    )


def test_debug_shows_the_traceback(tmp_path):
    path = meeting(tmp_path, PAPERS.replace("pages: 1-2", "pages: 3-1"))
    quiet = run("check", str(path))
    loud = run("--debug", "check", str(path))
    assert quiet.exit_code == loud.exit_code == ExitCode.INVALID_INPUT
    assert "Traceback" not in quiet.output
    assert "Traceback (most recent call last)" in loud.output
    assert "DefinitionError" in loud.output


def test_page_selection_error_types(tmp_path):
    path = meeting(tmp_path, PAPERS.replace("pages: 1-2", "pages: 2-9"))
    with pytest.raises(InputError) as info:
        api.check(path)
    assert info.value.exit_code is ExitCode.INVALID_INPUT
    path = meeting(tmp_path, PAPERS.replace("pages: 1-2", "pages: 9-2"))
    with pytest.raises(DefinitionError):
        api.check(path)


@pytest.mark.parametrize("report", ["Budget report text", "[a, b]"])
def test_report_given_as_text_or_a_list(tmp_path, report):
    """Found by the fuzzer: this used to end in an internal error (exit 1)."""
    items = f"  - title: Budget\n    papers:\n      - report: {report}\n"
    fails(
        run("check", str(meeting(tmp_path, items))),
        ExitCode.INVALID_INPUT,
        "meeting.yaml:9 (item 1, paper 1): 'report' should be the cover report's fields",
        "indented 'key: value' lines under 'report:'",
    )


@pytest.mark.parametrize(
    "language,hint",
    [("English", "write 'en-GB'"), ("Cymraeg", "write 'cy-GB'"), ("en_GB", "such as en-GB")],
)
def test_a_language_that_is_not_a_tag_is_refused(tmp_path, language, hint):
    path = meeting(tmp_path)
    committee = path.parent / "committee.yaml"
    committee.write_text(committee.read_text() + f"language: {language}\n")
    fails(
        run("check", str(path)),
        ExitCode.INVALID_INPUT,
        "committee.yaml:",
        f"(language): '{language}' is not a language tag",
        hint,
    )


def test_every_problem_of_the_definition_and_its_papers_is_reported_in_one_run(tmp_path):
    """A publication date after the meeting used to hide a page range beyond the paper's end
    until the date was fixed; both are reported at once, by check and by build."""
    items = PAPERS.replace("pages: 1-2", "pages: 2-7")
    path = meeting(tmp_path, items)  # budget.pdf has 3 pages
    text = path.read_text(encoding="utf-8").replace(
        "published: 2022-05-03", "published: 2022-06-03"
    )
    path.write_text(text, encoding="utf-8")
    check_and_build_fail(
        tmp_path,
        path,
        ExitCode.INVALID_INPUT,
        "the agenda is published on 2022-06-03, after the meeting on 2022-05-11",
        "page 7 is outside the document, which has 3 pages",
    )
