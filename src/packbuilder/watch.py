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

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import api
from .definition import load_meeting
from .exceptions import BuildInterrupted, PackbuilderError
from .forwardplan.load import load_plan
from .manifest import input_files
from .model import FileSource, ForwardPlanSource, ItemStatus, Meeting
from .session import BuildSession

Stamp = tuple[int, int] | None
"""A file's (modification time in ns, size), or None when it does not exist."""

DEFAULT_INTERVAL = 1.0
DEFAULT_SETTLE = 0.5


@dataclass
class Events:
    """What the loop tells its caller: a build began, succeeded or failed, a note."""

    changed: Callable[[list[Path]], None] = lambda paths: None
    built: Callable[[api.BuildResult], None] = lambda result: None
    failed: Callable[[PackbuilderError], None] = lambda error: None
    note: Callable[[str], None] = lambda message: None


@dataclass
class Watched:
    """The files one meeting's build depends on, and the papers still to follow."""

    files: list[Path]
    expected: dict[Path, str] = field(default_factory=dict)  # to-follow paper -> item number


def watched_files(meeting: Meeting) -> Watched:
    """The build's input files, the papers of items to follow, the forward plans' folders.

    The folders of forward-plan entry files are watched too, so that a new
    entries file dropped into one is noticed.
    """
    files = list(input_files(meeting))
    expected: dict[Path, str] = {}
    for item in meeting.items:
        for paper in item.papers:
            for document in paper.documents:
                source = document.source
                if item.status is ItemStatus.TO_FOLLOW and isinstance(source, FileSource):
                    expected[source.path] = item.number
                elif item.status is ItemStatus.NORMAL and isinstance(source, ForwardPlanSource):
                    files += _plan_folders(source.plan)
    files += expected
    return Watched(list(dict.fromkeys(files)), expected)


def _plan_folders(plan: Path) -> list[Path]:
    """A forward plan's folder, or the folders its entries files are in."""
    if plan.is_dir():
        return [plan]
    entries = load_plan(plan).entries
    return sorted({e.origin.file.parent for e in entries if e.origin and e.origin.file != plan})


def stamp(path: Path) -> Stamp:
    """``path``'s (mtime in ns, size), or None when it is missing."""
    try:
        info = path.stat()
    except OSError:
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
        self._refresh(result.meeting if result else None)
        return result

    def wait_for_change(self, stop: Callable[[], bool]) -> list[Path] | None:
        """Poll until a watched file changes and the files settle; None when ``stop()``."""
        while not stop():
            self.sleep(self.interval)
            current = snapshot(self.watched.files)
            if current == self.state:
                continue
            while not stop():
                self.sleep(self.settle)
                again = snapshot(self.watched.files)
                if again == current:
                    changes = changed_files(self.state, current)
                    self.state = current
                    return changes
                current = again
        return None

    def _refresh(self, meeting: Meeting | None) -> None:
        """Watch the files of ``meeting`` (loading it if None); on failure, keep the old list."""
        try:
            watched = watched_files(meeting or load_meeting(self.meeting))
        except PackbuilderError:
            return  # the meeting or a plan does not load: the same files, and the meeting
        # Files newly watched are stamped now: a later change to them counts.
        self.state = {p: self.state[p] if p in self.state else stamp(p) for p in watched.files}
        self.watched = watched

    def _note_arrivals(self, changes: list[Path]) -> None:
        for path in changes:
            number = self.watched.expected.get(path)
            if number is not None and path.exists():
                self.events.note(
                    f"{path.name} has arrived; item {number} is still To Follow, so it is "
                    "not in the pack until you remove its 'status: to-follow'"
                )
