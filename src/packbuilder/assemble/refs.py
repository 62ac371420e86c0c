"""Following indirect references: the one helper every module of the assembler uses."""

from __future__ import annotations

from typing import Any

from pypdf.generic import IndirectObject


def resolve(value: Any) -> Any:
    """``value`` with indirect references followed."""
    while isinstance(value, IndirectObject):
        value = value.get_object()
    return value
