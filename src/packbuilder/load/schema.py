"""A small declarative schema for YAML definitions, with errors that name file, line and key.

The YAML is composed into nodes (not constructed into Python objects) so that
every value keeps its line. Each schema type converts one node and reports
problems into a shared :class:`Problems` list instead of stopping at the
first, so a clerk sees every mistake in one run::

    meetings/osb.yaml:14 (items[2].papers[0].pages): page selection '3-1' runs backwards ...

Scalars meant as text are read from the source text as written, so ``10:00``
stays ``"10:00"`` and ``no`` stays ``"no"`` (YAML 1.1 would turn them into a
number and a boolean).
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import errno
import itertools
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from ..dates import FIRST_YEAR, LAST_YEAR
from ..exceptions import DefinitionError
from ..model.pagesel import PageSelection, PageSelectionError, parse_page_selection
from ..paths import absolute_path, display_path
from .yamlfile import compose_yaml, join_key, parent_key

MISSING: Any = object()


class Invalid(Exception):
    """Raised by a schema type for one bad value; collected into :class:`Problems`."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class Problems:
    """Problems found while reading one file."""

    file: Path
    items: list[str]

    def add(self, node: yaml.Node | None, key: str, message: str, hint: str | None = None) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        shown = display_path(self.file)
        place = f"{shown}:{line}" if line else shown
        text = f"{place} ({key}): {message}" if key else f"{place}: {message}"
        if hint:
            text += f" — {hint}"
        self.items.append(text)


@dataclass
class Context:
    """What a schema type needs besides the node: where paths are relative to, and problems."""

    file: Path
    base_dir: Path
    problems: Problems
    search_dirs: tuple[Path, ...] = ()  # further folders to find default templates in


_CONSTRUCTOR = yaml.SafeLoader("")


def scalar_value(node: yaml.ScalarNode) -> Any:
    """The Python value YAML gives a scalar node (int, bool, date, str, None)."""
    return _CONSTRUCTOR.construct_object(node, deep=True)


def describe(node: yaml.Node) -> str:
    """Say what a node is, for 'expected X, found Y' messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping (key: value lines)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if is_null(node):
        return "nothing"
    return f"'{node.value}'"


def is_null(node: yaml.Node | None) -> bool:
    return node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"))


class Type:
    """A schema type: converts a node into a Python value or raises :class:`Invalid`."""

    expected = "a value"

    @property
    def advice(self) -> str:
        """What to write instead of a value of the wrong kind."""
        return f"write {self.expected} here"

    def convert(self, node: yaml.Node, ctx: Context, key: str) -> Any:
        raise NotImplementedError

    def _scalar(self, node: yaml.Node) -> yaml.ScalarNode:
        if not isinstance(node, yaml.ScalarNode):
            raise self._wrong(node)
        return node

    def _wrong(self, node: yaml.Node) -> Invalid:
        return Invalid(f"expected {self.expected}, found {describe(node)}", self.advice)


class Str(Type):
    expected = "text"

    def __init__(self, *, nonempty: bool = True):
        self.nonempty = nonempty

    def convert(self, node: yaml.Node, ctx: Context, key: str) -> str:
        value = str(self._scalar(node).value).strip()
        if self.nonempty and not value:
            raise Invalid("is empty", "write the text, or remove the key")
        return value


class Int(Type):
    expected = "a whole number"

    def __init__(self, *, minimum: int | None = None, maximum: int | None = None):
        self.minimum, self.maximum = minimum, maximum

    def convert(self, node: yaml.Node, ctx: Context, key: str) -> int:
        value = scalar_value(self._scalar(node))
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(
                f"expected {self.expected}, found {describe(node)}",
                f"write a whole number in figures, such as {self.minimum or 2}",
            )
        if self.minimum is not None and value < self.minimum:
            raise Invalid(
                f"{value} is too small; the smallest allowed is {self.minimum}", self._range()
            )
        if self.maximum is not None and value > self.maximum:
            raise Invalid(
                f"{value} is too large; the largest allowed is {self.maximum}", self._range()
            )
        return value

    def _range(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"write a number from {self.minimum} to {self.maximum}"
        if self.minimum is not None:
            return f"write a number of {self.minimum} or more"
        return f"write a number of {self.maximum} or less"


class Bool(Type):
    expected = "true or false"

    def convert(self, node: yaml.Node, ctx: Context, key: str) -> bool:
        value = scalar_value(self._scalar(node))
        if not isinstance(value, bool):
            raise self._wrong(node)
        return value


"""The years a meeting's dates may be in (the clear-day arithmetic needs room on either side)."""


class Date(Type):
    """A date written YYYY-MM-DD, in the years :data:`FIRST_YEAR` to :data:`LAST_YEAR`."""

    expected = "a date written YYYY-MM-DD"

    def convert(self, node: yaml.Node, ctx: Context, key: str) -> dt.date:
        text = str(self._scalar(node).value).strip()
        date = self._parse(text)
        if not FIRST_YEAR <= date.year <= LAST_YEAR:
            raise Invalid(
                f"'{text}' is in the year {date.year}; dates must be in the years "
                f"{FIRST_YEAR} to {LAST_YEAR}",
                "check the year; dates are written YYYY-MM-DD, e.g. 2022-05-11",
            )
        return date

    @staticmethod
    def _parse(text: str) -> dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        iso = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", text)
        if iso is None:
            raise Invalid(f"'{text}' is not a date", "write dates as YYYY-MM-DD, e.g. 2022-05-11")
        year, month, day = (int(part) for part in iso.groups())
        try:
            return dt.date(year, month, day)  # 2022-5-3: a real date, loosely written
        except ValueError:
            reason = why_not_a_date(year, month, day)
            raise Invalid(
                f"'{text}' is not a real date", f"{reason}; dates are written YYYY-MM-DD"
            ) from None


def why_not_a_date(year: int, month: int, day: int) -> str:
    """Why a year, month and day that make no date do not, in a clerk's words."""
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if year < dt.MINYEAR:
        return f"there is no year {year}"
    if day < 1:
        return f"there is no day {day}"
    return f"{calendar.month_name[month]} {year} has {calendar.monthrange(year, month)[1]} days"


class LanguageTag(Type):
    """A language tag as PDF readers and screen readers expect it (BCP 47): en-GB, cy-GB."""

    expected = "a language tag such as en-GB (English) or cy-GB (Welsh)"
    _NAMES = {"english": "en-GB", "welsh": "cy-GB", "cymraeg": "cy-GB"}
    _PATTERN = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")

    def convert(self, node: yaml.Node, ctx: Context, key: str) -> str:
        text = str(self._scalar(node).value).strip()
        if self._PATTERN.fullmatch(text):
            return text
        named = self._NAMES.get(text.lower())
        hint = f"write '{named}'" if named else f"write {self.expected}"
        raise Invalid(f"'{text}' is not a language tag", hint)


class Choice(Type):
    """One of a fixed set of words; suggests the nearest on a typo."""

    def __init__(self, choices: list[str]):
        self.choices = choices
        self.expected = "one of " + ", ".join(choices)

    def convert(self, node: yaml.Node, ctx: Context, key: str) -> str:
        value = str(self._scalar(node).value).strip().lower()
        if value not in self.choices:
            close = difflib.get_close_matches(value, self.choices, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"write {self.expected}"
            raise Invalid(f"'{value}' is not {self.expected}", hint)
        return value


NAME_MAX = 255
"""The longest file or folder name most file systems allow (in bytes on Linux)."""


def resolve_written(base_dir: Path, text: str) -> Path:
    """The path ``text`` written in a definition, relative to ``base_dir``, made absolute.

    Its folders are resolved and its last part kept as written (see
    :func:`absolute_path`). Raises :class:`Invalid`, saying what to do, for a
    path no file can have: a NUL character in it, a name too long for the
    file system, or symbolic links that point at each other.
    """
    if "\0" in text:
        raise Invalid(
            "the path contains a NUL character (\\0), which no file name can",
            "retype the path: it was probably pasted with a stray control character",
        )
    try:
        written = Path(text).expanduser()
    except RuntimeError:  # ~name of no user
        raise Invalid(
            f"'{text}' starts with '~' but names no user's home folder",
            "write the path relative to the YAML file, or in full",
        ) from None
    for part in written.parts:
        if len(part.encode("utf-8", "surrogateescape")) > NAME_MAX:
            raise Invalid(
                f"the name '{_shorten(part)}' is too long ({len(part)} characters); file "
                f"and folder names can be at most {NAME_MAX} characters, fewer with accents",
                "check the path, and give the file a shorter name",
            )
    try:
        return absolute_path(base_dir / written)
    except RuntimeError:  # Python 3.11's "Symlink loop"
        raise _loop(text) from None
    except OSError as exc:
        raise _unusable(text, exc) from None


def path_kind(path: Path, text: str) -> str:
    """``"file"``, ``"folder"`` or ``"missing"``; :class:`Invalid` when it cannot be told,
    or when it is neither a file nor a folder (a device or a pipe, which could hang a read).

    ``text`` is the path as written, for the message.
    """
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except OSError as exc:
        raise _unusable(text, exc) from None
    if stat.S_ISDIR(mode):
        return "folder"
    if not stat.S_ISREG(mode):
        raise Invalid(
            f"'{text}' is not a file but a device, pipe or socket",
            "name the document's own file",
        )
    return "file"


def _unusable(text: str, exc: OSError) -> Invalid:
    if exc.errno == errno.ELOOP:
        return _loop(text)
    if exc.errno == errno.ENAMETOOLONG:
        return Invalid(
            f"the path '{_shorten(text)}' is too long for the file system",
            "move the file to a folder nearer the YAML file, or give it a shorter name",
        )
    if exc.errno == errno.EACCES:
        return Invalid(
            f"'{text}' cannot be looked at: a folder on its path is not open to you "
            "(permission denied)",
            "check the permissions of the folders on the path",
        )
    return Invalid(
        f"'{text}' cannot be looked at ({exc.strerror or exc})", "check the path and the disk"
    )


def _loop(text: str) -> Invalid:
    return Invalid(
        f"'{text}' is a symbolic link that leads back to itself (a loop of links), not to a file",
        "point the link at the real file, or put the file itself there",
    )


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


class FilePath(Type):
    """A path relative to the YAML file's folder; optionally must exist with given suffixes.

    The suffix is the one written (a symbolic link is judged by its own name,
    not its target's). A folder is refused, unless ``folder`` accepts it (it
    returns a problem, or None when the folder will do).
    """

    expected = "a file path"

    def __init__(
        self,
        *,
        suffixes: tuple[str, ...] = (),
        must_exist: bool = True,
        folder: Callable[[Path, str], Invalid | None] | None = None,
        advice: str = "save Word papers as .docx (not .doc) and other papers as PDF",
    ):
        self.suffixes, self.must_exist, self.folder = suffixes, must_exist, folder
        self.suffix_advice = advice  # what to do with a file of another suffix

    def convert(self, node: yaml.Node, ctx: Context, key: str) -> Path:
        text = str(self._scalar(node).value).strip()
        if not text:
            raise Invalid("the path is empty", "write the file's path, or remove the key")
        path = resolve_written(ctx.base_dir, text)
        kind = path_kind(path, text)
        if kind == "folder":
            problem = self.folder(path, text) if self.folder else self._folder(path, text)
            if problem is not None:
                raise problem
            return path
        suffix = Path(text).suffix
        if self.suffixes and suffix.lower() not in self.suffixes:
            raise Invalid(
                f"'{text}' is a {suffix or 'file without extension'}; "
                f"expected {' or '.join(self.suffixes)}",
                self.suffix_advice,
            )
        if self.must_exist and kind == "missing":
            raise Invalid(
                f"file not found: {text} (looked for {display_path(path)})",
                did_you_mean(path, text)
                or "check the spelling and the folder; paths are relative to the YAML file",
            )
        return path

    def _folder(self, path: Path, text: str) -> Invalid:
        kind = " or ".join(self.suffixes) + " " if self.suffixes else ""
        holds = files_in(path, self.suffixes)
        example = f"{text.rstrip('/')}/<name>{self.suffixes[0] if self.suffixes else ''}"
        return Invalid(
            f"'{text}' is a folder, not a file",
            f"name the {kind}file in it" + (holds or f", such as '{example}'"),
        )


NEAREST_LOOKED_AT = 2000
"""At most this many names of a folder are compared with a missing file's."""


def did_you_mean(path: Path, written: str) -> str | None:
    """``did you mean 'papers/budget.pdf'?``: the file in the same folder whose name is
    nearest a missing one's (as the clerk would write it), or None when none is close."""
    try:
        names = [entry.name for entry in itertools.islice(path.parent.iterdir(), NEAREST_LOOKED_AT)]
    except (OSError, ValueError):
        return None
    close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    if not close:
        return None
    head = written.replace("\\", "/").rpartition("/")[0]
    return f"did you mean '{head + '/' if head else ''}{close[0]}'?"


def files_in(folder: Path, suffixes: tuple[str, ...], limit: int = 3) -> str:
    """``; it holds a.pdf, b.docx and 2 more`` (the files with ``suffixes``), or nothing."""
    try:
        names = sorted(
            p.name
            for p in folder.iterdir()
            if p.is_file() and (not suffixes or p.suffix.lower() in suffixes)
        )
    except OSError:
        return ""
    if not names:
        return ""
    shown = ", ".join(names[:limit])
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return f"; it holds {shown}{more}"


class Pages(Type):
    expected = "a page selection such as '1-3, 7'"

    def convert(self, node: yaml.Node, ctx: Context, key: str) -> PageSelection:
        try:
            selection = parse_page_selection(self._scalar(node).value)
            return replace(selection, line=node.start_mark.line + 1)
        except PageSelectionError as exc:
            raise Invalid(
                str(exc), "write pages like '1-3, 7' or '5-end', numbered from 1 as a viewer shows"
            ) from None


Labels = Callable[[yaml.SequenceNode], list[str]]
"""The names of a list's entries in messages, from its node (``item 9``, ``item 2a``)."""


class ListOf(Type):
    """A list of ``item``; a single value is accepted as a list of one if ``allow_single``.

    An entry is named in messages by ``label`` and its position counted from 1
    (``paper 2``), or by what ``label`` returns for the list (``item 2a``), or
    else as ``key[2]`` (also counted from 1).
    """

    def __init__(
        self,
        item: Type,
        *,
        allow_single: bool = False,
        nonempty: bool = False,
        label: str | Labels | None = None,
    ):
        self.item, self.allow_single, self.nonempty = item, allow_single, nonempty
        self.label = label
        self.expected = f"a list of {item.expected}"

    @property
    def advice(self) -> str:
        return "write each entry on its own line, indented and starting with '- '"

    def entry_keys(self, node: yaml.SequenceNode, key: str) -> list[str]:
        """How each entry of the list at ``key`` is named in messages."""
        if self.label is None:
            return [f"{key}[{index}]" for index in range(1, len(node.value) + 1)]
        if isinstance(self.label, str):
            names = [f"{self.label} {index}" for index in range(1, len(node.value) + 1)]
        else:
            names = self.label(node)
        return [join_key(parent_key(key), name) for name in names]

    def convert(self, node: yaml.Node, ctx: Context, key: str) -> list[Any]:
        if not isinstance(node, yaml.SequenceNode):
            if self.allow_single and not isinstance(node, yaml.MappingNode):
                return [self.item.convert(node, ctx, key)]
            raise self._wrong(node)
        if self.nonempty and not node.value:
            raise Invalid("the list is empty", "add at least one entry, on a line starting '- '")
        values = []
        for child, child_key in zip(node.value, self.entry_keys(node, key), strict=True):
            try:
                values.append(self.item.convert(child, ctx, child_key))
            except Invalid as exc:
                ctx.problems.add(child, child_key, exc.message, exc.hint)
        return values


class Any_(Type):
    """Free-form data (template fields): plain Python values, text kept as written."""

    expected = "text, a list or a mapping"

    def convert(self, node: yaml.Node, ctx: Context, key: str) -> Any:
        if isinstance(node, yaml.MappingNode):
            values = {}
            for key_node, value_node in node.value:
                name = key_name(key_node, ctx, key)
                if name is not None:
                    values[name] = self.convert(value_node, ctx, join_key(key, name))
            return values
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(v, ctx, f"{key}[{i}]") for i, v in enumerate(node.value, start=1)]
        if is_null(node):
            return ""
        return str(node.value)


def key_name(node: yaml.Node, ctx: Context, key: str) -> str | None:
    """The text of a mapping key; None, with the problem recorded, for a list or mapping
    used as a key (YAML's ``? [a, b]``)."""
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    ctx.problems.add(
        node,
        key,
        f"a key must be plain text, found {describe(node)} used as a key",
        "write the key as a word followed by ':', such as 'title: ...'; "
        "a line starting '? ' makes a complex key",
    )
    return None


@dataclass(frozen=True)
class Field:
    """One key of a :class:`Struct`."""

    type: Type
    required: bool = False
    default: Any = None
    help: str = ""


class Struct(Type):
    """A mapping with known keys; unknown keys are reported with the nearest valid key.

    ``build`` turns the converted values (a dict of key -> value, defaults
    filled in, plus ``_node``) into the result object.
    """

    def __init__(
        self,
        name: str,
        fields: Mapping[str, Field],
        build: Callable[[dict[str, Any], yaml.Node, Context, str], Any] | None = None,
        *,
        shorthand: Callable[[yaml.ScalarNode, Context, str], dict[str, Any]] | None = None,
    ):
        self.name, self.fields, self.build, self.shorthand = name, dict(fields), build, shorthand
        self.expected = f"a {name} (key: value lines)"

    @property
    def advice(self) -> str:
        keys = ", ".join(name for name, spec in self.fields.items() if spec.required)
        return f"write the {self.name} as indented 'key: value' lines" + (
            f" (it needs {keys})" if keys else ""
        )

    def convert(self, node: yaml.Node, ctx: Context, key: str) -> Any:
        if isinstance(node, yaml.ScalarNode) and self.shorthand and not is_null(node):
            values = self.shorthand(node, ctx, key)
        elif isinstance(node, yaml.MappingNode):
            values = self._convert_mapping(node, ctx, key)
        else:
            raise self._wrong(node)
        for name, spec in self.fields.items():
            values.setdefault(name, spec.default)
        return self.build(values, node, ctx, key) if self.build else values

    def _convert_mapping(self, node: yaml.MappingNode, ctx: Context, key: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        seen: set[str] = set()
        suggested: set[str] = set()  # keys a misspelling was matched to: not also "missing"
        for key_node, value_node in node.value:
            name = key_name(key_node, ctx, key)
            if name is None:
                continue
            child_key = join_key(key, name)
            if name in seen:
                ctx.problems.add(key_node, child_key, f"'{name}' is given twice", "keep one")
                continue
            seen.add(name)
            spec = self.fields.get(name)
            if spec is None:
                close = difflib.get_close_matches(name, list(self.fields), n=1, cutoff=0.6)
                suggested.update(close)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else f"valid keys here: {', '.join(self.fields)}"
                )
                ctx.problems.add(key_node, child_key, f"unknown key '{name}' in {self.name}", hint)
                continue
            if is_null(value_node):
                if spec.required:
                    ctx.problems.add(
                        value_node, child_key, "is empty", f"give {spec.type.expected}"
                    )
                continue
            try:
                values[name] = spec.type.convert(value_node, ctx, child_key)
            except Invalid as exc:
                ctx.problems.add(value_node, child_key, exc.message, exc.hint)
                values[name] = MISSING
        for name, spec in self.fields.items():
            if spec.required and name not in values and name not in seen:
                values[name] = MISSING
                if name in suggested:
                    continue
                child_key = join_key(key, name)
                hint = f"add '{name}:' with {spec.type.expected}"
                if spec.help:
                    hint += f" ({spec.help})"
                ctx.problems.add(node, child_key, f"{self.name} is missing '{name}'", hint)
        return values


def load(
    path: Path,
    schema: Type,
    problems_found: list[str] | None = None,
    *,
    search_dirs: tuple[Path, ...] = (),
) -> Any:
    """Read ``path`` and convert it with ``schema``; raise DefinitionError listing every problem.

    With ``problems_found``, problems in the values are added to it instead, and
    what did convert is returned (:data:`MISSING` in place of the rest), so that
    a caller can go on to report the problems of the files this one names.
    A file that is not YAML is still raised. ``search_dirs`` are further folders
    in which default templates are looked for (a committee file's meeting's).
    """
    node = compose_yaml(path)
    problems = Problems(path, [])
    ctx = Context(path, path.parent, problems, search_dirs)
    if node is None:
        raise DefinitionError([f"{path}: the file is empty"], hint="see the example in meetings/")
    try:
        value = schema.convert(node, ctx, "")
    except Invalid as exc:
        problems.add(node, "", exc.message, exc.hint)
        value = MISSING
    if problems_found is not None:
        problems_found.extend(problems.items)
    elif problems.items:
        raise DefinitionError(problems.items)
    return value


def has_missing(values: Mapping[str, Any]) -> bool:
    """True when a value failed to convert (its problem is already recorded)."""
    return any(v is MISSING for v in values.values())
