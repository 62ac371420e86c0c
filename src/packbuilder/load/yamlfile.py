"""Reading a YAML definition file into a node tree, within limits a clerk's file never needs.

The file is decoded (UTF-8, or UTF-16 with a byte order mark, as Notepad
saves it), checked from the parser's events for alias expansion ("billion
laughs") and nesting depth before anything is built from it, and composed
into nodes that keep their lines (see :mod:`packbuilder.load.schema`). Syntax
errors become a :class:`~packbuilder.exceptions.DefinitionError` naming the
file, line and column, with what to do (a tab in the indentation is named
by its line).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..exceptions import DefinitionError

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader when PyYAML was built with it (several times faster), else the pure one."""


def compose_yaml(path: Path) -> yaml.Node | None:
    """Read ``path`` and compose its YAML into a node tree; syntax errors become DefinitionError."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DefinitionError([f"{path}: file not found"], hint="check the path") from None
    except OSError as exc:
        raise DefinitionError(
            [f"{path}: cannot be read ({exc.strerror})"], hint="check the file's permissions"
        ) from None
    except ValueError:  # a NUL character in the path
        shown = str(path).replace("\0", "\\0")
        raise DefinitionError(
            [f"{shown}: the path contains a NUL character (\\0), which no file name can"],
            hint="retype the path",
        ) from None
    # Notepad's "Unicode" is UTF-16 with a byte order mark: read it rather than refuse it.
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DefinitionError(
            [f"{path}:{line}: not UTF-8 text (byte {exc.start})"],
            hint="save the file as UTF-8 (in Notepad: Save As, Encoding: UTF-8)",
        ) from None
    try:
        check_shape(text, path)
        return yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = exc.problem or exc.context or "syntax error"
        hint = "check the indentation and that text containing ': ' or '#' is in quotes"
        tabbed = _tab_indented_line(text, mark.line if mark else None)
        if tabbed is not None:
            hint = (
                f"line {tabbed} is indented with a tab: indent with spaces, not tabs "
                "(YAML does not allow tabs for indentation)"
            )
        elif "'\\t'" in problem:
            hint = "indent with spaces, not tabs (YAML does not allow tabs for indentation)"
        if "nesting depth" in problem:  # newer libyaml stops deep nesting itself, before we can
            raise DefinitionError(
                [f"{where}: {TOO_DEEP}"],
                hint=NESTING_HINT,
            ) from None
        raise DefinitionError([f"{where}: YAML syntax error: {problem}"], hint=hint) from None
    except yaml.YAMLError as exc:
        raise DefinitionError(
            [f"{path}: YAML error: {exc}"], hint="check the file is a plain YAML text file"
        ) from None


def read_plain(path: Path) -> object | None:
    """``path``'s YAML as plain Python values (read within the same limits), or None when it
    cannot be read or is not valid YAML. For what only helps when it works (``watch``
    guessing what to watch in a file that does not load)."""
    try:
        node = compose_yaml(path)
    except DefinitionError:
        return None
    if node is None:
        return None
    try:
        return yaml.SafeLoader("").construct_document(node)
    except yaml.YAMLError:
        return None


MAX_DEPTH = 50
"""Lists and mappings inside each other: a meeting needs fewer than ten levels."""
TOO_DEEP = f"nested too deeply: more than {MAX_DEPTH} lists and mappings inside each other"
NESTING_HINT = (
    "a meeting needs only a few levels; check that every '[' and '{' is closed where it "
    "should be, and the indentation"
)

MAX_VALUES = 100_000
"""Values a file may hold once its aliases are written out (a meeting holds a few hundred)."""

ALIAS_HINT = "remove the YAML aliases (*name); write the values out"


@dataclass
class _Open:
    """A list or mapping being read by :func:`check_shape`."""

    mapping: bool
    anchor: str | None
    line: int
    start: int  # values read when it opened, itself included
    height: int = 0  # the most lists and mappings inside each other below it
    children: int = 0  # nodes read inside it: items, or keys and values
    key: str = ""  # a mapping's last key, for the value that follows


_KEY_PATH_DEPTH = 12
"""Levels of a key shown in a message; deeper ones are shown as '...'."""

LIST_LABELS = {"items": "item", "papers": "paper", "appendices": "appendix", "membership": "member"}
"""Lists whose entries messages name by a word and their place, counted from 1: ``paper 2``."""


def join_key(key: str, name: str) -> str:
    """The key of ``name`` inside ``key``, as messages write it: ``item 3, status`` after a
    list entry, ``committee.contact`` after a key."""
    if not key:
        return name
    last = key.rsplit(", ", 1)[-1]
    return f"{key}, {name}" if " " in last else f"{key}.{name}"


def parent_key(key: str) -> str:
    """``key`` without its last part: ``item 3`` for ``item 3, papers``, "" for ``items``."""
    comma, dot = key.rfind(", "), key.rfind(".")
    if comma < 0 and dot < 0:
        return ""
    if comma > dot or " " in key[dot:]:
        return key[:comma] if comma >= 0 else ""
    return key[:dot]


def list_entry_key(key: str, index: int) -> str:
    """The key of entry ``index`` (from 1) of the list at ``key``: ``item 3, paper 2`` for a
    list named in :data:`LIST_LABELS`, else ``notices[2]``."""
    name = key[len(parent_key(key)) :].lstrip(", .")
    label = LIST_LABELS.get(name)
    if label is None:
        return f"{key}[{index}]"
    return join_key(parent_key(key), f"{label} {index}")


def _key_path(stack: list[_Open]) -> str:
    """The key of the node being read inside ``stack``: ``item 1, paper 2, report``."""
    path = ""
    for depth, frame in enumerate(stack):
        if depth == _KEY_PATH_DEPTH:
            return path + "..."
        if not frame.mapping:
            path = list_entry_key(path, frame.children + 1)
        elif frame.children % 2:  # reading a value: its key is known
            path = join_key(path, frame.key)
        else:  # reading a key
            break
    return path


def check_shape(text: str, path: Path) -> None:
    """Refuse YAML that would be too big or too deep to read, before it is composed.

    One pass over the parser's events (no recursion, nothing expanded): a list
    or mapping more than :data:`MAX_DEPTH` levels deep, an alias inside the
    value it names (it would repeat forever), and aliases that repeat values
    into more than :data:`MAX_VALUES` (the "billion laughs": 700 bytes that
    expand to billions of values) are :class:`DefinitionError` naming the line
    and key. libyaml itself crashes on lists nested 100 000 deep, and reading
    a value nested a few hundred deep would exceed Python's recursion limit.
    Syntax errors are left to the composer (raised as ``yaml.MarkedYAMLError``).
    """
    stack: list[_Open] = []
    anchors: dict[str, tuple[int, int] | _Open] = {}  # closed: (values, height); open: frame
    total = 0

    def refuse(event: yaml.Event, message: str, hint: str) -> DefinitionError:
        key = _key_path(stack)
        where = f"{path}:{event.start_mark.line + 1}" + (f" ({key})" if key else "")
        return DefinitionError([f"{where}: {message}"], hint=hint)

    def done(height: int, scalar: str | None = None) -> None:
        if stack:
            parent = stack[-1]
            if parent.mapping and parent.children % 2 == 0:
                parent.key = scalar if scalar is not None else "?"
            parent.children += 1
            parent.height = max(parent.height, height)

    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.ScalarEvent):
            total += 1
            if event.anchor is not None:
                anchors[event.anchor] = (1, 0)
            done(0, event.value)
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(stack) + 1 > MAX_DEPTH:
                raise refuse(
                    event,
                    TOO_DEEP,
                    NESTING_HINT,
                )
            total += 1
            frame = _Open(
                isinstance(event, yaml.MappingStartEvent),
                event.anchor,
                event.start_mark.line + 1,
                total,
            )
            if event.anchor is not None:
                anchors[event.anchor] = frame
            stack.append(frame)
        elif isinstance(event, yaml.CollectionEndEvent) and stack:
            frame = stack.pop()
            height = frame.height + 1
            if frame.anchor is not None and anchors.get(frame.anchor) is frame:
                anchors[frame.anchor] = (total - frame.start + 1, height)
            done(height)
        elif isinstance(event, yaml.AliasEvent):
            named = anchors.get(event.anchor)
            if isinstance(named, _Open):
                raise refuse(
                    event,
                    f"the alias *{event.anchor} is inside the value it names "
                    f"(&{event.anchor} on line {named.line}), so it would repeat forever",
                    ALIAS_HINT,
                )
            values, height = named or (1, 0)  # an unknown alias is the composer's to report
            if len(stack) + height > MAX_DEPTH:
                raise refuse(
                    event,
                    f"nested too deeply: the alias *{event.anchor} puts more than {MAX_DEPTH} "
                    "lists and mappings inside each other",
                    ALIAS_HINT,
                )
            total += values
            if total > MAX_VALUES:
                raise refuse(
                    event,
                    f"the YAML aliases (*{event.anchor} and the ones before it) repeat values "
                    f"so often that the file would hold more than {MAX_VALUES:,} of them",
                    ALIAS_HINT,
                )
            done(height)


def _tab_indented_line(text: str, error_line: int | None) -> int | None:
    """The number of a line indented with a tab at or just before ``error_line`` (0-based).

    The parser often notices a tab's damage a line or two after it.
    """
    if error_line is None:
        return None
    lines = text.splitlines()
    for number in range(min(error_line, len(lines) - 1), max(-1, error_line - 4), -1):
        line = lines[number]
        if "\t" in line[: len(line) - len(line.lstrip())]:
            return number + 1
    return None
