"""The cache folder: its entries written and read back verified, what is in it, clearing it.

A build keeps converted PDFs in ``<cache>/pdf/`` (see :mod:`packbuilder.convert`)
and rendered Word documents in ``<cache>/docx/`` (see
:mod:`packbuilder.render.cache`), each named by the hash of its inputs. Clearing
removes only those two folders, never anything else a user may have put in
the cache folder; the next build converts and renders everything again.

An entry is the document's bytes followed by a footer holding their SHA-256
(:data:`FOOTER_SIZE` bytes), taken with the entry's name, so an entry copied
or renamed to another key's name does not pass either. It is written to a
temporary file beside it and renamed into place (:func:`write_entry`), so an
entry and its checksum appear together or not at all. Reading an entry
(:func:`read_entry`) copies the document out, without the footer, checking on
the way that its bytes are those written and that it looks like what it should
be (a PDF, a Word package). An entry that fails is damaged (a disk error, a
copy cut short, a file edited by hand, a power cut before the entry reached
the disk): it is deleted and the caller makes the document again, so a damaged
entry is never served.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..inputs.docxcheck import MAIN_PART

KINDS = {"pdf": "converted PDF(s)", "docx": "rendered Word document(s)"}
"""The cache's sub-folders, and what each holds (the entries' suffix is the folder's name)."""

FOOTER_MAGIC = b"\n%packbuilder-cache sha256="
"""The start of an entry's footer; the SHA-256 of the entry's name and the bytes before the
footer follows, in hex."""
FOOTER_SIZE = len(FOOTER_MAGIC) + 64 + 1
BLOCK = 1 << 20
EDGE = 1024
"""How far into a PDF its ``%PDF-`` header, and how far from its end its ``%%EOF``, may be."""


class Entry(enum.Enum):
    """What reading a cache entry found."""

    HIT = "hit"  # the entry was whole; the document was copied out
    MISS = "miss"  # no entry (or it could not be read)
    DAMAGED = "damaged"  # the entry was not what was written; it has been deleted


def write_entry(source: Path, entry: Path) -> bool:
    """Store the document ``source`` as the cache entry ``entry``, atomically.

    The entry's kind is its suffix (``.pdf``, ``.docx``); a document that
    does not look like one is not stored. Returns whether it was stored: a
    cache that cannot be written must never fail a build. The entry is not
    flushed to the disk: one cut short by a power cut is found damaged when read.
    """
    if not looks_like(source, entry.suffix):
        return False
    tmp = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".part")
        digest = _digest(entry)
        with os.fdopen(fd, "wb") as out, source.open("rb") as handle:
            for block in iter(lambda: handle.read(BLOCK), b""):
                digest.update(block)
                out.write(block)
            out.write(_footer(digest.hexdigest()))
        os.replace(tmp, entry)
        return True
    except OSError:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False


def read_entry(entry: Path, out: Path) -> Entry:
    """Copy the document stored as ``entry`` to ``out``, verified.

    :attr:`Entry.HIT` when the entry's bytes are those written and the
    document looks like its kind; :attr:`Entry.DAMAGED` (the entry deleted,
    ``out`` not left behind) when not; :attr:`Entry.MISS` when there is no
    entry or it cannot be read or copied (then the caller makes the document,
    and meets any problem writing ``out`` itself).
    """
    try:
        with entry.open("rb") as handle:
            identity = os.fstat(handle.fileno())
            whole = _copy_verified(handle, identity.st_size, out, _digest(entry))
    except OSError:
        _remove(out)
        return Entry.MISS
    if whole and looks_like(out, entry.suffix):
        return Entry.HIT
    _remove(out)
    _discard(entry, identity)
    return Entry.DAMAGED


def looks_like(path: Path, suffix: str) -> bool:
    """Whether ``path`` looks like a whole document of its kind, without reading it all.

    A ``.pdf`` has its ``%PDF-`` header near the start and ``%%EOF`` near the
    end; a ``.docx`` is a zip package holding ``word/document.xml``.
    """
    try:
        if suffix == ".pdf":
            with path.open("rb") as handle:
                head = handle.read(EDGE)
                handle.seek(max(0, os.fstat(handle.fileno()).st_size - EDGE))
                tail = handle.read(EDGE)
            return b"%PDF-" in head and b"%%EOF" in tail
        if suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                return MAIN_PART in archive.namelist()
    except (OSError, zipfile.BadZipFile, EOFError, ValueError):
        return False
    return False


def _digest(entry: Path) -> Any:
    """The checksum of an entry's content starts with its name (the key and kind)."""
    return hashlib.sha256(entry.name.encode() + b"\0")


def _footer(digest: str) -> bytes:
    return FOOTER_MAGIC + digest.encode("ascii") + b"\n"


def _copy_verified(handle: IO[bytes], size: int, out: Path, digest: Any) -> bool:
    """Copy the document in the open entry ``handle`` (``size`` bytes) to ``out``; whether
    its bytes, added to ``digest``, match the SHA-256 in its footer."""
    length = size - FOOTER_SIZE
    if length <= 0:
        return False
    handle.seek(length)
    footer = handle.read(FOOTER_SIZE)
    if not footer.startswith(FOOTER_MAGIC) or not footer.endswith(b"\n"):
        return False
    handle.seek(0)
    copied = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as target:
        while copied < length:
            block = handle.read(min(BLOCK, length - copied))
            if not block:
                return False
            digest.update(block)
            target.write(block)
            copied += len(block)
    return footer == _footer(digest.hexdigest())


def _discard(entry: Path, identity: os.stat_result) -> None:
    """Delete a damaged entry, unless another build has meanwhile replaced it with its own."""
    with contextlib.suppress(OSError):
        now = entry.stat()
        if (now.st_dev, now.st_ino) == (identity.st_dev, identity.st_ino):
            entry.unlink()


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


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
