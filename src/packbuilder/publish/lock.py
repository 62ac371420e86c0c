"""One build at a time per output folder: an advisory lock beside the folder.

Two builds of the same meeting (a clerk pressing Enter twice, a cron job
meeting a clerk's manual run) would otherwise race to replace the same
output folder. :func:`build_lock` takes an exclusive ``flock`` on
``.<folder>.lock`` next to the output folder for the whole build and removes
the file when the build ends, however it ends (only a build killed outright
leaves it; the next build uses it and removes it); a second build waits for
it up to ``wait`` seconds, then fails with
:class:`~packbuilder.exceptions.BuildLockedError` saying when the build that
holds it started.

What the lock file holds, and why no more: the lock is the ``flock`` itself,
which the operating system releases when the holder exits, however it exits
(a crash, ``kill -9``, a power cut), so there is never a stale lock to detect
and nothing in the file is needed for that: no process id to probe, no host
name, no program path. The file records only when the holding build started
(``{"started": "2022-05-03T10:15:02+01:00"}``), for the waiting clerk's message.
The lock file may sit in a folder that is published (``build/`` on a web
server), so it carries nothing about the machine or the user. To find the
process that holds it: ``fuser -v build/.osb-2022-05-11.lock``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..exceptions import BuildLockedError, OutputError

DEFAULT_WAIT = 10.0
"""Seconds a build waits for another build of the same output folder by default."""
POLL = 0.1


def lock_path(output_dir: Path) -> Path:
    """``build/.osb-2022-05-11.lock`` for ``build/osb-2022-05-11``, as an absolute path
    (so that ``.``, the current folder, has its lock beside it, not in it)."""
    folder = Path(os.path.abspath(output_dir))
    return folder.parent / f".{folder.name}.lock"


@contextlib.contextmanager
def build_lock(
    output_dir: Path,
    *,
    wait: float = DEFAULT_WAIT,
    progress: Callable[[str], None] | None = None,
) -> Iterator[Path]:
    """Hold the output folder's lock for the duration of the block.

    Waits up to ``wait`` seconds (0: do not wait) for another build holding
    it, then raises :class:`BuildLockedError`. Raises :class:`OutputError` when
    the lock file cannot be created (the folder is not writable).
    """
    path = lock_path(output_dir)
    deadline = time.monotonic() + max(0.0, wait)
    while True:
        fd = _open_lock(path)
        try:
            _acquire(fd, path, output_dir, wait, deadline, progress)
        except BaseException:
            os.close(fd)
            raise
        if _still_there(fd, path):
            break
        os.close(fd)  # its holder removed it as it finished: take the one there now
    try:
        _write_holder(fd)
        yield path
    finally:
        # Removed while still held, so a build waiting on this file finds it gone when it
        # gets the lock (:func:`_still_there`) and locks the file at the path instead.
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)  # closing the descriptor releases the lock


def _open_lock(path: Path) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        raise _cannot_lock(exc, path) from exc


def _still_there(fd: int, path: Path) -> bool:
    """Whether the file locked through ``fd`` is still the one at ``path``."""
    try:
        here, locked = os.stat(path), os.fstat(fd)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (locked.st_dev, locked.st_ino)


def _acquire(
    fd: int,
    path: Path,
    output_dir: Path,
    wait: float,
    deadline: float,
    progress: Callable[[str], None] | None,
) -> None:
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise _cannot_lock(exc, path) from exc
        if time.monotonic() >= deadline:
            holder = describe_holder(path)
            waited = f"; waited {wait:g} s for it to finish" if wait > 0 else ""
            raise BuildLockedError(
                f"another build is writing {output_dir}{holder}{waited}",
                hint="wait for that build to finish, then build again (or give --wait SECONDS "
                f"to wait longer); if it is stuck, stop it (fuser -v {path} names its "
                "process). The lock is released as soon as it ends, and its outputs are "
                "never half-written",
            )
        if not told and progress is not None:
            progress(f"Waiting for another build of {output_dir}{describe_holder(path)}")
            told = True
        time.sleep(POLL)


def _write_holder(fd: int) -> None:
    """Record when the holding build started, for the message another build shows (and
    nothing else: see the module's description)."""
    info = {"started": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(info) + "\n").encode(), 0)


def describe_holder(path: Path) -> str:
    """`` (started 2022-05-03 10:15:02)``, or empty when unknown."""
    try:
        started = json.loads(path.read_text(encoding="utf-8"))["started"]
        moment = dt.datetime.fromisoformat(started)
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    return f" (started {moment.strftime('%Y-%m-%d %H:%M:%S')})"


def _cannot_lock(exc: OSError, path: Path) -> OutputError:
    if exc.errno in (errno.EACCES, errno.EPERM):
        what = f"no permission to write in {path.parent}"
    elif exc.errno == errno.EROFS:
        what = f"cannot write in {path.parent}: the disk is read-only"
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        what = f"the disk is full: cannot create {path}"
    else:
        what = f"cannot lock {path}: {exc.strerror or exc}"
    return OutputError(
        what,
        hint="choose an output folder you can write to with --output (on a local disk that "
        "supports file locks); the previous outputs are untouched",
    )
