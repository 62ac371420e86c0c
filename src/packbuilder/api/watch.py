"""The ``watch`` front door: build, then rebuild whenever one of the meeting's files changes.

The loop polls the files a build reads (:func:`..late.watch.watched_files`)
by modification time and size every ``interval`` seconds; when something
changed, it waits until the files have been quiet for ``settle`` seconds
(a paper still being copied in is not built half-written), then rebuilds
through :func:`.build.build`. The caller passes an office server in the build
options, so every rebuild converts through one LibreOffice kept running, and
the watcher builds through one :class:`~..inputs.session.BuildSession`, so a
rebuild parses again only the papers and templates that changed.

A failed rebuild (a damaged paper, the meeting file mid-edit) is reported
and the loop keeps watching; the next change tries again. Nothing here
prints: what happens is told to the :class:`Events` the caller gives.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ..exceptions import BuildInterrupted, PackbuilderError
from ..inputs.session import BuildSession
from ..late.watch import (
    DEFAULT_INTERVAL,
    DEFAULT_SETTLE,
    Stamp,
    Watched,
    changed_files,
    fallback_files,
    snapshot,
    stamp,
    watched_files,
)
from ..load.meeting import load_meeting
from ..model.forwardplan import Plan
from ..model.meeting import Meeting
from .meeting import BuildOptions, BuildResult, build, default_output_dir


@dataclass
class Events:
    """What the loop tells its caller: a build began, succeeded or failed, a note."""

    changed: Callable[[list[Path]], None] = lambda paths: None
    built: Callable[[BuildResult], None] = lambda result: None
    failed: Callable[[PackbuilderError], None] = lambda error: None
    note: Callable[[str], None] = lambda message: None


class Watcher:
    """Build once, then rebuild after every change to the meeting's files.

    ``sleep`` is the pause between polls (tests pass a faster one); ``stop``
    (given to :meth:`run`) is asked between polls and ends the loop. Every
    build goes through ``options.session``, or a session of the watcher's own.
    """

    def __init__(
        self,
        meeting: Path,
        options: BuildOptions,
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

    def build(self) -> BuildResult | None:
        """One build; reported to the events. Ctrl-C (KeyboardInterrupt) is not caught."""
        self.builds += 1
        result = None
        self.building = True
        try:
            result = build(self.meeting, self.options)
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
        output = self.options.output_dir or default_output_dir(self.meeting)
        return [Path(output), *([self.options.cache_dir] if self.options.cache_dir else [])]

    def _note_arrivals(self, changes: list[Path]) -> None:
        for path in changes:
            number = self.watched.expected.get(path)
            if number is not None and path.exists():
                self.events.note(
                    f"{path.name} has arrived; item {number} is still To Follow, so it is "
                    "not in the pack until you remove its 'status: to-follow'"
                )
