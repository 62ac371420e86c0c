"""How much work one paper may cost: the limits, in the model because a committee sets them.

:mod:`packbuilder.inputs.pdflimits` enforces them (see there for what each one bounds).
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1_000_000


@dataclass(frozen=True)
class Limits:
    """How much work one paper may cost (see the module's description)."""

    stream_bytes: int = 100 * MB
    picture_bytes: int = 500 * MB
    paper_bytes: int = 500 * MB
    paper_seconds: float = 60.0


DEFAULT_LIMITS = Limits()
