"""Where a value of a definition was written: file, line and key, for messages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Origin:
    """Where a value was written: file, 1-based line and dotted key path."""

    file: Path
    line: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        text = str(self.file)
        if self.line is not None:
            text += f":{self.line}"
        if self.key:
            text += f" ({self.key})"
        return text
