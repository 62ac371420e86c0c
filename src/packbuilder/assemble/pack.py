"""Writing a pack and its extracts to files."""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..exceptions import OutputError
from .spec import PackSpec, check_spec, shift_bookmarks, shift_sections
from .writer import PackWriter


@dataclass(frozen=True)
class PackResult:
    """What the pack file is: tagged (it has a structure tree), and whether it claims PDF/UA
    (every page's content tagged or an artifact, every annotation tagged)."""

    tagged: bool
    pdfua: bool


def write_pack(
    spec: PackSpec, out: Path, *, extracts: Mapping[Path, tuple[int, int]] | None = None
) -> PackResult:
    """Write the pack to ``out`` and each extract (1-based inclusive page range) to its path.

    Raises :class:`DocumentError` when a paper turns out to be unreadable while
    it is copied, and :class:`OutputError` when a file cannot be written.
    """
    check_spec(spec)
    total = len(spec.pages)
    for path, (first, last) in (extracts or {}).items():
        if not 1 <= first <= last <= total:
            raise ValueError(f"extract {path}: pages {first}-{last} are not within 1-{total}")
    with _without_cycle_collection():
        writer = PackWriter(spec, first_number=1, total=total)
        _write_file(out, writer.build())
        for path, (first, last) in (extracts or {}).items():
            _write_file(path, _extract(spec, first, last))
    return PackResult(tagged=bool(writer.structure.uses), pdfua=writer.pdfua)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while the files are written.

    Writing allocates hundreds of thousands of small objects (a tagged pack's structure
    elements, parsed source objects) and makes no garbage cycles, but every few
    thousand allocations the collector scans every object alive, the parsed papers
    included: over a third of the time of a 1000-page tagged pack. Objects are freed as
    usual meanwhile (reference counting); the collector resumes however writing ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _extract(spec: PackSpec, first: int, last: int) -> bytes:
    """The PDF of pack pages ``first``..``last``, stamped and labelled as in the pack."""
    start, stop = first - 1, last  # 0-based, half open
    bookmarks = shift_bookmarks(spec.bookmarks, start, stop)
    title = spec.metadata.title
    for mark in spec.bookmarks:
        if mark.page == start and stop - start < len(spec.pages):
            if not title.endswith(f": {mark.title}"):  # the front sheet's bookmark is "Agenda"
                title = f"{title}: {mark.title}"
            break
    metadata = dataclasses.replace(spec.metadata, title=title, extra=dict(spec.metadata.extra))
    links = {k: v - start for k, v in spec.link_targets.items() if start <= v < stop}
    part = dataclasses.replace(
        spec,
        pages=spec.pages[start:stop],
        bookmarks=bookmarks,
        link_targets=links,
        metadata=metadata,
        sections=shift_sections(spec.sections, start, stop),
    )
    return PackWriter(part, first_number=first, total=len(spec.pages)).build()


def _write_file(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise OutputError(
            f"cannot write the PDF: {exc.strerror or exc}",
            where=str(path),
            hint="check that the folder exists, is writable and the disk is not full",
        ) from None
