"""Exempt information (Part B): the paragraphs a clerk may cite, and what is cited where.

Under section 100A(4) of the Local Government Act 1972 the press and public
may be excluded while business is taken that would disclose *exempt
information*, as described in a paragraph of Part 1 of Schedule 12A (in
England, paragraphs 1 to 7). A committee file may replace the table (Wales's
Part 4, a standards committee's 7A to 7C, Scotland's Schedule 7A).

Plain data, no I/O: :data:`ENGLAND` is the default :class:`ExemptionTable`; an
:class:`Exemption` is what one ``exempt:`` key cites.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .origin import Origin

ENGLAND_LEGISLATION = "Part 1 of Schedule 12A to the Local Government Act 1972"

ENGLAND_PARAGRAPHS = (
    ("1", "Information relating to any individual."),
    ("2", "Information which is likely to reveal the identity of an individual."),
    (
        "3",
        "Information relating to the financial or business affairs of any particular person "
        "(including the authority holding that information).",
    ),
    (
        "4",
        "Information relating to any consultations or negotiations, or contemplated "
        "consultations or negotiations, in connection with any labour relations matter arising "
        "between the authority or a Minister of the Crown and employees of, or office holders "
        "under, the authority.",
    ),
    (
        "5",
        "Information in respect of which a claim to legal professional privilege could be "
        "maintained in legal proceedings.",
    ),
    (
        "6",
        "Information which reveals that the authority proposes— (a) to give under any "
        "enactment a notice under or by virtue of which requirements are imposed on a person; "
        "or (b) to make an order or direction under any enactment.",
    ),
    (
        "7",
        "Information relating to any action taken or to be taken in connection with the "
        "prevention, investigation or prosecution of crime.",
    ),
)
"""Local Government Act 1972, Schedule 12A, Part 1 (descriptions of exempt information:
England), as substituted by SI 2006/88."""


@dataclass(frozen=True)
class ExemptionTable:
    """The paragraphs that may be cited, with their wording, and the law they are from.

    ``legislation`` completes "paragraph 3 of ...": ``Part 1 of Schedule 12A to
    the Local Government Act 1972``.
    """

    legislation: str
    paragraphs: tuple[tuple[str, str], ...]

    def wording(self, number: str) -> str | None:
        """The wording of paragraph ``number``; None when the table has no such paragraph."""
        return dict(self.paragraphs).get(number)

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(number for number, _text in self.paragraphs)

    def citation(self, numbers: Iterable[str]) -> str:
        """``paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972``."""
        return f"{paragraphs_phrase(numbers)} of {self.legislation}"


ENGLAND = ExemptionTable(ENGLAND_LEGISLATION, ENGLAND_PARAGRAPHS)


@dataclass(frozen=True)
class Exemption:
    """What one ``exempt:`` key cites: the paragraph numbers as written, and where."""

    paragraphs: tuple[str, ...]
    origin: Origin | None = field(default=None, compare=False)

    def __bool__(self) -> bool:
        return bool(self.paragraphs)


def joined(words: Iterable[str]) -> str:
    """``3``, ``1 and 3``, ``1, 2 and 3``."""
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def paragraphs_phrase(numbers: Iterable[str]) -> str:
    """``paragraph 3``, ``paragraphs 1 and 3``."""
    numbers = list(numbers)
    return f"paragraph{'s' if len(numbers) > 1 else ''} {joined(numbers)}"


def merged(*exemptions: Exemption | None) -> tuple[str, ...]:
    """The paragraphs cited by any of ``exemptions``, each once, in the order first cited."""
    found: list[str] = []
    for exemption in exemptions:
        for number in exemption.paragraphs if exemption else ():
            if number not in found:
                found.append(number)
    return tuple(found)
