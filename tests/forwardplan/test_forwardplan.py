"""The forward plan without LibreOffice: loading, selection, checks, changes, rendering."""

from __future__ import annotations

import csv
import datetime as dt
import json
import textwrap
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader, PdfWriter

from packbuilder.api.forward_plan import build_forward_plan
from packbuilder.exceptions import ChecksFailedError, DefinitionError, InputError
from packbuilder.forwardplan.changes import compare, entry_summary, read_summary
from packbuilder.forwardplan.checks import check_contents, check_edition, check_notice
from packbuilder.forwardplan.select import add_months, build_edition, group_entries, window
from packbuilder.load.plan import load_plan
from packbuilder.load.plancsv import spreadsheet_column
from packbuilder.model.forwardplan import Entry, PlanSettings, Record
from packbuilder.model.meeting import DayCounting
from packbuilder.publish.reproducible import make_reproducible
from packbuilder.render.forwardplan import entry_context, render_edition

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "meetings" / "forward-plan"
D = dt.date
CAL, WORK = DayCounting.CALENDAR, DayCounting.WORKING
CS = "Deputy Mayor and Executive Member for Children's Services"
EFG = "Executive Member for Environment, Finance and Governance"
REGEN = "Executive Member for Regeneration"


def entry(reference: str = "I1", **fields) -> Entry:
    values = {
        "subject": f"Subject {reference}",
        "portfolio": EFG,
        "due_date": D(2022, 6, 14),
        "decision_maker": "Executive",
        "background_documents": (),
        "first_published": D(2022, 4, 1),
    }
    values.update(fields)
    return Entry(reference=reference, **values)


def key_entry(reference: str = "K1", **fields) -> Entry:
    return entry(reference, key="Will have a significant impact in two or more wards", **fields)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        load_plan(path)
    return info.value.problems


# --- the example plan --------------------------------------------------------------------


def test_example_plan_lists_the_reference_appendix():
    plan = load_plan(EXAMPLE / "plan.yaml")
    edition = build_edition(plan, D(2022, 5, 3))
    assert [g.portfolio for g in edition.groups] == [CS, EFG, REGEN]
    assert [e.reference for e in edition.groups[0].entries] == ["1012891", "1012892"]
    assert [e.reference for e in edition.groups[2].entries] == ["I013004", "1012073", "1012243"]
    assert len(edition.entries) == 14, "every entry of the reference's Appendix A"
    efg = edition.groups[1].entries
    assert efg[0].reference == "1011309", "undated entries first, as in the reference"
    assert [e.due_date for e in efg[1:]] == sorted(e.due_date for e in efg[1:])
    assert check_edition(edition, plan.settings) == []


def test_folder_and_csv_load_the_same_entries():
    yaml_plan = load_plan(EXAMPLE)  # a folder: its plan.yaml
    csv_plan = load_plan(EXAMPLE / "example.csv")
    assert yaml_plan.settings.portfolios == (CS, EFG, REGEN)
    strip = [replace(e, origin=None) for e in yaml_plan.entries]
    assert strip == [replace(e, origin=None) for e in csv_plan.entries]
    stainsby = next(e for e in csv_plan.entries if e.reference == "I013004")
    assert stainsby.wards == ("Ayresome", "Kader", "Trimdon")
    assert stainsby.general_exception == Record(D(2022, 5, 3), stainsby.general_exception.note)
    assert str(stainsby.origin).endswith("example.csv (row 13)")


# --- selection, grouping, ordering --------------------------------------------------------


def test_window_includes_both_ends_and_undated_entries():
    span = window(D(2022, 5, 3), 1)
    assert span.end == D(2022, 6, 3)
    entries = [
        entry("before", due_date=D(2022, 5, 2)),
        entry("first", due_date=D(2022, 5, 3)),
        entry("last", due_date=D(2022, 6, 3)),
        entry("after", due_date=D(2022, 6, 4)),
        entry("undated", due_date=None),
    ]
    chosen = [e.reference for e in entries if span.covers(e)]
    assert chosen == ["first", "last", "undated"]


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(D(2022, 1, 31), 1) == D(2022, 2, 28)
    assert add_months(D(2023, 11, 30), 3) == D(2024, 2, 29)
    assert add_months(D(2022, 5, 3), 12) == D(2023, 5, 3)


def test_grouping_in_configured_order_then_alphabetical_and_sorted():
    entries = [
        entry("B2", portfolio="Zoo", due_date=D(2022, 6, 1)),
        entry("A9", portfolio=REGEN, due_date=D(2022, 7, 1)),
        entry("A2", portfolio=REGEN, due_date=D(2022, 6, 1)),
        entry("A1", portfolio=REGEN, due_date=D(2022, 6, 1)),
        entry("C1", portfolio="adult social care", due_date=D(2022, 6, 1)),
        entry("U1", portfolio=REGEN, due_date=None),
        entry("E1", portfolio=EFG, due_date=D(2022, 9, 1)),
    ]
    groups = group_entries(entries, [REGEN, EFG])
    assert [g.portfolio for g in groups] == [REGEN, EFG, "adult social care", "Zoo"]
    assert [e.reference for e in groups[0].entries] == ["U1", "A1", "A2", "A9"]


# --- 28 clear days (SI 2012/2089 reg 9) -----------------------------------------------------


@pytest.mark.parametrize(
    ("published", "due", "counting", "late"),
    [
        (D(2022, 5, 16), D(2022, 6, 14), CAL, False),  # exactly 28 clear days
        (D(2022, 5, 17), D(2022, 6, 14), CAL, True),  # 27
        (D(2022, 5, 22), D(2022, 6, 20), CAL, False),  # published on a Sunday: weekends count
        (D(2022, 5, 23), D(2022, 6, 20), CAL, True),
        # Working days: the Jubilee (2-3 June) and early May (2 May) holidays do not count.
        (D(2022, 5, 2), D(2022, 6, 14), WORK, False),
        (D(2022, 5, 3), D(2022, 6, 14), WORK, True),
        (D(2022, 5, 3), D(2022, 6, 14), CAL, False),
    ],
)
def test_twenty_eight_clear_days_at_the_edges(published, due, counting, late):
    findings = check_notice(key_entry(first_published=published, due_date=due), counting)
    assert bool(findings) is late
    if late:
        assert findings[0].rule == "reg9-notice"
        assert "SI 2012/2089 reg 9 needs 28" in findings[0].message


def test_late_notice_message_says_when_to_publish():
    (finding,) = check_notice(key_entry(first_published=D(2022, 5, 20)), CAL)
    assert finding.reference == "K1"
    assert "first published 20 May 2022, 24 calendar clear days before" in finding.message
    assert "publish by 16 May 2022" in finding.message


def test_exceptions_and_non_key_entries():
    late = {"first_published": D(2022, 6, 1)}
    note = "Chair of OSB informed"
    assert check_notice(entry(**late), CAL) == [], "not a key decision"
    urgent = key_entry(special_urgency=Record(D(2022, 6, 13), "Chair agreed"), **late)
    assert check_notice(urgent, CAL) == []
    general = key_entry(general_exception=Record(D(2022, 6, 8), note), **late)
    assert check_notice(general, CAL) == [], "5 clear days: 9-13 June"
    too_late = key_entry(general_exception=Record(D(2022, 6, 9), note), **late)
    (finding,) = check_notice(too_late, CAL)
    assert finding.rule == "reg10-notice" and "reg 10 needs 5" in finding.message
    unknown = key_entry(first_published=None)
    assert "first_published" in check_notice(unknown, CAL)[0].message


# --- what a notice must state (reg 9(1)) ----------------------------------------------------


def test_reg9_required_items():
    bare = key_entry(decision_maker=None, due_date=None, background_documents=None)
    messages = [f.message for f in check_contents(bare)]
    assert len(messages) == 3
    assert any("reg 9(1)(c)" in m for m in messages)
    assert any("reg 9(1)(d)" in m for m in messages)
    assert any("reg 9(1)(e)" in m for m in messages)
    assert check_contents(key_entry(background_documents=())) == [], "'none' is a statement"
    assert check_contents(entry(decision_maker=None, background_documents=None)) == []


def test_plan_must_say_where_documents_are():
    plan = load_plan(EXAMPLE / "plan.yaml")
    edition = build_edition(plan, D(2022, 5, 3))
    findings = check_edition(edition, PlanSettings())
    assert {f.reference for f in findings} == {"plan"}
    assert any("reg 9(1)(f)" in f.message for f in findings)
    assert any("reg 9(1)(g)-(h)" in f.message for f in findings)


# --- changes since last week ----------------------------------------------------------------


def test_change_list():
    before = [
        key_entry("DATE", due_date=D(2022, 6, 14)),
        entry("MAKER", decision_maker="Executive"),
        entry("KEY"),
        entry("GONE", subject="Old business"),
        entry("SAME"),
    ]
    after = [
        key_entry("DATE", due_date=D(2022, 7, 12)),
        entry("MAKER", decision_maker="Executive Member for Regeneration"),
        key_entry("KEY"),
        entry("SAME"),
        entry("NEW", subject="New business"),
    ]
    previous = {"as_of": "2022-04-26", "entries": [entry_summary(e) for e in before]}
    changes = compare(previous, [entry_summary(e) for e in after])
    data = changes.as_dict()
    assert data["since"] == "2022-04-26"
    assert data["new"] == [{"reference": "NEW", "subject": "New business"}]
    assert data["removed"] == [{"reference": "GONE", "subject": "Old business"}]
    assert [(c["reference"], c["field"], c["before"], c["after"]) for c in data["changed"]] == [
        ("DATE", "due_date", "2022-06-14", "2022-07-12"),
        ("MAKER", "decision_maker", "Executive", "Executive Member for Regeneration"),
        ("KEY", "key", False, True),
    ]
    text = changes.text()
    assert text.startswith("Changes since the edition of 26 Apr 2022: 1 new, 3 changed, 1 removed")
    assert "due date 14 Jun 2022 -> 12 Jul 2022" in text
    assert "key decision no -> yes" in text
    assert compare(previous, previous["entries"]).text() == (
        "No changes since the edition of 26 Apr 2022."
    )
    assert compare(None, []).as_dict()["since"] is None


def test_unusable_previous_summary_is_invalid_input(tmp_path):
    broken = write(tmp_path, "last.json", "{not json")
    with pytest.raises(InputError, match="last.json: not a readable summary"):
        read_summary(broken)
    other = write(tmp_path, "other.json", '{"pages": 3}')
    with pytest.raises(InputError, match="not a forward plan summary"):
        read_summary(other)


# --- CSV import -----------------------------------------------------------------------------

CSV_HEADER = "reference,portfolio,subject,due_date,key,first_published\n"


def csv_plan(tmp_path: Path, rows: list[str], header: str = CSV_HEADER) -> Path:
    return write(tmp_path, "plan.csv", header + "".join(row + "\n" for row in rows))


def test_csv_bad_date_names_row_and_column(tmp_path):
    rows = [f"R{n},Regeneration,Subject,2022-06-14,,2022-04-01" for n in range(5)]
    rows.append("R9,Regeneration,Subject,31/02/2022,KEY,2022-04-01")
    found = problems(csv_plan(tmp_path, rows))
    assert len(found) == 1
    assert "plan.csv row 7, column 'due_date': '31/02/2022' is not a real date" in found[0]


def test_csv_reads_uk_dates_and_key_words(tmp_path):
    path = csv_plan(
        tmp_path,
        ["R1,Regeneration,Subject,14/06/2022,yes,1 Apr 2022", "", "R2,Regeneration,S,,no,"],
    )
    first, second = load_plan(path).entries
    assert first.due_date == D(2022, 6, 14) and first.first_published == D(2022, 4, 1)
    assert first.key == "" and first.is_key
    assert not second.is_key and second.due_date is None


def test_csv_problems_are_all_reported(tmp_path):
    path = csv_plan(
        tmp_path,
        [
            "R1,,Subject,tomorrow,,2022-04-01",
            "R2,Regeneration,Subject,2022-06-14,,2022-04-01,extra",
        ],
    )
    found = "\n".join(problems(path))
    assert "row 2, column 'portfolio': is empty" in found
    assert "row 2, column 'due_date': 'tomorrow' is not a date" in found
    assert "row 3: has more cells than the header has columns" in found


def test_csv_header_problems(tmp_path):
    found = "\n".join(problems(csv_plan(tmp_path, [], "reference,subjekt,due date\n")))
    assert "unknown column 'subjekt' — did you mean 'subject'?" in found
    assert "the column 'portfolio' is missing" in found
    assert "unknown column 'due_date'" not in found, "'due date' is read as due_date"


def test_csv_record_needs_date_and_note(tmp_path):
    header = "reference,portfolio,subject,general_exception_date,general_exception_note\n"
    found = problems(csv_plan(tmp_path, ["R1,Regeneration,Subject,2022-05-03,"], header))
    assert "row 2, column 'general_exception_note': is empty" in found[0]


def csv_problems(path: Path) -> list[str]:
    """The problems of loading ``path``, each with the file named as in its folder."""
    return [problem.replace(f"{path.parent}/", "") for problem in problems(path)]


def test_csv_that_is_not_utf8_names_the_row_and_how_to_save_it(tmp_path):
    path = tmp_path / "plan.csv"
    rows = 'R1,Regeneration,"Two\nlines",,,\nR2,Regeneration,£150,000,,\n'
    path.write_bytes(CSV_HEADER.encode() + rows.encode("cp1252"))
    (problem,) = csv_problems(path)
    assert problem.startswith(
        "plan.csv row 3: not UTF-8 text (the byte 0xA3, '£' in the Windows character set)"
    ), "row 2's quoted line break does not start a row"
    assert "in Excel choose File > Save As, 'CSV UTF-8 (Comma delimited) (*.csv)'" in problem


def example_rows() -> list[list[str]]:
    with open(EXAMPLE / "example.csv", newline="", encoding="utf-8") as file:
        return list(csv.reader(file))


@pytest.mark.parametrize(
    "separator,encoding",
    [
        (";", "utf-8"),
        (";", "utf-8-sig"),  # Excel's "CSV UTF-8" where the decimal separator is a comma
        ("\t", "utf-8"),
        ("\t", "utf-8-sig"),
        ("\t", "utf-16"),  # Excel's "Unicode Text": UTF-16 with a byte order mark, tabs
        (",", "utf-16"),
    ],
)
def test_csv_separated_by_semicolons_or_tabs_in_utf8_or_utf16(tmp_path, separator, encoding):
    path = tmp_path / "plan.csv"
    with open(path, "w", newline="", encoding=encoding) as file:
        csv.writer(file, delimiter=separator).writerows(example_rows())
    expected = load_plan(EXAMPLE / "example.csv").entries
    assert [replace(e, origin=None) for e in load_plan(path).entries] == [
        replace(e, origin=None) for e in expected
    ]
    wards = next(e for e in load_plan(path).entries if len(e.wards) > 1).wards
    assert all(";" not in ward for ward in wards), "a quoted ';' in a cell is not a separator"


def test_a_short_row_has_empty_cells_at_its_end(tmp_path):
    path = tmp_path / "b5.csv"
    lines = (EXAMPLE / "example.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:3]) + "1234\n", encoding="utf-8")
    assert csv_problems(path) == [
        "b5.csv row 4, column 'portfolio': is empty — fill it in",
        "b5.csv row 4, column 'subject': is empty — fill it in",
    ]


def test_nul_bytes_are_not_a_text_csv(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes((EXAMPLE / "example.csv").read_bytes() + b"\0" * 512)
    (problem,) = csv_problems(path)
    assert problem.startswith("plan.csv row 16: holds NUL bytes, so it is not a text CSV file")
    assert "copy it again" in problem


def test_a_workbook_saved_with_a_csv_name(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)))
    (problem,) = csv_problems(path)
    assert problem.startswith("plan.csv: is a spreadsheet workbook (.xlsx, .xls or .ods)")
    assert "'CSV UTF-8 (Comma delimited) (*.csv)'" in problem


def test_csv_empty_columns_and_cells_as_excel_writes_them(tmp_path):
    path = csv_plan(
        tmp_path,
        ["R1,Regeneration,Subject,2022-06-14,,2022-04-01,,,", "R2,Regeneration,S,,,,,,,"],
        CSV_HEADER.rstrip("\n") + ",,\n",
    )
    assert [e.reference for e in load_plan(path).entries] == ["R1", "R2"]
    path.write_text(CSV_HEADER.rstrip("\n") + ",,\nR1,Regeneration,S,,,,,note\n")
    (problem,) = csv_problems(path)
    assert problem == (
        "plan.csv row 2: column H holds 'note' but has no name in row 1 — name the column, "
        "or delete the value"
    )


def test_csv_header_given_twice_or_missing(tmp_path):
    found = csv_problems(csv_plan(tmp_path, [], "reference,portfolio,subject,Subject\n"))
    assert found == [
        "plan.csv row 1: the column 'subject' is given twice (columns C and D) — keep one"
    ]
    (found,) = csv_problems(csv_plan(tmp_path, ["R1,Regeneration,Subject"], ",,\n" + CSV_HEADER))
    assert found.startswith("plan.csv row 1: is empty — the first row names the columns")


def test_spreadsheet_column_letters():
    assert [spreadsheet_column(i) for i in (0, 7, 25, 26, 27, 701, 702)] == [
        "A",
        "H",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


# --- YAML ---------------------------------------------------------------------------------


def test_yaml_problems_name_file_line_and_key(tmp_path):
    path = write(
        tmp_path,
        "plan.yaml",
        """\
        portfolios: [Regeneration]
        portfolio: Regeneration
        entries:
          - reference: R1
            subject: Something
            due_date: 2022-02-31
          - reference: R2
            subjct: Typo
        """,
    )
    found = "\n".join(problems(path))
    assert "plan.yaml:6 (entries[1].due_date): '2022-02-31' is not a real date" in found
    assert "plan.yaml:8 (entries[2].subjct): unknown key 'subjct'" in found
    assert "did you mean 'subject'?" in found
    assert "missing 'subject'" not in found, "the misspelling is the one problem"


@pytest.mark.parametrize(
    "written,hint",
    [
        ("2022-06-31", "June 2022 has 30 days; dates are written YYYY-MM-DD"),
        ("2022-13-01", "there is no month 13; dates are written YYYY-MM-DD"),
        ("31/06/2022", "June 2022 has 30 days; dates are read day first: DD/MM/YYYY"),
        ("06/13/2022", "there is no month 13; dates are read day first: DD/MM/YYYY"),
    ],
)
def test_an_impossible_date_is_explained_in_the_form_it_was_written(tmp_path, written, hint):
    path = write(
        tmp_path,
        "plan.yaml",
        f"""\
        portfolio: Regeneration
        entries:
          - {{reference: R1, subject: Something, due_date: "{written}"}}
        """,
    )
    (found,) = problems(path)
    assert f"'{written}' is not a real date — {hint}" in found
    if "-" in written:
        assert "day first" not in found, "an ISO date is not read day first"
    csv_found = problems(csv_plan(tmp_path, [f"R1,Regeneration,Subject,{written},,"]))
    assert f"column 'due_date': '{written}' is not a real date — {hint}" in csv_found[0]


def test_a_plan_knows_the_files_and_folders_it_was_read_from(tmp_path):
    plan = write(tmp_path, "plan.yaml", "include: [entries/, extra.yaml, sheet.csv]\n")
    first = write(
        tmp_path, "entries/a.yaml", "portfolio: P\nentries:\n  - {reference: A, subject: S}\n"
    )
    empty = write(tmp_path, "extra.yaml", "entries: []\n")
    sheet = csv_plan(tmp_path, ["C1,Regeneration,Subject,2022-06-14,,"])
    sheet.rename(tmp_path / "sheet.csv")
    loaded = load_plan(plan)
    assert loaded.files == (plan, first, empty, tmp_path / "sheet.csv")
    assert loaded.folders == (tmp_path / "entries",)
    assert load_plan(tmp_path / "entries").folders == (tmp_path / "entries",)


def test_yaml_duplicates_and_missing_portfolio_across_files(tmp_path):
    write(
        tmp_path,
        "entries/a.yaml",
        "portfolio: Regeneration\nentries:\n  - {reference: R1, subject: A}\n",
    )
    write(
        tmp_path,
        "entries/b.yaml",
        "- {reference: R1, subject: B, portfolio: X}\n- {reference: R3, subject: C}\n",
    )
    path = write(tmp_path, "plan.yaml", "include: [entries]\n")
    found = "\n".join(problems(path))
    assert "reference R1 is used twice (first at" in found and "a.yaml:3" in found
    assert "entry R3 has no portfolio" in found
    missing = write(tmp_path, "plan2.yaml", "include: [entries, missing.yaml]\n")
    assert "plan2.yaml:1 (include[2]): not found: missing.yaml" in problems(missing)[0]


def test_yaml_key_forms(tmp_path):
    path = write(
        tmp_path,
        "plan.yaml",
        """\
        portfolio: Regeneration
        entries:
          - {reference: R1, subject: A, key: true, background_documents: [Report, Appendix]}
          - {reference: R2, subject: B, key: no, wards: "Newport; North Ormesby"}
          - {reference: R3, subject: C, key: "Over £150,000", policy_framework: true}
        """,
    )
    r1, r2, r3 = load_plan(path).entries
    assert r1.key == "" and r1.background_documents == ("Report", "Appendix")
    assert r2.key is None and r2.wards == ("Newport", "North Ormesby")
    assert (
        entry_context(r3)["key"] == "KEY / PFP"
        and entry_context(r3)["key_reason"] == "Over £150,000"
    )


# --- rendering and reproducibility (no LibreOffice) ----------------------------------------


def _docx_text(path: Path) -> str:
    return "\n".join(
        p.text
        for t in WordDocument(str(path)).tables
        for r in t.rows
        for c in r.cells
        for p in c.paragraphs
    )


def test_render_edition_escapes_text_and_repeats_header(tmp_path):
    plan = load_plan(EXAMPLE / "plan.yaml")
    odd = replace(plan.entries[0], subject="R&D <draft>")
    plan = replace(plan, entries=(odd, *plan.entries[1:]))
    out = tmp_path / "fp.docx"
    render_edition(
        plan, build_edition(plan, D(2022, 5, 3)), out, heading="APPENDIX A", standalone=False
    )
    text = _docx_text(out)
    assert "R&D <draft>" in text
    assert (
        "Ref No. / Ward" in text and "14 Jun 2022" in text and "Director of Children's Care" in text
    )
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "<w:tblHeader/>" in xml and "APPENDIX A" in xml
    assert "{%" not in xml and "{{" not in xml


def test_docx_and_pdf_are_made_reproducible(tmp_path):
    plan = load_plan(EXAMPLE / "plan.yaml")
    edition = build_edition(plan, D(2022, 5, 3))
    stamp = dt.datetime(2022, 5, 3, tzinfo=dt.UTC)
    outputs = []
    for name in ("a", "b"):
        docx = tmp_path / f"{name}.docx"
        render_edition(plan, edition, docx)
        source = tmp_path / f"{name}-lo.pdf"
        writer = PdfWriter()
        writer.add_blank_page(842, 595)
        writer.add_metadata({"/CreationDate": f"D:2024010112000{name == 'b':d}Z"})
        writer.write(source)
        target = tmp_path / f"{name}.pdf"
        assert make_reproducible(source, target, stamp, title="FWP") == 1
        outputs.append((docx.read_bytes(), target.read_bytes()))
    assert outputs[0] == outputs[1]
    metadata = PdfReader(tmp_path / "a.pdf").metadata
    assert metadata["/CreationDate"] == metadata["/ModDate"] == "D:20220503000000Z"


def test_strict_build_fails_before_writing_and_keeps_last_edition(tmp_path):
    path = write(
        tmp_path,
        "plan.yaml",
        """\
        portfolio: Regeneration
        documents_address: Town Hall
        documents_note: Ask us.
        entries:
          - {reference: R1, subject: Late, key: true, due_date: 2022-06-14,
             first_published: 2022-06-01, decision_maker: Executive, background_documents: none}
        """,
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "forward-plan.pdf").write_bytes(b"last week")
    with pytest.raises(ChecksFailedError) as info:
        build_forward_plan(path, out, as_of=D(2022, 6, 1), strict=True)
    assert info.value.exit_code == 9
    assert "R1" in str(info.value) and "12 calendar clear days" in str(info.value)
    assert [p.name for p in out.iterdir()] == ["forward-plan.pdf"]
    assert (out / "forward-plan.pdf").read_bytes() == b"last week"


def test_summary_round_trip(tmp_path):
    plan = load_plan(EXAMPLE / "plan.yaml")
    summaries = [entry_summary(e) for e in build_edition(plan, D(2022, 5, 3)).entries]
    path = write(tmp_path, "s.json", json.dumps({"as_of": "2022-05-03", "entries": summaries}))
    assert compare(read_summary(path), summaries).changes == ()


def test_build_refuses_a_folder_it_did_not_write(tmp_path):
    """The edition replaces its output folder as a whole, so a folder of other files is refused."""
    from packbuilder.exceptions import OutputError

    folder = tmp_path / "www"
    folder.mkdir()
    (folder / "index.html").write_text("the council's own page")
    with pytest.raises(OutputError, match="already holds files that packbuilder did not write"):
        build_forward_plan(EXAMPLE / "plan.yaml", folder, as_of=dt.date(2022, 5, 3))
    assert (folder / "index.html").read_text() == "the council's own page"


def test_build_waits_for_a_build_of_the_same_folder(tmp_path):
    """Forward-plan builds take the same lock as pack builds."""
    from packbuilder.exceptions import BuildLockedError
    from packbuilder.publish.lock import build_lock

    folder = tmp_path / "fwp"
    with build_lock(folder, wait=0), pytest.raises(BuildLockedError):
        build_forward_plan(EXAMPLE / "plan.yaml", folder, as_of=dt.date(2022, 5, 3), wait=0)


def test_a_bad_setting_and_bad_entries_files_are_reported_together(tmp_path):
    plan = write(tmp_path, "plan.yaml", "months: six\ninclude: [entries/]\n")
    write(
        tmp_path,
        "entries/a.yaml",
        """\
        portfolio: Regeneration
        entries:
          - {reference: R1, subject: Housing, due_date: 2024-06-31}
        """,
    )
    found = problems(plan)
    assert len(found) == 2, found
    assert "plan.yaml:1 (months): expected a whole number, found 'six'" in found[0]
    assert "a.yaml:3 (entries[1].due_date): '2024-06-31' is not a real date" in found[1]


def test_plan_dates_and_paths_no_file_or_calendar_can_have(tmp_path):
    found = problems(csv_plan(tmp_path, ["R1,Regeneration,Subject,01/01/0001,,"]))
    assert "column 'due_date': '01/01/0001' is in the year 1" in found[0]
    assert "dates must be in the years 1900 to 2199" in found[0]
    plan = write(tmp_path, "plan.yaml", 'include: ["en\\0tries.yaml"]\n')
    (found,) = problems(plan)
    assert "plan.yaml:1 (include[1]): the path contains a NUL character" in found


def test_an_edition_date_outside_the_years_is_a_usage_error(tmp_path):
    from click.testing import CliRunner

    from packbuilder.cli import main

    plan = csv_plan(tmp_path, ["R1,Regeneration,Subject,2022-06-14,,"])
    result = CliRunner().invoke(main, ["forward-plan", "check", str(plan), "--as-of", "0001-01-02"])
    assert result.exit_code == 2, result.output
    assert "the year must be from 1900 to 2199" in result.output
