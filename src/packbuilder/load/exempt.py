"""How exempt information is written: ``exempt:`` on an item, paper or appendix, and the table.

``exempt: 3``, ``exempt: [1, 2]`` or ``exempt: "1, 2"`` cite paragraphs of the
committee's :class:`~packbuilder.model.exempt.ExemptionTable` (England's
Schedule 12A Part 1 unless the committee file gives ``exempt_information:``).
A paragraph the table does not have is reported with the file, line and key
of the ``exempt:`` that cites it, once the committee is known
(:func:`check_paragraphs`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ..model.exempt import ENGLAND, Exemption, ExemptionTable, joined
from ..model.meeting import AgendaItem, Origin
from ..paths import display_path
from . import schema as s

_SEPARATORS = re.compile(r"\s*(?:,|;|\band\b)\s*")
_PARAGRAPH = re.compile(r"[0-9]{1,3}[A-Za-z]?")
_EXAMPLE = (
    "write the paragraph number of Schedule 12A, e.g. 'exempt: 3', or a list: 'exempt: [1, 2]'"
)


class ExemptParagraphs(s.Type):
    """``exempt:``: one paragraph number, a list of them, or several separated by commas."""

    expected = "a paragraph number such as 3, or a list such as [1, 2]"

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> Exemption:
        if isinstance(node, yaml.SequenceNode):
            written = [self._one(child) for child in node.value]
        else:
            written = [self._one(node)]
        paragraphs = self.from_text(", ".join(written))
        return Exemption(paragraphs, Origin(ctx.file, node.start_mark.line + 1, key or None))

    @classmethod
    def from_text(cls, text: str) -> tuple[str, ...]:
        """The paragraphs in ``text`` (``3``, ``1, 2``, ``1; 2``, ``paragraph 7A``), each once."""
        numbers = [cls._number(part) for part in _SEPARATORS.split(text) if part.strip()]
        if not numbers:
            raise s.Invalid("no paragraph is given", _EXAMPLE)
        return tuple(dict.fromkeys(numbers))

    def _one(self, node: yaml.Node) -> str:
        value = s.scalar_value(self._scalar(node))
        if isinstance(value, bool):
            raise s.Invalid(
                f"'{node.value}' does not say which paragraph makes it exempt", _EXAMPLE
            )
        return str(self._scalar(node).value).strip()

    @staticmethod
    def _number(text: str) -> str:
        text = text.strip()
        shown = text
        text = re.sub(r"^(?:para(?:graph)?s?\.?)\s*", "", text, flags=re.IGNORECASE)
        if not _PARAGRAPH.fullmatch(text):
            raise s.Invalid(f"'{shown}' is not a paragraph number", _EXAMPLE)
        return text.upper() if text[-1].isalpha() else str(int(text))


class ParagraphTable(s.Type):
    """``paragraphs:`` of ``exempt_information:``: paragraph number -> its wording."""

    expected = "paragraph numbers, each with its wording ('3: Information relating to ...')"

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> tuple[tuple[str, str], ...]:
        if not isinstance(node, yaml.MappingNode) or not node.value:
            raise self._wrong(node)
        table: dict[str, str] = {}
        for key_node, value_node in node.value:
            name = s.key_name(key_node, ctx, key)
            if name is None:
                continue
            where = f"{key}.{name}"
            try:
                number = ExemptParagraphs._number(name)
                wording = s.Str().convert(value_node, ctx, where)
            except s.Invalid as exc:
                ctx.problems.add(key_node, where, exc.message, exc.hint)
                continue
            if number in table:
                ctx.problems.add(key_node, where, f"paragraph {number} is given twice", "keep one")
            table[number] = wording
        return tuple(table.items())


def _build_table(values: dict[str, Any], node: yaml.Node, ctx: s.Context, key: str) -> Any:
    if s.has_missing(values):
        return s.MISSING
    return ExemptionTable(values["legislation"], values["paragraphs"])


EXEMPTION_TABLE = s.Struct(
    "exempt information table",
    {
        "legislation": s.Field(
            s.Str(),
            default=ENGLAND.legislation,
            help="completes 'paragraph 3 of ...', e.g. Part 4 of Schedule 12A to the Local "
            "Government Act 1972",
        ),
        "paragraphs": s.Field(ParagraphTable(), required=True),
    },
    _build_table,
)


def exemptions_of(item: AgendaItem) -> Iterator[Exemption]:
    """Every ``exempt:`` written on ``item``, its papers and their appendices."""
    if item.exempt:
        yield item.exempt
    for paper in item.papers:
        if paper.exempt:
            yield paper.exempt
        for appendix in paper.appendices:
            if appendix.exempt:
                yield appendix.exempt


def _place(origin: Origin | None) -> str:
    """``meetings/osb.yaml:12 (item 9, exempt)``, the file as messages show it."""
    if origin is None:
        return "the meeting file"
    return str(Origin(Path(display_path(origin.file)), origin.line, origin.key))


def check_paragraphs(items: tuple[AgendaItem, ...], table: ExemptionTable) -> list[str]:
    """A problem for each paragraph cited that ``table`` does not have, naming where."""
    problems = []
    known = table.numbers
    for item in items:
        for exemption in exemptions_of(item):
            for number in exemption.paragraphs:
                if table.wording(number) is None:
                    problems.append(
                        f"{_place(exemption.origin)}: paragraph {number} is not a paragraph of "
                        f"{table.legislation} (it has paragraphs {joined(known)}) — cite one "
                        "of those, or give the committee file an 'exempt_information:' table "
                        "with the paragraphs your council uses"
                    )
    return problems
