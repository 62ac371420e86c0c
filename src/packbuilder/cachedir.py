"""The cache folder: what is in it, and clearing it.

A build keeps converted PDFs in ``<cache>/pdf/`` (see :mod:`packbuilder.convert`)
and rendered Word documents in ``<cache>/docx/`` (see
:mod:`packbuilder.rendercache`), each named by the hash of its inputs. Clearing
removes only those two folders, never anything else a user may have put in
the cache folder; the next build converts and renders everything again.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = {"pdf": "converted PDF(s)", "docx": "rendered Word document(s)"}
"""The cache's sub-folders, and what each holds."""


@dataclass(frozen=True)
class CacheInfo:
    """How many entries of each kind the cache holds, and their size in bytes."""

    location: Path
    entries: dict[str, int] = field(default_factory=dict)
    size: int = 0

    @property
    def count(self) -> int:
        """All entries."""
        return sum(self.entries.values())

    def text(self) -> str:
        """``/home/clerk/.cache/packbuilder: 5 converted PDF(s), 4 rendered ... (1.2 MB)``."""
        parts = [f"{self.entries.get(kind, 0)} {label}" for kind, label in KINDS.items()]
        return f"{self.location}: {', '.join(parts)} ({human_size(self.size)})"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"location": str(self.location), "entries": dict(self.entries), "bytes": self.size}


def cache_info(root: Path) -> CacheInfo:
    """Count the entries in the cache folder ``root`` (which need not exist)."""
    entries: dict[str, int] = {}
    size = 0
    for kind in KINDS:
        files = _entries(root / kind, kind)
        entries[kind] = len(files)
        size += sum(_size(path) for path in files)
    return CacheInfo(root, entries, size)


def clear_cache(root: Path) -> CacheInfo:
    """Remove every cached entry under ``root``; return what was there."""
    before = cache_info(root)
    for kind in KINDS:
        shutil.rmtree(root / kind, ignore_errors=True)
    return before


def _entries(folder: Path, suffix: str) -> list[Path]:
    try:
        return [path for path in folder.glob(f"*.{suffix}") if path.is_file()]
    except OSError:
        return []


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def human_size(size: int) -> str:
    """``532 bytes``, ``1.2 MB``."""
    value = float(size)
    for unit in ("bytes", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} bytes"  # pragma: no cover - the loop always returns
