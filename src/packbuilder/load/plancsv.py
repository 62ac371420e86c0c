"""Forward-plan entries from a spreadsheet saved as CSV: one row each, the header naming
the columns.

Problems name the file, the spreadsheet row (the header is row 1) and the
column. Excel's other CSV forms are read too: semicolon- or tab-separated
cells, and UTF-16 ("Unicode Text"); a file in a Windows code page is refused
with how to save it again.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
from pathlib import Path
from typing import Any

from ..exceptions import DefinitionError
from ..model.forwardplan import Entry, Record
from ..model.meeting import Origin
from ..paths import display_path
from . import schema as s
from .planfields import (
    ENTRY_FIELDS,
    bool_from_text,
    documents_from_text,
    key_from_text,
    list_from_text,
    paragraphs_from_text,
    parse_date,
)

# --- CSV -----------------------------------------------------------------------------------------

_RECORD_COLUMNS = {
    "general_exception": ("general_exception_date", "general_exception_note"),
    "special_urgency": ("special_urgency_date", "special_urgency_note"),
    "private_urgency": ("private_urgency_date", "private_urgency_note"),
}
CSV_COLUMNS: tuple[str, ...] = (
    *(name for name in ENTRY_FIELDS if name not in _RECORD_COLUMNS),
    *(column for pair in _RECORD_COLUMNS.values() for column in pair),
)
CSV_REQUIRED = ("reference", "portfolio", "subject")
_CSV_CONVERT: dict[str, Any] = {
    "due_date": parse_date,
    "first_published": parse_date,
    "general_exception_date": parse_date,
    "special_urgency_date": parse_date,
    "private_urgency_date": parse_date,
    "private_notice": parse_date,
    "exempt": paragraphs_from_text,
    "wards": list_from_text,
    "background_documents": documents_from_text,
    "key": key_from_text,
    "policy_framework": bool_from_text,
}


def load_csv(path: Path) -> list[Entry]:
    """Read entries from a CSV file with a header row of :data:`CSV_COLUMNS` names.

    The file may be separated by commas, semicolons or tabs (as Excel saves
    it in different countries), and be UTF-8 (with or without a byte order
    mark) or UTF-16 with one (Excel's "Unicode Text"). Problems name the file,
    the row as a spreadsheet numbers it (the header is row 1) and the column:
    ``plan.csv row 7, column 'due_date': '31/02/2022' is not a real date``.
    """
    shown = display_path(path)
    rows = _read_csv(path, shown)
    if not rows:
        raise DefinitionError(
            [
                f"{shown}: the file is empty — its first row names the columns, each row "
                "below is an entry (see meetings/forward-plan/example.csv)"
            ]
        )
    problems: list[str] = []
    columns = _csv_header(rows[0], shown, problems)
    entries = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        place = f"{shown} row {number}"
        cells, row_problems = _row_cells(columns, row, place)
        if row_problems:
            problems.extend(row_problems)
            continue
        entry = _csv_entry(cells, path, shown, number)
        if isinstance(entry, Entry):
            entries.append(entry)
        else:
            problems.extend(entry)
    if problems:
        raise DefinitionError(problems)
    return entries


CSV_SEPARATORS = (",", ";", "\t")
"""The separators a CSV file may use: Excel writes ';' where ',' is the decimal comma."""

_SAVE_AS_UTF8 = (
    "save it as UTF-8: in Excel choose File > Save As, 'CSV UTF-8 (Comma delimited) (*.csv)'; "
    "in LibreOffice Calc choose Save As, 'Text CSV', tick 'Edit filter settings' and choose "
    "the character set 'Unicode (UTF-8)'"
)
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
"""How an .xlsx or .ods (a zip file) and an old .xls workbook begin."""


def _read_csv(path: Path, shown: str) -> list[list[str]]:
    """The rows of the CSV file, its separator and text encoding detected."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DefinitionError(
            [f"{shown}: cannot be read ({exc.strerror}) — check the path and its permissions"]
        ) from None
    text = _csv_text(data, shown)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=csv_separator(text)))
    except csv.Error as exc:
        raise DefinitionError(
            [f"{shown}: not a readable CSV file ({exc}) — save it again from the spreadsheet"]
        ) from None


def _csv_text(data: bytes, shown: str) -> str:
    """The file's text: UTF-16 with a byte order mark, else UTF-8 (with or without one)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # Excel's "Unicode Text"; the codec reads and drops the mark
    else:
        encoding = "utf-8"
        data = data.removeprefix(codecs.BOM_UTF8)
    if data.startswith(_WORKBOOK_MAGIC):
        raise DefinitionError(
            [
                f"{shown}: is a spreadsheet workbook (.xlsx, .xls or .ods), not a CSV file — "
                + _SAVE_AS_UTF8
            ]
        )
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if b"\x00" not in data[: exc.start + 1]:
            row = _row_of(data[: exc.start].decode(encoding, errors="replace"))
            problem = f"not {encoding.upper()} text ({_bad_bytes(exc)})"
            raise DefinitionError([f"{shown} row {row}: {problem} — {_SAVE_AS_UTF8}"]) from None
        text = data.decode(encoding, errors="replace")
    if "\x00" in text:
        row = _row_of(text[: text.index("\x00")])
        raise DefinitionError(
            [
                f"{shown} row {row}: holds NUL bytes, so it is not a text CSV file — "
                f"{_SAVE_AS_UTF8}; if it was copied, copy it again (NUL bytes at the end of a "
                "file are often left by a copy that was cut short)"
            ]
        )
    return text


def _bad_bytes(exc: UnicodeDecodeError) -> str:
    """``the byte 0xA3, '£' in the Windows character set`` for a Windows code page's byte."""
    bad = exc.object[exc.start : exc.end]
    shown = " ".join(f"0x{byte:02X}" for byte in bad)
    text = f"the byte{'s' if len(bad) > 1 else ''} {shown}"
    if exc.encoding.replace("-", "").lower() == "utf8" and len(bad) == 1:
        char = bad.decode("cp1252", errors="replace")
        if char.isprintable() and char != "\ufffd":
            text += f", '{char}' in the Windows character set"
    return text


def _row_of(before: str) -> int:
    """The spreadsheet row (1 = the header) of the character that follows ``before``.

    Rows are counted as the CSV reader counts them: a line break inside a quoted
    cell does not start a new row.
    """
    try:
        # A letter in place of the character lands in the row the character is in.
        return len(list(csv.reader(io.StringIO(before + "x", newline=""))))
    except csv.Error:
        return before.count("\n") + 1


def csv_separator(text: str) -> str:
    """The separator of the CSV ``text``: the one of :data:`CSV_SEPARATORS` its header
    line (the column names) holds most of; a comma when it holds none."""
    header = text.split("\n", 1)[0]
    return max(CSV_SEPARATORS, key=header.count)


def _csv_header(header: list[str], shown: str, problems: list[str]) -> list[str]:
    """The column names of the header row, normalised; '' for a column with no name."""
    columns = [re.sub(r"[\s\-]+", "_", cell.strip().lower()) for cell in header]
    if not any(columns):
        problems.append(
            f"{shown} row 1: is empty — the first row names the columns "
            f"({', '.join(CSV_REQUIRED)} ...); delete the empty rows above it"
        )
        raise DefinitionError(problems)
    for index, column in enumerate(columns):
        if not column:
            continue  # Excel writes empty columns of formatted cells; their values are checked
        if column not in CSV_COLUMNS:
            close = difflib.get_close_matches(column, CSV_COLUMNS, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"columns: {', '.join(CSV_COLUMNS)}"
            problems.append(f"{shown} row 1: unknown column '{column}' — {hint}")
        elif column in columns[:index]:
            first = spreadsheet_column(columns.index(column))
            problems.append(
                f"{shown} row 1: the column '{column}' is given twice (columns {first} and "
                f"{spreadsheet_column(index)}) — keep one"
            )
    for column in CSV_REQUIRED:
        if column not in columns:
            problems.append(f"{shown} row 1: the column '{column}' is missing — add it")
    if problems:
        raise DefinitionError(problems)
    return columns


def _row_cells(columns: list[str], row: list[str], place: str) -> tuple[dict[str, str], list[str]]:
    """A row's cells by column name, and what is wrong with its shape.

    A row shorter than the header has empty cells at its end (a spreadsheet
    does not write trailing empty cells); empty cells beyond the header, or in
    a column without a name, are ignored, but a value there is a problem.
    """
    cells = {column: "" for column in columns if column}
    problems = []
    for index, cell in enumerate(row):
        column = columns[index] if index < len(columns) else ""
        if column:
            cells[column] = cell
        elif cell.strip():
            letter = spreadsheet_column(index)
            problems.append(
                f"{place}: has more cells than the header has columns (column {letter} holds "
                f"'{_plain(cell)[:40]}') — name the column in row 1, or delete the value"
                if index >= len(columns)
                else f"{place}: column {letter} holds '{_plain(cell)[:40]}' but has no name "
                "in row 1 — name the column, or delete the value"
            )
    return cells, problems


def spreadsheet_column(index: int) -> str:
    """The letters a spreadsheet names the column at ``index`` (0-based) by: A, B, ... AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _csv_entry(cells: dict[str, str], path: Path, shown: str, number: int) -> Entry | list[str]:
    """The entry of one row, or the row's problems."""
    place = f"{shown} row {number}"
    values: dict[str, Any] = {}
    problems: list[str] = []
    for column, cell in cells.items():
        text = cell.strip()
        if not text and column != "key":
            if column in CSV_REQUIRED:
                problems.append(f"{place}, column '{column}': is empty — fill it in")
            continue
        try:
            values[column] = _CSV_CONVERT.get(column, _plain)(text)
        except s.Invalid as exc:
            hint = f" — {exc.hint}" if exc.hint else ""
            problems.append(f"{place}, column '{column}': {exc.message}{hint}")
            values[column] = s.MISSING
    for name, (date_column, note_column) in _RECORD_COLUMNS.items():
        date, note = values.pop(date_column, None), values.pop(note_column, None)
        if (date is None) != (note is None):
            missing = note_column if note is None else date_column
            problems.append(f"{place}, column '{missing}': is empty — give both date and note")
        elif date is not None:
            values[name] = Record(date, note)
    if problems:
        return problems
    return Entry(**values, origin=Origin(Path(shown), None, f"row {number}"))


def _plain(text: str) -> str:
    return " ".join(text.split())
