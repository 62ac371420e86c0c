"""Load a forward plan: a YAML plan file, a folder of YAML files, or a CSV spreadsheet export.

``PLAN`` may be:

- a ``plan.yaml`` holding the settings (title, portfolio order, counting
  rule, template ...) and entries, inline under ``entries:`` and/or in the
  files and folders named under ``include:``;
- a folder: its ``plan.yaml`` if there is one, else every ``*.yaml`` file in
  it as entries with default settings;
- a ``.csv`` file of entries, one row each, with default settings.

YAML problems name the file, line and key (through :mod:`packbuilder.load.schema`);
CSV problems name the file, the spreadsheet row (the header is row 1) and the
column. Every problem is reported at once as a
:class:`~packbuilder.exceptions.DefinitionError`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from ..exceptions import DefinitionError
from ..model.exempt import ENGLAND, ExemptionTable, joined
from ..model.forwardplan import MAX_MONTHS, Entry, Plan, PlanSettings
from ..model.meeting import DayCounting, Origin
from . import schema as s
from .exempt import EXEMPTION_TABLE
from .plancsv import load_csv
from .planfields import ENTRY, DateText

YAML_SUFFIXES = (".yaml", ".yml")
PLAN_FILE_NAMES = ("plan.yaml", "plan.yml")


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
    "exempt_information": s.Field(
        EXEMPTION_TABLE, help="the paragraphs an entry's 'exempt:' may cite (default: England's)"
    ),
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
        exemptions=values.get("exempt_information") or ENGLAND,
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
    read.folders.append(folder)  # made unique with the files in _finish
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


def _unknown_paragraphs(entries: list[Entry], table: ExemptionTable) -> list[str]:
    """A problem for each paragraph an entry cites that the plan's table does not have."""
    return [
        f"{entry.where}: entry {entry.reference} cites paragraph {number}, which is not a "
        f"paragraph of {table.legislation} (it has paragraphs {joined(table.numbers)}) — "
        "cite one of those in 'exempt:', or give the plan an 'exempt_information:' table"
        for entry in entries
        for number in entry.exempt
        if table.wording(number) is None
    ]


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
    problems += _unknown_paragraphs(entries, settings.exemptions)
    if problems:
        raise DefinitionError(problems, hint="correct the plan and run the command again")
    return Plan(
        path=path,
        settings=settings,
        entries=tuple(entries),
        files=tuple(dict.fromkeys(read.files)),
        folders=tuple(dict.fromkeys(read.folders)),
    )
