"""The late-papers front doors: where a meeting stands, a supplementary pack, what changed.

Each reads top-down as its pipeline: load the meeting (:mod:`..load`), then
ask :mod:`..late` (status, changes, the supplement's items) or build through
:func:`.build.build`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..exceptions import InputError
from ..late.changes import Changes, compare_manifests
from ..late.status import MeetingStatus, meeting_status, pack_state
from ..load.meeting import load_meeting
from ..model.meeting import SUPPLEMENT_KIND
from ..pack.papers import load_plans
from ..paths import display_path, recorded_paths
from ..publish import accessibility
from ..publish.folders import find_manifest
from ..publish.manifest import input_files, load_manifest, read_manifest, sha256_file
from .meeting import BuildOptions, BuildResult, build, default_output_dir


def default_supplement_dir(meeting_path: Path) -> Path:
    """``build/<meeting>-supplement/`` beside the meeting file: beside the main pack's folder,
    never inside it."""
    return Path(meeting_path).parent / "build" / f"{Path(meeting_path).stem}-supplement"


def status(
    meeting_path: Path | str, today: dt.date, output_dir: Path | None = None
) -> MeetingStatus:
    """Where the meeting stands on ``today``: deadline, papers to follow, late items, and
    whether its pack (in ``output_dir``, default ``build/<meeting>/``) is up to date."""
    meeting = load_meeting(meeting_path)
    folder = Path(output_dir or default_output_dir(meeting.path))
    base = meeting.path.parent
    inputs = input_files(meeting, load_plans(meeting))
    names = recorded_paths((path for path in inputs if path.is_file()), base)
    current = {name: sha256_file(path) for path, name in names.items()}
    manifest = find_manifest(folder)
    shown = "members/pack.pdf" if manifest.parent != folder else "pack.pdf"
    pack = pack_state(folder.as_posix(), read_manifest(manifest), current, shown)
    untagged = tuple(display_path(p, base) for p in accessibility.meeting_untagged(meeting))
    return replace(meeting_status(meeting, today, pack), untagged=untagged)


def supplement(
    meeting_path: Path | str, items: Sequence[str], options: BuildOptions | None = None
) -> BuildResult:
    """Build a supplementary pack holding only ``items`` (numbers as on the agenda).

    It has its own front sheet ("Supplementary Agenda"), page numbers,
    bookmarks and manifest, in ``build/<meeting>-supplement/`` unless
    ``options.output_dir`` says otherwise; the main pack is not touched.
    """
    meeting_path = Path(meeting_path)
    options = replace(options or BuildOptions(), kind=SUPPLEMENT_KIND, items=tuple(items))
    main_dir = default_output_dir(meeting_path).resolve()
    if options.output_dir is None:
        options.output_dir = default_supplement_dir(meeting_path)
    elif Path(options.output_dir).resolve() == main_dir:
        raise InputError(
            f"{options.output_dir} is the main pack's folder; a supplement would replace it",
            hint="leave out --output (the supplement goes to "
            f"{default_supplement_dir(meeting_path)}) or choose another folder",
        )
    return build(meeting_path, options)


def compare(old: Path | str, new: Path | str) -> Changes:
    """What changed between two builds, given their manifest.json files or output folders.

    An output folder is read from its full manifest (``members/manifest.json``); give
    the two ``public/`` folders (or their manifests) to compare what was published.
    """
    return compare_manifests(load_manifest(_manifest_of(old)), load_manifest(_manifest_of(new)))


def _manifest_of(path: Path | str) -> Path:
    """A manifest given, or the full manifest of a build's folder."""
    path = Path(path)
    return find_manifest(path) if path.is_dir() else path


def changes_since_previous(result: BuildResult) -> Changes | None:
    """What changed since the build whose outputs ``result`` replaced (None: there was none)."""
    if result.previous_manifest is None:
        return None
    return compare_manifests(result.previous_manifest, result.manifest)
