"""Which items a supplementary agenda holds, and what may not go in one.

A supplementary pack carries the late items only: each keeps its agenda
number; an item still To Follow or withdrawn is refused with what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..exceptions import InputError
from ..model.meeting import ItemStatus, Meeting


def select_items(meeting: Meeting, numbers: Sequence[str]) -> Meeting:
    """The meeting with only the items ``numbers`` (in agenda order, numbers kept).

    Raises :class:`InputError` for an unknown number, an item still to follow
    or withdrawn, or a choice in which no item has papers.
    """
    by_number = {item.number: item for item in meeting.items}
    wanted = _expand_ranges([str(n).strip() for n in numbers if str(n).strip()], list(by_number))
    if not wanted:
        raise InputError("no items chosen for the supplement", hint="name them, e.g. --items 3,8")
    unknown = [n for n in wanted if n not in by_number]
    if unknown:
        raise InputError(
            f"{meeting.path.name} has no item {', '.join(unknown)}",
            hint=f"its items are numbered {', '.join(by_number)}",
        )
    chosen = [item for item in meeting.items if item.number in wanted]
    for item in chosen:
        if item.status is ItemStatus.TO_FOLLOW:
            raise InputError(
                f"item {item.number} ({item.title}) is still To Follow, so it has no papers "
                "to put in a supplement",
                where=str(item.origin),
                hint="when the paper arrives, put its file in place, change the item's "
                "'status: to-follow' to 'status: normal' and run the supplement again "
                "('packbuilder status' lists what is still missing)",
            )
        if item.status is ItemStatus.WITHDRAWN:
            raise InputError(
                f"item {item.number} ({item.title}) is withdrawn",
                where=str(item.origin),
                hint="leave it out of --items; rebuild the main pack to show it as withdrawn",
            )
    if not any(item.included_papers for item in chosen):
        raise InputError(
            f"none of items {', '.join(item.number for item in chosen)} has papers, so a "
            "supplement would be a front sheet alone",
            hint="choose the items whose late papers have arrived",
        )
    return replace(meeting, items=tuple(chosen))


def _expand_ranges(wanted: list[str], numbers: list[str]) -> list[str]:
    """``wanted`` with each range such as ``3-5`` replaced by the items from 3 to 5 in
    agenda order (a number that is itself an item's, such as ``5-1``, is kept as it is)."""
    expanded: list[str] = []
    for choice in wanted:
        first, dash, last = choice.partition("-")
        first, last = first.strip(), last.strip()
        if choice in numbers or not dash or first not in numbers or last not in numbers:
            expanded.append(choice)  # an unknown end is reported with the other unknowns
            continue
        start, end = numbers.index(first), numbers.index(last)
        if start > end:
            raise InputError(
                f"the range of items '{choice}' runs backwards",
                hint=f"write it as '{last}-{first}'",
            )
        expanded += numbers[start : end + 1]
    return list(dict.fromkeys(expanded))
