"""Load a forward plan: a YAML plan file, a folder of YAML files, or a CSV spreadsheet export.

``PLAN`` may be:

- a ``plan.yaml`` holding the settings (title, portfolio order, counting
  rule, template ...) and entries, inline under ``entries:`` and/or in the
  files and folders named under ``include:``;
- a folder: its ``plan.yaml`` if there is one, else every ``*.yaml`` file in
  it as entries with default settings;
- a ``.csv`` file of entries, one row each, with default settings.

YAML problems name the file, line and key (through :mod:`packbuilder.schema`);
CSV problems name the file, the spreadsheet row (the header is row 1) and the
column. Every problem is reported at once as a
:class:`~packbuilder.exceptions.DefinitionError`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import io
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from .. import schema as s
from ..exceptions import DefinitionError
from ..model import DayCounting, Origin
from .model import MAX_MONTHS, Entry, Plan, PlanSettings, Record

YAML_SUFFIXES = (".yaml", ".yml")
PLAN_FILE_NAMES = ("plan.yaml", "plan.yml")


# --- values written the same way in YAML and in CSV cells ---------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %b %Y", "%d %B %Y")
_NO = {"", "no", "n", "false", "0"}
_YES = {"yes", "y", "true", "1", "key"}


def parse_date(text: str) -> dt.date:
    """A date written 2022-06-14, 14/06/2022 (day first), 14 Jun 2022 or 14 June 2022."""
    text = " ".join(text.split())
    for fmt in _DATE_FORMATS:
        try:
            date = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not s.FIRST_YEAR <= date.year <= s.LAST_YEAR:
            raise s.Invalid(
                f"'{text}' is in the year {date.year}",
                f"dates must be in the years {s.FIRST_YEAR} to {s.LAST_YEAR}; check the year",
            )
        return date
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
        reason = s.why_not_a_date(year, month, day)
        raise s.Invalid(f"'{text}' is not a real date", f"{reason}; dates are written YYYY-MM-DD")
    day_first = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if day_first:
        day, month, year = (int(part) for part in day_first.groups())
        reason = s.why_not_a_date(year, month, day)
        raise s.Invalid(
            f"'{text}' is not a real date", f"{reason}; dates are read day first: DD/MM/YYYY"
        )
    raise s.Invalid(f"'{text}' is not a date", "write dates as YYYY-MM-DD or DD/MM/YYYY")


def key_from_text(text: str) -> str | None:
    """None (not a key decision) for blank/no/false; "" for yes/true/KEY; else the reason."""
    text = " ".join(text.split())
    if text.lower() in _NO:
        return None
    return "" if text.lower() in _YES else text


def bool_from_text(text: str) -> bool:
    """yes/true/1 (or PFP) and no/false/0/blank."""
    word = text.strip().lower()
    if word in _NO:
        return False
    if word in (_YES | {"pfp"}):
        return True
    raise s.Invalid(f"'{text}' is not yes or no", "write yes or no")


def list_from_text(text: str) -> tuple[str, ...]:
    """Items separated by semicolons: 'Newport; North Ormesby'."""
    return tuple(part.strip() for part in text.split(";") if part.strip())


def documents_from_text(text: str) -> tuple[str, ...]:
    """Background documents separated by semicolons; the word 'none' states there are none."""
    return () if text.strip().lower() == "none" else list_from_text(text)


class DateText(s.Type):
    expected = "a date written YYYY-MM-DD"

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> dt.date:
        return parse_date(str(self._scalar(node).value))


class KeyReason(s.Type):
    expected = "the reason it is a key decision, or true"

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> str | None:
        return key_from_text(str(self._scalar(node).value))


class TextList(s.Type):
    expected = "a list, or items separated by ';'"

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> tuple[str, ...]:
        if isinstance(node, yaml.SequenceNode):
            return tuple(s.ListOf(s.Str()).convert(node, ctx, key))
        return list_from_text(str(self._scalar(node).value))


def _origin(node: yaml.Node, ctx: s.Context, key: str) -> Origin:
    return Origin(Path(s.display_path(ctx.file)), node.start_mark.line + 1, key or None)


class Documents(s.Type):
    """Background documents: a list, one title, or the word 'none' (stated: there are none)."""

    expected = "a list of document titles, or 'none'"

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> tuple[str, ...]:
        if isinstance(node, yaml.SequenceNode):
            return tuple(s.ListOf(s.Str()).convert(node, ctx, key))
        return documents_from_text(self._scalar(node).value)


def _record(values: dict[str, Any], node: yaml.Node, ctx: s.Context, key: str) -> Any:
    if s.has_missing(values):
        return s.MISSING
    return Record(values["date"], values["note"])


RECORD = s.Struct(
    "record",
    {
        "date": s.Field(DateText(), required=True, help="the date of the notice or agreement"),
        "note": s.Field(s.Str(), required=True, help="e.g. who was informed or agreed"),
    },
    _record,
)


def _entry(values: dict[str, Any], node: yaml.Node, ctx: s.Context, key: str) -> Any:
    if s.has_missing(values):
        return s.MISSING
    values = dict(values)
    values["wards"] = tuple(values["wards"] or ())
    values["portfolio"] = values["portfolio"] or ""
    return Entry(**values, origin=_origin(node, ctx, key))


ENTRY_FIELDS: dict[str, s.Field] = {
    "reference": s.Field(s.Str(), required=True, help="the plan's reference number"),
    "portfolio": s.Field(s.Str(), help="the Executive portfolio it is grouped under"),
    "subject": s.Field(s.Str(), required=True, help="the matter to be decided"),
    "description": s.Field(s.Str()),
    "wards": s.Field(TextList()),
    "decision_maker": s.Field(s.Str(), help="e.g. Executive"),
    "due_date": s.Field(DateText()),
    "key": s.Field(KeyReason(), help="why it is a key decision; leave out if it is not one"),
    "policy_framework": s.Field(s.Bool(), default=False),
    "likely_exemption": s.Field(s.Str(), help="e.g. Public, or the Schedule 12A paragraph"),
    "background_documents": s.Field(Documents()),
    "executive_member": s.Field(s.Str()),
    "officer": s.Field(s.Str()),
    "first_published": s.Field(DateText(), help="the date it first appeared on the plan"),
    "general_exception": s.Field(RECORD, help="reg 10 notice: date and note"),
    "special_urgency": s.Field(RECORD, help="reg 11 agreement: date and note"),
}
ENTRY = s.Struct("forward plan entry", ENTRY_FIELDS, _entry)


class IncludePath(s.Type):
    """A YAML or CSV file, or a folder of YAML files, relative to the plan file."""

    expected = "a file or folder path"

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> Path:
        text = str(self._scalar(node).value).strip()
        path = s.resolve_written(ctx.base_dir, text)
        kind = s.path_kind(path, text)
        if kind == "folder" or (kind == "file" and path.suffix.lower() in (*YAML_SUFFIXES, ".csv")):
            return path
        if kind == "file":
            raise s.Invalid(f"'{text}' is neither YAML nor CSV", "include .yaml or .csv files")
        raise s.Invalid(
            f"not found: {text} (looked for {path})", "paths are relative to the plan file"
        )


_ENTRIES_FILE_FIELDS = {
    "portfolio": s.Field(s.Str(), help="the portfolio of every entry in this file"),
    "entries": s.Field(s.ListOf(ENTRY)),
}

SETTINGS_FIELDS = {
    "title": s.Field(s.Str(), help="printed above the table"),
    "body": s.Field(s.Str(), help="the council, e.g. Middlesbrough Council"),
    "portfolios": s.Field(s.ListOf(s.Str()), help="the order of the portfolio groups"),
    "counting": s.Field(s.Choice([c.value for c in DayCounting]), default="calendar"),
    "template": s.Field(s.FilePath(suffixes=(".docx",))),
    "months": s.Field(s.Int(minimum=1, maximum=MAX_MONTHS)),
    "as_of": s.Field(DateText(), help="the edition's date, if not given on the command line"),
    "documents_address": s.Field(s.Str(), help="reg 9(1)(f): where documents can be had"),
    "documents_note": s.Field(s.Str(), help="reg 9(1)(g)-(h): other documents, how to ask"),
}

ENTRIES_FILE = s.Struct("forward plan entries file", _ENTRIES_FILE_FIELDS)
PLAN_FILE = s.Struct(
    "forward plan",
    {
        **SETTINGS_FIELDS,
        **_ENTRIES_FILE_FIELDS,
        "include": s.Field(s.ListOf(IncludePath(), allow_single=True)),
    },
)


class _EntriesOrList(s.Type):
    """A file's top level: a list of entries, or a mapping of ``schema`` keys."""

    def __init__(self, schema: s.Struct):
        self.schema = schema
        self.expected = f"a list of entries or {schema.expected}"

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> dict[str, Any]:
        if isinstance(node, yaml.SequenceNode):
            return {"entries": s.ListOf(ENTRY).convert(node, ctx, "entries")}
        return self.schema.convert(node, ctx, key)


class _Reading:
    """What loading a plan found: its problems, and the files and folders it read."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.files: list[Path] = []
        self.folders: list[Path] = []


def load_plan(path: Path | str) -> Plan:
    """Load and validate a forward plan (file, folder or CSV); raise DefinitionError on problems."""
    path = Path(path)
    read = _Reading()
    if path.is_dir():
        read.folders.append(path)
        plan_file = next((path / n for n in PLAN_FILE_NAMES if (path / n).is_file()), None)
        if plan_file is None:
            settings = PlanSettings(origin=Origin(path))
            entries = _load_folder(path, read)
            return _finish(path, settings, entries, read)
        path = plan_file
    read.files.append(path)
    if path.suffix.lower() == ".csv":
        entries = _collect(lambda: load_csv(path), read.problems)
        return _finish(path, PlanSettings(origin=Origin(path)), entries or [], read)
    if path.suffix.lower() not in YAML_SUFFIXES:
        raise DefinitionError(
            [f"{path}: a forward plan is a .yaml or .csv file, or a folder of .yaml files"]
        )
    # Settings that do not convert are reported with the entries files' problems, all at once.
    values = _collect(lambda: s.load(path, _EntriesOrList(PLAN_FILE), read.problems), read.problems)
    if not isinstance(values, dict):
        raise DefinitionError(read.problems)
    values = {key: value for key, value in values.items() if value is not s.MISSING}
    settings = _settings(values, path)
    entries = _with_portfolio(values.get("entries") or [], values.get("portfolio"), read.problems)
    for included in values.get("include") or []:
        entries += _load_included(included, read)
    return _finish(path, settings, entries, read)


def _settings(values: dict[str, Any], path: Path) -> PlanSettings:
    defaults = PlanSettings()
    return PlanSettings(
        title=values.get("title") or defaults.title,
        body=values.get("body") or "",
        portfolios=tuple(values.get("portfolios") or ()),
        counting=DayCounting(values.get("counting") or "calendar"),
        template=values.get("template"),
        months=values.get("months") or defaults.months,
        as_of=values.get("as_of"),
        documents_address=values.get("documents_address"),
        documents_note=values.get("documents_note"),
        origin=Origin(path),
    )


def _collect(load: Any, problems: list[str]) -> Any:
    """Call ``load``; on a DefinitionError keep its problems and return None."""
    try:
        return load()
    except DefinitionError as exc:
        problems.extend(exc.problems)
        return None


def _load_folder(folder: Path, read: _Reading) -> list[Entry]:
    if folder not in read.folders:
        read.folders.append(folder)
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in YAML_SUFFIXES)
    if not files:
        read.problems.append(f"{folder}: no .yaml files of forward plan entries in this folder")
    entries: list[Entry] = []
    for file in files:
        entries += _load_entries_file(file, read)
    return entries


def _load_included(path: Path, read: _Reading) -> list[Entry]:
    if path.is_dir():
        return _load_folder(path, read)
    if path.suffix.lower() == ".csv":
        read.files.append(path)
        return _collect(lambda: load_csv(path), read.problems) or []
    return _load_entries_file(path, read)


def _load_entries_file(path: Path, read: _Reading) -> list[Entry]:
    read.files.append(path)
    values = _collect(lambda: s.load(path, _EntriesOrList(ENTRIES_FILE)), read.problems)
    if values is None:
        return []
    return _with_portfolio(values.get("entries") or [], values.get("portfolio"), read.problems)


def _with_portfolio(entries: list[Entry], default: str | None, problems: list[str]) -> list[Entry]:
    """Give entries without a portfolio the file's; report those that have none at all."""
    result = []
    for entry in entries:
        if entry is s.MISSING:
            continue
        if not entry.portfolio:
            if not default:
                problems.append(
                    f"{entry.where}: entry {entry.reference} has no portfolio — add "
                    "'portfolio:' to the entry, or once at the top of its file"
                )
                continue
            entry = replace(entry, portfolio=default)
        result.append(entry)
    return result


def _finish(path: Path, settings: PlanSettings, entries: list[Entry], read: _Reading) -> Plan:
    problems = read.problems
    seen: dict[str, Entry] = {}
    for entry in entries:
        first = seen.setdefault(entry.reference, entry)
        if first is not entry:
            problems.append(
                f"{entry.where}: reference {entry.reference} is used twice (first at "
                f"{first.where}) — give each entry its own reference"
            )
    if problems:
        raise DefinitionError(problems, hint="correct the plan and run the command again")
    return Plan(
        path=path,
        settings=settings,
        entries=tuple(entries),
        files=tuple(dict.fromkeys(read.files)),
        folders=tuple(dict.fromkeys(read.folders)),
    )


# --- CSV -----------------------------------------------------------------------------------------

_RECORD_COLUMNS = {
    "general_exception": ("general_exception_date", "general_exception_note"),
    "special_urgency": ("special_urgency_date", "special_urgency_note"),
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
    shown = s.display_path(path)
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
