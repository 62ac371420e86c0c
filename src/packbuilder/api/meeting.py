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
from typing import Any, NamedTuple

from ..convert._exec.soffice import OfficeServer
from ..convert.converter import DEFAULT_TIMEOUT, ConversionCache, ConversionStats, Converter
from ..exceptions import DefinitionError, OutputError, PackbuilderError, SeveralErrors
from ..inputs.session import BuildSession, SessionStats
from ..late import supplement as supplement_items
from ..load.meeting import load_meeting
from ..model.forwardplan import Plan
from ..model.meeting import AgendaItem, ForwardPlanSource, Meeting, ReportSource
from ..model.partb import part_b_order
from ..pack.exempt import (
    ExemptBusiness,
    check_exempt_not_public,
    exempt_business,
)
from ..pack.frontsheet import FrontSheet, build_front_sheet
from ..pack.layout import PageRange, PublicLayout, SlotKind, public_layout
from ..pack.packspec import build_pack_spec, build_public_spec
from ..pack.papers import (
    DocumentKey,
    PaperWarning,
    PreparedDocument,
    check_papers,
    iter_documents,
    load_plans,
    paper_warnings,
    plans_read,
    prepare_documents,
    report_warnings,
)
from ..paths import display_path, recorded_path
from ..publish import accessibility
from ..publish.folders import MEMBERS, PACK_FILE, PUBLIC, WrittenPacks, find_manifest, write_packs
from ..publish.lock import DEFAULT_WAIT
from ..publish.manifest import (
    build_manifest,
    file_hash,
    is_other_meeting,
    item_pdf_name,
    read_manifest,
    write_manifest,
)
from ..publish.outputs import MANIFEST, staged_output
from ..publish.published import published_meeting
from ..publish.site import write_site
from ..publish.web import check_web_template
from ..render import cache as rendercache
from ..render import render_agenda
from ..render.cache import RenderCache, RenderStats
from ..render.docx import open_template

Progress = Callable[[str], None]


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
    pack: Path  # the public pack: public/pack.pdf
    members_pack: Path  # the complete pack: members/pack.pdf
    pages: int  # the members' pack's pages (the numbers both packs print)
    public_pages: int  # the public pack's pages (one in place of each exempt paper or appendix)
    manifest: dict[str, Any]
    previous_manifest: dict[str, Any] | None
    conversions: ConversionStats
    seconds: float
    files: list[Path] = field(default_factory=list)
    renders: RenderStats = field(default_factory=RenderStats)
    warnings: list[PaperWarning] = field(default_factory=list)
    session: SessionStats | None = None  # what was parsed or reused, with options.session
    plans: dict[Path, Plan] = field(default_factory=dict)  # the forward plans read, by path
    withheld: int = 0  # the exempt papers and appendices the public pack leaves out


def default_output_dir(meeting_path: Path) -> Path:
    """``build/<meeting>/`` beside the meeting file, wherever the command is run from."""
    return Path(meeting_path).parent / "build" / Path(meeting_path).stem


def check(meeting_path: Path | str, warnings: list[PaperWarning] | None = None) -> Meeting:
    """Validate a meeting, its papers, forward plans and templates without building.

    Opens every PDF paper and checks its page selection against its real
    length, and checks every Word paper is a real .docx; loads every forward
    plan the meeting's tables are made from; opens every template the build
    would fill (each cover report's and forward-plan table's, the agenda's and
    the contents page's) and compiles the web agenda's HTML template.
    LibreOffice is not started. Raises the problems found, all at
    once. Papers that had to be repaired to be read, and public items listed after Part B
    items, are added to ``warnings``, if given. An exempt PDF also used as a public paper
    is refused.
    """
    problems: list[str] = []
    meeting = load_meeting(meeting_path, problems)
    if meeting is None:
        raise DefinitionError(problems)
    found: list[PackbuilderError] = [DefinitionError(problems)] if problems else []
    try:
        papers = check_papers(meeting)
        check_exempt_not_public(papers, exempt_business(meeting))
    except PackbuilderError as exc:
        found.append(exc)
    else:
        if warnings is not None:
            warnings.extend(paper_warnings(papers))
    if warnings is not None:
        warnings.extend(PaperWarning(meeting.path, w, t) for w, t in part_b_order(meeting))
        warnings.extend(report_warnings(meeting).values())
    try:
        load_plans(meeting)
    except PackbuilderError as exc:
        found.append(exc)
    for template, where in _templates(meeting).items():
        try:
            open_template(template, where=where)
        except PackbuilderError as exc:
            found.append(exc)
    try:
        check_web_template(meeting.committee.templates.web)
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
    if meeting.has_contents:
        templates.setdefault(meeting.committee.templates.contents, "the contents page")
    return templates


def templates_used(meeting: Meeting) -> str:
    """``Templates: report.docx (meetings/templates/report.docx), agenda.docx (packbuilder's
    default)``: which template each kind of document is filled from (also in the manifest)."""
    named = []
    for template in _templates(meeting):
        where = recorded_path(template, meeting.path.parent)
        packaged = where.startswith("(packbuilder)/")
        shown = "packbuilder's default" if packaged else display_path(template)
        named.append(f"{template.name} ({shown})")
    return "Templates: " + ", ".join(named)


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
    progress(templates_used(meeting))
    output_dir = Path(options.output_dir or default_output_dir(meeting.path))
    with staged_output(
        output_dir, kind=options.kind, wait=options.wait, progress=progress
    ) as staging:
        previous = read_manifest(find_manifest(output_dir))
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
            built = _build_into(
                meeting, staging, work, converter, previous, progress, kind=options.kind
            )
        shutil.rmtree(work, ignore_errors=True)
    return BuildResult(
        meeting=meeting,
        output_dir=output_dir,
        pack=output_dir / PUBLIC / PACK_FILE,
        members_pack=output_dir / MEMBERS / PACK_FILE,
        pages=built.manifest["pages"],
        public_pages=built.public_pages,
        withheld=built.withheld,
        manifest=built.manifest,
        previous_manifest=previous,
        conversions=converter.stats,
        seconds=time.monotonic() - started,
        files=sorted(output_dir / name for name in built.manifest["outputs"]),
        renders=render_cache.stats,
        warnings=built.warnings,
        session=(
            session_build.stats
            if options.session is not None and session_build is not None
            else None
        ),
        plans=built.plans,
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


class _Built(NamedTuple):
    """What :func:`_build_into` made: the full manifest, the warnings, the forward plans
    read, the public pack's page count and how many exempt units it leaves out."""

    manifest: dict[str, Any]
    warnings: list[PaperWarning]
    plans: dict[Path, Plan]
    public_pages: int
    withheld: int


def _build_into(
    meeting: Meeting,
    staging: Path,
    work: Path,
    converter: Converter,
    previous: dict[str, Any] | None,
    progress: Progress,
    *,
    kind: str = "Agenda",
) -> _Built:
    """Build both packs, their item PDFs, the agenda and the manifests into ``staging``."""
    documents = prepare_documents(meeting, converter, work, progress)
    business = exempt_business(meeting)
    check_exempt_not_public(documents, business)
    counts = [
        [
            [documents[(i, p, d)].page_count for d in range(len(paper.documents))]
            for p, paper in enumerate(item.included_papers)
        ]
        for i, item in enumerate(meeting.items)
    ]
    guess = (previous or {}).get("front_sheet", {}).get("pages", {}) or {}
    contents_guess = ((previous or {}).get("contents") or {}).get("pages") or {}
    front = build_front_sheet(
        meeting,
        counts,
        converter,
        work,
        first_guess=int(guess.get("last", 2)),
        contents_guess=_count(contents_guess),
        kind=kind,
        revised=meeting.revision is not None,
        progress=progress,
    )

    progress(f"Assembling {front.layout.total_pages} pages")
    members = build_pack_spec(meeting, front, documents, kind=kind, business=business)
    public = public_layout(front.layout, business.documents)
    public_spec = (
        build_public_spec(meeting, members, front, documents, public, business, kind=kind)
        if business
        else None
    )
    members_files, public_files = _item_files(meeting, front, public)
    ranges = {item.number: pages for item, pages in _item_ranges(meeting, front)}
    members_extracts = {
        name: (ranges[n].first, ranges[n].last) for n, name in members_files.items()
    }
    public_extracts = {name: public.positions(ranges[n]) for n, name in public_files.items()}
    # The standalone agenda is the pack's front sheet, stamped and numbered as in the pack.
    public_extracts["agenda.pdf"] = (front.layout.front.first, front.layout.front.last)
    written = write_packs(staging, members, public_spec, members_extracts, public_extracts)
    outputs = written.files
    render_agenda(
        meeting.committee.templates.agenda,
        meeting,
        front.item_pages,
        staging / PUBLIC / "agenda.docx",
        kind=kind,
        revised=meeting.revision is not None,
        links=False,
    )
    outputs[f"{PUBLIC}/agenda.docx"] = staging / PUBLIC / "agenda.docx"
    published = published_meeting(
        meeting,
        front.layout,
        public,
        set(business.documents),
        staging / PUBLIC,
        public_files,
        kind=kind,
    )
    site = write_site(published, meeting.committee.templates.web, staging / PUBLIC)
    outputs.update({f"{PUBLIC}/{name}": path for name, path in site.items()})
    return _write_manifests(
        meeting,
        front,
        documents,
        business,
        public,
        staging,
        written,
        kind,
        members_files,
        public_files,
    )


def _count(pages: dict[str, Any]) -> int:
    """The page count of a range as a manifest records it (1 when it does not say)."""
    first, last = pages.get("first"), pages.get("last")
    if isinstance(first, int) and isinstance(last, int) and 1 <= first <= last:
        return last - first + 1
    return 1


def _item_ranges(meeting: Meeting, front: FrontSheet) -> list[tuple[AgendaItem, PageRange]]:
    """The items with pages in the pack, and their pages."""
    return [
        (item, item_layout.pages)
        for item, item_layout in zip(meeting.items, front.layout.items, strict=True)
        if item_layout.pages is not None
    ]


def _item_files(
    meeting: Meeting, front: FrontSheet, public: PublicLayout
) -> tuple[dict[str, str], dict[str, str]]:
    """Item number -> its PDF's name, in the members' folder (every item with pages) and in
    the public folder (every item with a public document page)."""
    members: dict[str, str] = {}
    published: dict[str, str] = {}
    slots = front.layout.slots
    for item, pages in _item_ranges(meeting, front):
        name = item_pdf_name(item.number, item.title)
        members[item.number] = name
        first, last = public.positions(pages)
        if any(
            not page.placeholder and slots[page.pages.first - 1].kind is SlotKind.DOCUMENT
            for page in public.pages[first - 1 : last]
        ):
            published[item.number] = name
    return members, published


def _write_manifests(
    meeting: Meeting,
    front: FrontSheet,
    documents: dict[DocumentKey, PreparedDocument],
    business: ExemptBusiness,
    public: PublicLayout,
    staging: Path,
    written: WrittenPacks,
    kind: str,
    members_files: dict[str, str],
    public_files: dict[str, str],
) -> _Built:
    """The public manifest in ``public/``, then the full one in ``members/``, which lists
    every file the build wrote (the public manifest too). Each says whether its pack is
    tagged and which of its papers are not (:mod:`packbuilder.publish.accessibility`)."""
    outputs = written.files
    hashes = _copies_hashed(outputs, business)
    warnings, public_warnings = _warnings(meeting, documents, business)
    base = meeting.path.parent
    public_documents = {k: v for k, v in documents.items() if k not in business.documents}
    untagged = accessibility.untagged_papers(documents)
    public_untagged = accessibility.untagged_papers(public_documents)
    for found, listed in ((untagged, warnings), (public_untagged, public_warnings)):
        warning = accessibility.untagged_warning(found, base)
        if warning is not None:
            listed.append(warning)
    common = {"kind": kind, "business": business, "hashes": hashes}
    published = build_manifest(
        meeting,
        front,
        documents,
        outputs={
            name.removeprefix(f"{PUBLIC}/"): path
            for name, path in outputs.items()
            if name.startswith(f"{PUBLIC}/")
        },
        item_files=public_files,
        public=public,
        **common,
    )
    published["accessibility"] = accessibility.manifest_entry(
        public_untagged, base, tagged=written.public.tagged, pdfua=written.public.pdfua
    )
    outputs[f"{PUBLIC}/{MANIFEST}"] = _write(staging / PUBLIC, published, public_warnings, meeting)
    full = build_manifest(
        meeting, front, documents, outputs=outputs, item_files=members_files, **common
    )
    full["accessibility"] = accessibility.manifest_entry(
        untagged, base, tagged=written.members.tagged, pdfua=written.members.pdfua
    )
    _write(staging / MEMBERS, full, warnings, meeting)
    return _Built(full, warnings, plans_read(documents), len(public.pages), len(public.units))


def _copies_hashed(outputs: dict[str, Path], business: ExemptBusiness) -> dict[Path, str]:
    """The hashes of the outputs known before they are read: with no exempt business the
    files of ``members/`` are copies of ``public/``'s (each hashed once, for both)."""
    hashes: dict[Path, str] = {}
    if not business:
        for name, path in outputs.items():
            twin = outputs.get(name.replace(f"{MEMBERS}/", f"{PUBLIC}/", 1))
            if name.startswith(f"{MEMBERS}/") and twin is not None:
                hashes[path] = file_hash(twin, hashes)
    return hashes


def _warnings(
    meeting: Meeting, documents: dict[DocumentKey, PreparedDocument], business: ExemptBusiness
) -> tuple[list[PaperWarning], list[PaperWarning]]:
    """Every warning, and those the public manifest records (none about an exempt paper).

    Taken after assembly: copying pages can add repairs.
    """
    ordering = [PaperWarning(meeting.path, where, text) for where, text in part_b_order(meeting)]
    reports = report_warnings(meeting)
    public_reports = [w for k, w in reports.items() if k not in business.documents]
    public_documents = {k: v for k, v in documents.items() if k not in business.documents}
    return (
        ordering + list(reports.values()) + paper_warnings(documents),
        ordering + public_reports + paper_warnings(public_documents),
    )


def _write(
    folder: Path, manifest: dict[str, Any], warnings: list[PaperWarning], meeting: Meeting
) -> Path:
    """Write ``manifest`` with ``warnings`` into ``folder``; return its path."""
    manifest["warnings"] = [
        {
            "file": recorded_path(w.file, meeting.path.parent) if w.file else w.name,
            "warning": w.message,
            "details": list(w.details),
        }
        for w in warnings
    ]
    write_manifest(folder / MANIFEST, manifest)
    return folder / MANIFEST
