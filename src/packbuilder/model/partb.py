"""How exempt papers and appendices are named where they are left out; the order of Part B.

The public pack and the agenda never use an exempt document's own title (it
may itself be exempt); they name it by its place: ``the paper for item 9``,
``paper 2 of 3 for item 9``, ``appendix 1 to Budget report`` (the paper of an
exempt appendix is public, so its title is too). Pure functions of the model.
"""

from __future__ import annotations

from .exempt import paragraphs_phrase
from .meeting import AgendaItem, ItemStatus, Meeting

Unit = tuple[int, int | None]
"""An exempt unit of an item: ``(paper, document)``, or ``(paper, None)`` for a whole paper."""


def exempt_units(item: AgendaItem) -> list[Unit]:
    """The item's exempt units: each paper whose documents are all exempt, else each exempt
    appendix; none for a withdrawn item."""
    if item.status is ItemStatus.WITHDRAWN:
        return []
    units: list[Unit] = []
    for p, paper in enumerate(item.papers):
        exempt = [d for d in range(len(paper.documents)) if item.exempt_paragraphs(paper, d)]
        if len(exempt) == len(paper.documents):
            units.append((p, None))
        else:
            units += [(p, d) for d in exempt]
    return units


def unit_paragraphs(item: AgendaItem, unit: Unit) -> tuple[str, ...]:
    """The paragraphs cited for a unit (every document's, for a whole paper)."""
    p, d = unit
    paper = item.papers[p]
    documents = range(len(paper.documents)) if d is None else [d]
    cited = [n for index in documents for n in item.exempt_paragraphs(paper, index)]
    return tuple(dict.fromkeys(cited))


def item_paragraphs(item: AgendaItem) -> tuple[str, ...]:
    """Every paragraph a Part B item cites: its own, then its papers' and appendices'."""
    cited = list(item.exempt.paragraphs) if item.exempt else []
    for paper in item.papers:
        for index in range(len(paper.documents)):
            cited += item.exempt_paragraphs(paper, index)
    return tuple(dict.fromkeys(cited))


def unit_label(item: AgendaItem, unit: Unit) -> str:
    """The name of an exempt unit where it is left out (see the module docstring)."""
    p, d = unit
    if d is None:
        if len(item.papers) == 1:
            return f"the paper for item {item.number}"
        return f"paper {p + 1} of {len(item.papers)} for item {item.number}"
    return f"appendix {d} to {item.papers[p].title}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def agenda_note(item: AgendaItem) -> str:
    """What a public item's agenda line says is not for publication (empty if nothing):
    ``Appendix 1 to Budget report is not for publication (paragraph 3).``"""
    if item.part_b:
        return ""
    notes = [
        f"{capitalised(unit_label(item, unit))} is not for publication "
        f"({paragraphs_phrase(unit_paragraphs(item, unit))})"
        for unit in exempt_units(item)
    ]
    return "; ".join(notes) + "." if notes else ""


def part_b_order(meeting: Meeting) -> list[tuple[str, str]]:
    """Where and what, for each public item listed after a Part B item: it would be taken
    after the press and public are excluded, and the agenda prints it under Part B."""
    first = next((item for item in meeting.items if item.part_b), None)
    if first is None:
        return []
    after = meeting.items[meeting.items.index(first) + 1 :]
    return [
        (
            str(item.origin),
            f"item {item.number} ({item.title}) is public but follows Part B item "
            f"{first.number}, so it would be taken after the press and public are excluded; "
            "move it before the Part B items, or mark it 'exempt:'",
        )
        for item in after
        if not item.part_b
    ]
