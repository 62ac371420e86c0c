"""Page selections such as ``1-3, 7`` or ``5-end``: parsing and resolving.

Pure functions, no I/O. Page numbers in a selection are 1-based, as a clerk
reads them in a PDF viewer; :func:`PageSelection.indices` turns them into the
0-based indices pypdf uses once the document's length is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PART = re.compile(r"^\s*([0-9]+)\s*(?:-\s*([0-9]+|end)\s*)?$", re.IGNORECASE)
"""One part of a selection; digits are ASCII 0-9 only (``int`` would read '١' as 1)."""


class PageSelectionError(ValueError):
    """A page selection is malformed or does not fit the document."""


@dataclass(frozen=True)
class PageSelection:
    """An ordered list of inclusive page ranges; ``end`` None means "to the last page"."""

    ranges: tuple[tuple[int, int | None], ...]
    text: str
    line: int | None = field(default=None, compare=False)
    """The line of the YAML file it was written on, for messages."""

    def indices(self, page_count: int) -> list[int]:
        """Return the selected 0-based page indices for a document of ``page_count`` pages.

        Raises :class:`PageSelectionError` naming the first page that does not exist.
        """
        selected: list[int] = []
        for start, end in self.ranges:
            last = page_count if end is None else end
            if start > page_count or last > page_count:
                bad = start if start > page_count else last
                raise PageSelectionError(
                    f"page {bad} is outside the document, which has {page_count} "
                    f"page{'s' if page_count != 1 else ''}"
                )
            selected.extend(range(start - 1, last))
        return selected

    def __str__(self) -> str:
        return self.text


def parse_page_selection(text: str | int) -> PageSelection:
    """Parse ``"1-3, 7"``, ``"5-end"`` or ``4`` into a :class:`PageSelection`.

    Raises :class:`PageSelectionError` with a message that says what is wrong
    and shows the accepted forms.
    """
    raw = str(text).strip()
    if not raw:
        raise PageSelectionError("the page selection is empty; write pages like '1-3, 7'")
    ranges: list[tuple[int, int | None]] = []
    for part in raw.split(","):
        match = _PART.match(part)
        if not match:
            if not part.strip():
                raise PageSelectionError(
                    f"'{raw.strip()}' has an empty entry between two commas; remove the extra comma"
                )
            raise PageSelectionError(f"'{part.strip()}' is not a page number or a range of pages")
        start = int(match.group(1))
        end_text = match.group(2)
        end = None if end_text and end_text.lower() == "end" else int(end_text or start)
        if start == 0 or end == 0:
            raise PageSelectionError("pages are numbered from 1; page 0 does not exist")
        if end is not None and end < start:
            raise PageSelectionError(
                f"the range '{part.strip()}' runs backwards; write it as '{end}-{start}'"
            )
        ranges.append((start, end))
    return PageSelection(tuple(ranges), raw)
