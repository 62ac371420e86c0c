"""What ``watch`` watches: the files a meeting's build reads, and how to tell they changed.

:func:`watched_files` lists the inputs of a build that loaded (definitions,
templates, papers, forward plans, and the papers still to follow);
:func:`fallback_files` guesses them from what can be read while the meeting
does not load. Files are compared by (modification time, size) stamps. The
loop that rebuilds is :class:`packbuilder.api.watch.Watcher`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..exceptions import PackbuilderError
from ..load.plan import load_plan
from ..load.yamlfile import read_plain
from ..model.forwardplan import Plan
from ..model.meeting import FileSource, ItemStatus, Meeting
from ..pack.papers import load_plans
from ..publish.manifest import input_files

Stamp = tuple[int, int] | None
"""A file's (modification time in ns, size), or None when it does not exist."""

DEFAULT_INTERVAL = 1.0
DEFAULT_SETTLE = 0.5

TREE_SUFFIXES = (".yaml", ".yml", ".csv", ".docx", ".pdf")
"""The files of a folder tree watched while the meeting does not load: definitions and papers."""
TREE_LIMIT = 2000
"""At most this many files of a folder tree are watched, found in at most as many folders
(a meeting file left in a home folder should not make every poll walk the disk)."""


@dataclass
class Watched:
    """The files one meeting's build depends on, and the papers still to follow.

    ``trees`` are folders whose definition and paper files are all watched,
    new ones included (while the meeting does not load), leaving out the
    folders in ``skip`` (the build's own output) and hidden folders.
    """

    files: list[Path]
    expected: dict[Path, str] = field(default_factory=dict)  # to-follow paper -> item number
    trees: list[Path] = field(default_factory=list)
    skip: list[Path] = field(default_factory=list)

    def paths(self) -> list[Path]:
        """The files to stamp now: ``files`` and what the trees hold at the moment."""
        found = [path for tree in self.trees for path in tree_files(tree, self.skip)]
        return list(dict.fromkeys([*self.files, *found]))


def watched_files(meeting: Meeting, plans: Mapping[Path, Plan] | None = None) -> Watched:
    """The build's input files, the papers of items to follow, the forward plans' folders.

    ``plans`` are the forward plans as the build read them
    (:attr:`packbuilder.api.BuildResult.plans`); without, they are loaded here. The
    folders of forward-plan entries files are watched too, so that a new
    entries file dropped into one is noticed.
    """
    if plans is None:
        plans = load_plans(meeting)
    files = list(input_files(meeting, plans))
    for plan in plans.values():
        files += plan.folders
    expected: dict[Path, str] = {}
    for item in meeting.items:
        if item.status is not ItemStatus.TO_FOLLOW:
            continue
        for paper in item.papers:
            for document in paper.documents:
                if isinstance(document.source, FileSource):
                    expected[document.source.path] = item.number
    files += expected
    return Watched(list(dict.fromkeys(files)), expected)


def fallback_files(meeting: Path, skip: Iterable[Path] = ()) -> Watched:
    """What to watch while ``meeting`` (or its committee or a forward plan) does not load.

    The meeting file; the committee file and templates its text names, when
    it can be read as YAML; the files and folders of the forward plans it
    names (or, for a plan that does not load, the plan's folder tree); and the
    meeting's folder tree, where papers and templates that are missing arrive.
    """
    base = meeting.parent
    files = [meeting]
    trees = [base]
    data = _yaml_text(meeting)
    committee: Any = data.get("committee") if isinstance(data, dict) else None
    committee_base = base
    if isinstance(committee, str) and committee.strip():
        path = base / committee.strip()
        files.append(path)
        committee, committee_base = _yaml_text(path), path.parent
    templates = committee.get("templates") if isinstance(committee, dict) else None
    if isinstance(templates, dict):
        files += [committee_base / t for t in templates.values() if isinstance(t, str) and t]
    for plan in _plans_named(data):
        path = base / plan
        try:
            loaded = load_plan(path)
        except PackbuilderError:
            files.append(path)
            trees.append(path if path.is_dir() else path.parent)
        else:
            files += [*loaded.files, *loaded.folders]
    return Watched(list(dict.fromkeys(files)), trees=trees, skip=[Path(p) for p in skip])


def _yaml_text(path: Path) -> Any:
    """``path`` read as plain YAML, or None when it cannot be (missing, broken, not text)."""
    try:
        return read_plain(path)
    except ValueError:  # a NUL in a path written in a broken file
        return None


def _plans_named(data: Any) -> list[str]:
    """The plan paths written under every ``forward_plan:`` key in a meeting's YAML."""
    found: list[str] = []
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            plan = value.get("forward_plan")
            if isinstance(plan, dict):
                plan = plan.get("plan")
            if isinstance(plan, str) and plan.strip():
                found.append(plan.strip())
            stack += value.values()
        elif isinstance(value, list):
            stack += value
    return found


def tree_files(folder: Path, skip: Iterable[Path] = ()) -> list[Path]:
    """The definition and paper files under ``folder`` (at most :data:`TREE_LIMIT`),
    leaving out hidden folders and the folders in ``skip``."""
    skipped = {os.path.abspath(path) for path in skip}
    found: list[Path] = []
    for visited, (root, folders, names) in enumerate(os.walk(folder)):
        if visited >= TREE_LIMIT:
            break
        folders[:] = sorted(
            name
            for name in folders
            if not name.startswith(".") and os.path.abspath(os.path.join(root, name)) not in skipped
        )
        for name in sorted(names):
            if name.lower().endswith(TREE_SUFFIXES):
                found.append(Path(root) / name)
                if len(found) >= TREE_LIMIT:
                    return found
    return found


def stamp(path: Path) -> Stamp:
    """``path``'s (mtime in ns, size), or None when it is missing."""
    try:
        info = path.stat()
    except (OSError, ValueError):  # ValueError: a NUL in a path written in a broken file
        return None
    return (info.st_mtime_ns, info.st_size)


def snapshot(paths: Iterable[Path]) -> dict[Path, Stamp]:
    return {path: stamp(path) for path in paths}


def changed_files(before: Mapping[Path, Stamp], after: Mapping[Path, Stamp]) -> list[Path]:
    """The paths whose stamp differs (a path new to ``after`` counts if it exists)."""
    return [path for path, now in after.items() if before.get(path) != now]
