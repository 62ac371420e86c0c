"""The library's front door: build a meeting's pack, or check its definition.

The CLI calls one function here per command. Each stage lives in its own
module: ``definition`` (load and validate), ``render`` (Word templates),
``convert`` (LibreOffice), ``layout`` (page arithmetic), ``frontsheet``
(agenda until its ranges are true), ``packplan`` and ``assemble`` (the PDF),
``manifest`` and ``outputs`` (writing, atomically).
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..assemble import write_pack
from ..convert._exec.soffice import OfficeServer
from ..convert.converter import DEFAULT_TIMEOUT, ConversionCache, ConversionStats, Converter
from ..exceptions import DefinitionError, OutputError, PackbuilderError, SeveralErrors
from ..inputs.session import BuildSession, SessionStats
from ..late import supplement as supplement_items
from ..load.meeting import load_meeting
from ..model.forwardplan import Plan
from ..model.meeting import ForwardPlanSource, Meeting, ReportSource
from ..pack.frontsheet import build_front_sheet
from ..pack.packspec import build_pack_spec
from ..pack.papers import (
    PaperWarning,
    check_papers,
    iter_documents,
    load_plans,
    paper_warnings,
    plans_read,
    prepare_documents,
)
from ..paths import recorded_path
from ..publish import accessibility
from ..publish.lock import DEFAULT_WAIT
from ..publish.manifest import (
    build_manifest,
    is_other_meeting,
    item_pdf_name,
    read_manifest,
    write_manifest,
)
from ..publish.outputs import MANIFEST, staged_output
from ..render import cache as rendercache
from ..render import render_agenda
from ..render.cache import RenderCache, RenderStats
from ..render.docx import open_template

Progress = Callable[[str], None]

PACK_FILE = "pack.pdf"


@dataclass
class BuildOptions:
    """How to build: where outputs and the cache go, limits, and who hears progress."""

    output_dir: Path | None = None
    cache_dir: Path | None = None  # None: no cache
    timeout: float = DEFAULT_TIMEOUT
    progress: Progress | None = None
    kind: str = "Agenda"  # printed on the front sheet; SUPPLEMENT_KIND for a supplement
    items: tuple[str, ...] | None = None  # only these item numbers (a supplementary pack)
    revision: int | None = None  # overrides the meeting file's 'revision:'
    keep_revision: bool = True  # False: no revision, whatever the file or the last build said
    replace: bool = False  # replace the pack of another meeting in the output folder
    published: dt.date | None = None  # overrides the meeting file's 'published:'
    wait: float = DEFAULT_WAIT  # seconds to wait for another build of the same output folder
    office: OfficeServer | None = None  # a kept-running LibreOffice (packbuilder watch)
    session: BuildSession | None = None  # parsed inputs kept between builds (packbuilder watch)


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
    renders: RenderStats = field(default_factory=RenderStats)
    warnings: list[PaperWarning] = field(default_factory=list)
    session: SessionStats | None = None  # what was parsed or reused, with options.session
    plans: dict[Path, Plan] = field(default_factory=dict)  # the forward plans read, by path


def default_output_dir(meeting_path: Path) -> Path:
    """``build/<meeting>/`` beside the meeting file, wherever the command is run from."""
    return Path(meeting_path).parent / "build" / Path(meeting_path).stem


def check(meeting_path: Path | str, warnings: list[PaperWarning] | None = None) -> Meeting:
    """Validate a meeting, its papers, forward plans and templates without building.

    Opens every PDF paper and checks its page selection against its real
    length, and checks every Word paper is a real .docx; loads every forward
    plan the meeting's tables are made from; opens every template the build
    would fill (each cover report's and forward-plan table's, and the
    agenda's). LibreOffice is not started. Raises the problems found, all at
    once. Papers that had to be repaired to be read are added to ``warnings``,
    if given.
    """
    problems: list[str] = []
    meeting = load_meeting(meeting_path, problems)
    if meeting is None:
        raise DefinitionError(problems)
    found: list[PackbuilderError] = [DefinitionError(problems)] if problems else []
    try:
        papers = check_papers(meeting)
    except PackbuilderError as exc:
        found.append(exc)
    else:
        if warnings is not None:
            warnings.extend(paper_warnings(papers))
    try:
        load_plans(meeting)
    except PackbuilderError as exc:
        found.append(exc)
    for template, where in _templates(meeting).items():
        try:
            open_template(template, where=where)
        except PackbuilderError as exc:
            found.append(exc)
    if len(found) == 1:
        raise found[0]  # as the build says it ("2 papers cannot be used: ...")
    if found:
        errors = [
            e for exc in found for e in (exc.errors if isinstance(exc, SeveralErrors) else [exc])
        ]
        raise SeveralErrors(errors)
    return meeting


def load_for_build(meeting_path: Path | str) -> Meeting:
    """The meeting, or every problem of its definition and its papers at once.

    A definition with problems that still gives a meeting (a publication date after
    the meeting, a paper not found) has its papers checked too, so that the clerk
    sees everything to correct in one run.
    """
    problems: list[str] = []
    meeting = load_meeting(meeting_path, problems)
    if meeting is None or not problems:
        if problems:
            raise DefinitionError(problems)
        assert meeting is not None
        return meeting
    try:
        check_papers(meeting)
    except SeveralErrors as exc:
        raise SeveralErrors([DefinitionError(problems), *exc.errors]) from None
    except PackbuilderError as exc:
        raise SeveralErrors([DefinitionError(problems), exc]) from None
    raise DefinitionError(problems)


def _templates(meeting: Meeting) -> dict[Path, str | None]:
    """Every template a build of ``meeting`` fills, each once, with where it is first used
    (in the order the build fills them: the papers', then the agenda)."""
    templates: dict[Path, str | None] = {}
    for _key, _item, document in iter_documents(meeting):
        source = document.source
        if isinstance(source, ReportSource | ForwardPlanSource):
            templates.setdefault(source.template, str(document.origin))
    templates.setdefault(meeting.committee.templates.agenda, None)
    return templates


def apply_options(meeting: Meeting, options: BuildOptions) -> Meeting:
    """The meeting as ``options`` ask to build it: chosen items, revision, publication date."""
    if options.items is not None:
        meeting = supplement_items.select_items(meeting, options.items)
    if options.revision is not None:
        meeting = replace(meeting, revision=options.revision)
    elif not options.keep_revision:
        meeting = replace(meeting, revision=None)
    if options.published is not None:
        meeting = replace(meeting, published=options.published)
    return meeting


def build(meeting_path: Path | str, options: BuildOptions | None = None) -> BuildResult:
    """Build the meeting's agenda pack and its companion outputs, published atomically."""
    options = options or BuildOptions()
    started = time.monotonic()
    progress = options.progress or (lambda message: None)
    meeting = apply_options(load_for_build(meeting_path), options)
    output_dir = Path(options.output_dir or default_output_dir(meeting.path))
    with staged_output(
        output_dir, kind=options.kind, wait=options.wait, progress=progress
    ) as staging:
        previous = read_manifest(output_dir / MANIFEST)
        if previous is not None:
            meeting = _against_previous(meeting, previous, output_dir, options)
        work = staging / ".work"
        converter = Converter(
            work,
            ConversionCache(options.cache_dir),
            timeout=options.timeout,
            progress=progress,
            office=options.office,
        )
        render_cache = RenderCache(options.cache_dir, progress=progress)
        # Every build reads its inputs through a session, so each paper is read once and the
        # manifest hashes the very bytes that went into the pack; watch keeps one between builds.
        session = (options.session or BuildSession()).begin()
        with rendercache.using(render_cache), session as session_build:
            result, warnings, plans = _build_into(
                meeting, staging, work, converter, previous, progress, kind=options.kind
            )
        shutil.rmtree(work, ignore_errors=True)
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
        renders=render_cache.stats,
        warnings=warnings,
        session=(
            session_build.stats
            if options.session is not None and session_build is not None
            else None
        ),
        plans=plans,
    )


def _against_previous(
    meeting: Meeting, previous: dict[str, Any], output_dir: Path, options: BuildOptions
) -> Meeting:
    """The meeting to build where ``previous`` was built: never another meeting's folder
    (unless told to replace it), and the last build's revision kept unless told otherwise."""
    if is_other_meeting(previous, meeting):
        if not options.replace:
            built = previous.get("meeting") or {}
            raise OutputError(
                f"{output_dir} holds the pack of another meeting ({built.get('file')}, "
                f"{built.get('committee')} on {built.get('date')}); building "
                f"{meeting.path.name} there would replace it",
                hint="build into another folder with --output, or add --replace to replace it",
            )
        return meeting
    revision = (previous.get("meeting") or {}).get("revision")
    keep = options.keep_revision and options.revision is None and meeting.revision is None
    if keep and isinstance(revision, int) and not isinstance(revision, bool) and revision > 0:
        meeting = replace(meeting, revision=revision)
    return meeting


def _build_into(
    meeting: Meeting,
    staging: Path,
    work: Path,
    converter: Converter,
    previous: dict[str, Any] | None,
    progress: Progress,
    *,
    kind: str = "Agenda",
) -> tuple[dict[str, Any], list[PaperWarning], dict[Path, Plan]]:
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
    written = write_pack(spec, staging / PACK_FILE, extracts=extracts)
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
    untagged = accessibility.untagged_papers(documents)
    manifest["accessibility"] = accessibility.manifest_entry(
        untagged, meeting.path.parent, tagged=written.tagged, pdfua=written.pdfua
    )
    untagged_warning = accessibility.untagged_warning(untagged, meeting.path.parent)
    if untagged_warning is not None:
        warnings.append(untagged_warning)
    manifest["warnings"] = [
        {
            "file": recorded_path(w.file, meeting.path.parent) if w.file else w.name,
            "warning": w.message,
            "details": list(w.details),
        }
        for w in warnings
    ]
    write_manifest(staging / MANIFEST, manifest)
    return manifest, warnings, plans_read(documents)
