"""``packbuilder watch``: rebuild a meeting's pack whenever one of its files changes.

The loop polls the files a build reads (:func:`watched_files`) by
modification time and size every ``interval`` seconds; when something
changed, it waits until the files have been quiet for ``settle`` seconds
(a paper still being copied in is not built half-written), then rebuilds.
The caller passes an :class:`OfficeServer` in the build options, so every
rebuild converts through one LibreOffice kept running, and the watcher
builds through one :class:`~packbuilder.session.BuildSession`, so a rebuild
parses again only the papers and templates that changed.

A failed rebuild (a damaged paper, the meeting file mid-edit) is reported
and the loop keeps watching; the next change tries again. Nothing here
prints: what happens is told to the :class:`Events` the caller gives.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from . import api
from .definition import load_meeting
from .documents import load_plans
from .exceptions import BuildInterrupted, PackbuilderError
from .forwardplan.load import load_plan
from .forwardplan.model import Plan
from .manifest import input_files
from .model import FileSource, ItemStatus, Meeting
from .session import BuildSession

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
class Events:
    """What the loop tells its caller: a build began, succeeded or failed, a note."""

    changed: Callable[[list[Path]], None] = lambda paths: None
    built: Callable[[api.BuildResult], None] = lambda result: None
    failed: Callable[[PackbuilderError], None] = lambda error: None
    note: Callable[[str], None] = lambda message: None


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
    (:attr:`api.BuildResult.plans`); without, they are loaded here. The
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
        return yaml.safe_load(path.read_bytes())
    except Exception:  # noqa: BLE001 - any failure only means less is known
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


class Watcher:
    """Build once, then rebuild after every change to the meeting's files.

    ``sleep`` is the pause between polls (tests pass a faster one); ``stop``
    (given to :meth:`run`) is asked between polls and ends the loop. Every
    build goes through ``options.session``, or a session of the watcher's own.
    """

    def __init__(
        self,
        meeting: Path,
        options: api.BuildOptions,
        events: Events | None = None,
        *,
        interval: float = DEFAULT_INTERVAL,
        settle: float = DEFAULT_SETTLE,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.meeting = Path(meeting)
        if options.session is None:
            options = replace(options, session=BuildSession())
        self.options = options
        self.events = events or Events()
        self.interval, self.settle, self.sleep = interval, settle, sleep
        self.watched = Watched([self.meeting])
        self.state: dict[Path, Stamp] = {}
        self.builds = 0
        self.building = False  # True while a build runs (so Ctrl-C stopped it)

    def run(self, stop: Callable[[], bool] = lambda: False, max_builds: int | None = None) -> int:
        """Build now and after each change until ``stop()`` or ``max_builds``; return builds.

        The files are stamped before each build, so a change made during a
        build brings another.
        """
        self._refresh(None)
        self.build()
        while max_builds is None or self.builds < max_builds:
            changes = self.wait_for_change(stop)
            if changes is None:
                break
            self._note_arrivals(changes)
            self.events.changed(changes)
            self.build()
        return self.builds

    def build(self) -> api.BuildResult | None:
        """One build; reported to the events. Ctrl-C (KeyboardInterrupt) is not caught."""
        self.builds += 1
        result = None
        self.building = True
        try:
            result = api.build(self.meeting, self.options)
        except BuildInterrupted:
            raise  # Ctrl-C while publishing: the CLI says what was published
        except PackbuilderError as exc:
            self.building = False
            self.events.failed(exc)
        else:
            self.building = False
            self.events.built(result)
        if result is not None:
            self._refresh(result.meeting, result.plans)
        else:
            self._refresh(None)
        return result

    def wait_for_change(self, stop: Callable[[], bool]) -> list[Path] | None:
        """Poll until a watched file changes and the files settle; None when ``stop()``."""
        while not stop():
            self.sleep(self.interval)
            current = snapshot(self.watched.paths())
            if current == self.state:
                continue
            while not stop():
                self.sleep(self.settle)
                again = snapshot(self.watched.paths())
                if again == current:
                    changes = changed_files(self.state, current)
                    self.state = current
                    return changes
                current = again
        return None

    def _refresh(self, meeting: Meeting | None, plans: Mapping[Path, Plan] | None = None) -> None:
        """Watch the files of ``meeting`` and ``plans`` as a build read them, or (None) as
        they load now; when they do not load, what can still be known of them."""
        try:
            watched = watched_files(meeting or load_meeting(self.meeting), plans)
        except PackbuilderError:
            watched = fallback_files(self.meeting, self._outputs())
        # Files newly watched are stamped now: a later change to them counts. Those watched
        # already keep their stamp from before the build, so a change during it counts too.
        self.state = {p: self.state[p] if p in self.state else stamp(p) for p in watched.paths()}
        self.watched = watched

    def _outputs(self) -> list[Path]:
        """The folders builds write to, never watched: the output folder and the cache."""
        output = self.options.output_dir or api.default_output_dir(self.meeting)
        return [Path(output), *([self.options.cache_dir] if self.options.cache_dir else [])]

    def _note_arrivals(self, changes: list[Path]) -> None:
        for path in changes:
            number = self.watched.expected.get(path)
            if number is not None and path.exists():
                self.events.note(
                    f"{path.name} has arrived; item {number} is still To Follow, so it is "
                    "not in the pack until you remove its 'status: to-follow'"
                )
