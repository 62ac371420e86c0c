"""The library's front door: build a meeting's pack, or check its definition.

The CLI calls one function here per command. Each stage lives in its own
module: ``definition`` (load and validate), ``render`` (Word templates),
``convert`` (LibreOffice), ``layout`` (page arithmetic), ``frontsheet``
(agenda until its ranges are true), ``packplan`` and ``assemble`` (the PDF),
``manifest`` and ``outputs`` (writing, atomically).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .assemble import write_pack
from .convert import DEFAULT_TIMEOUT, ConversionCache, ConversionStats, Converter
from .definition import load_meeting
from .documents import PaperWarning, check_papers, paper_warnings, prepare_documents
from .exceptions import OutputError
from .frontsheet import build_front_sheet
from .lock import DEFAULT_WAIT, build_lock
from .manifest import build_manifest, item_pdf_name, read_manifest, relative, write_manifest
from .model import Meeting
from .outputs import (
    MANIFEST,
    check_output_dir,
    discard,
    make_staging_dir,
    publish,
    recover,
    staging_error,
)
from .packplan import build_pack_spec
from .render import render_agenda

Progress = Callable[[str], None]

PACK_FILE = "pack.pdf"


@dataclass
class BuildOptions:
    """How to build: where outputs and the cache go, limits, and who hears progress."""

    output_dir: Path | None = None
    cache_dir: Path | None = None  # None: no cache
    timeout: float = DEFAULT_TIMEOUT
    progress: Progress | None = None
    wait: float = DEFAULT_WAIT  # seconds to wait for another build of the same output folder


@dataclass
class BuildResult:
    """What a build produced."""

    meeting: Meeting
    output_dir: Path
    pack: Path
    pages: int
    manifest: dict[str, Any]
    previous_manifest: dict[str, Any] | None
    conversions: ConversionStats
    seconds: float
    files: list[Path] = field(default_factory=list)
    warnings: list[PaperWarning] = field(default_factory=list)


def default_output_dir(meeting_path: Path) -> Path:
    """``build/<meeting>/`` under the current folder."""
    return Path("build") / meeting_path.stem


def check(meeting_path: Path | str, warnings: list[PaperWarning] | None = None) -> Meeting:
    """Validate a meeting definition and its paper files without building.

    Opens every PDF paper and checks its page selection against its real
    length, and checks every Word paper is a real .docx; LibreOffice is not
    started. Raises the problems found. Papers that had to be repaired to be
    read are added to ``warnings``, if given.
    """
    meeting = load_meeting(meeting_path)
    papers = check_papers(meeting)
    if warnings is not None:
        warnings.extend(paper_warnings(papers))
    return meeting


def build(meeting_path: Path | str, options: BuildOptions | None = None) -> BuildResult:
    """Build the meeting's agenda pack and its companion outputs, published atomically."""
    options = options or BuildOptions()
    started = time.monotonic()
    progress = options.progress or (lambda message: None)
    meeting = load_meeting(meeting_path)
    output_dir = Path(options.output_dir or default_output_dir(meeting.path))
    with build_lock(output_dir, wait=options.wait, progress=progress):
        recover(output_dir)
        check_output_dir(output_dir)
        previous = read_manifest(output_dir / MANIFEST)

        staging = make_staging_dir(output_dir)
        try:
            work = staging / ".work"
            converter = Converter(
                work,
                ConversionCache(options.cache_dir),
                timeout=options.timeout,
                progress=progress,
            )
            result, warnings = _build_into(meeting, staging, work, converter, previous, progress)
            shutil.rmtree(work, ignore_errors=True)
        except (OSError, OutputError) as exc:
            discard(staging)
            raise staging_error(exc, staging, output_dir) from exc
        except BaseException:
            discard(staging)
            raise
        try:
            publish(staging, output_dir)
        finally:
            discard(staging)  # gone once published; a failed swap leaves the old folder
    return BuildResult(
        meeting=meeting,
        output_dir=output_dir,
        pack=output_dir / PACK_FILE,
        pages=result["pages"],
        manifest=result,
        previous_manifest=previous,
        conversions=converter.stats,
        seconds=time.monotonic() - started,
        files=sorted(output_dir / name for name in result["outputs"]),
        warnings=warnings,
    )


def _build_into(
    meeting: Meeting,
    staging: Path,
    work: Path,
    converter: Converter,
    previous: dict[str, Any] | None,
    progress: Progress,
    *,
    kind: str = "Agenda",
) -> tuple[dict[str, Any], list[PaperWarning]]:
    documents = prepare_documents(meeting, converter, work, progress)
    counts = [
        [
            [documents[(i, p, d)].page_count for d in range(len(paper.documents))]
            for p, paper in enumerate(item.included_papers)
        ]
        for i, item in enumerate(meeting.items)
    ]
    guess = (previous or {}).get("front_sheet", {}).get("pages", {}) or {}
    front = build_front_sheet(
        meeting,
        counts,
        converter,
        work,
        first_guess=int(guess.get("last", 2)),
        kind=kind,
        revised=meeting.revision is not None,
        progress=progress,
    )

    progress(f"Assembling {front.layout.total_pages} pages")
    spec = build_pack_spec(meeting, front, documents, kind=kind)
    item_files = {
        item.number: item_pdf_name(item.number, item.title)
        for item, item_layout in zip(meeting.items, front.layout.items, strict=True)
        if item_layout.pages is not None
    }
    extracts = {
        staging / item_files[item.number]: (item_layout.pages.first, item_layout.pages.last)
        for item, item_layout in zip(meeting.items, front.layout.items, strict=True)
        if item_layout.pages is not None
    }
    # The standalone agenda is the pack's front sheet, stamped and numbered as in the pack.
    extracts[staging / "agenda.pdf"] = (front.layout.front.first, front.layout.front.last)
    (staging / "items").mkdir(exist_ok=True)
    write_pack(spec, staging / PACK_FILE, extracts=extracts)
    render_agenda(
        meeting.committee.templates.agenda,
        meeting,
        front.item_pages,
        staging / "agenda.docx",
        kind=kind,
        revised=meeting.revision is not None,
        links=False,
    )

    outputs = {PACK_FILE: staging / PACK_FILE, "agenda.docx": staging / "agenda.docx"}
    outputs["agenda.pdf"] = staging / "agenda.pdf"
    outputs.update({name: staging / name for name in item_files.values()})
    manifest = build_manifest(
        meeting, front, documents, kind=kind, outputs=outputs, item_files=item_files
    )
    warnings = paper_warnings(documents)  # after assembly: copying pages can add repairs
    manifest["warnings"] = [
        {
            "file": relative(w.file, meeting.path.parent) if w.file else w.name,
            "warning": w.message,
            "details": list(w.details),
        }
        for w in warnings
    ]
    write_manifest(staging / MANIFEST, manifest)
    return manifest, warnings
