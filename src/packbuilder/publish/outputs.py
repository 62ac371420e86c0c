"""Writing outputs: a staging folder beside the output folder, published in one swap.

Everything a build writes goes into ``.<name>.staging-XXXX`` next to the
output folder, on the same file system. Only when every file is complete is
the old folder renamed aside and the new one renamed into place; the old one
is then deleted. A build that fails or is interrupted before that point
leaves the previous outputs exactly as they were. If the process dies
between the two renames, the next run puts the previous folder back first.

The names beside the output folder (its lock, staging and set-aside
folders) are derived from its absolute path, so ``-o .`` and ``-o ..`` work.

Only packbuilder's own folders and files are ever replaced (:mod:`.ownership`):
a folder is packbuilder's only if its marker (``manifest.json``,
``forward-plan.json``) says so, and the files it replaces are those the marker
lists. A folder holding anything else too (a clerk's notes saved beside the
pack), or the current folder (which cannot be swapped: the shell standing in
it would be left in a deleted folder), is published into file by file, and
nothing but packbuilder's files is moved or deleted.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..datefmt import date_or_text, day_month_year, weekday_date
from ..exceptions import BuildInterrupted, InputError, OutputError, PackbuilderError
from ..model.meeting import SUPPLEMENT_KIND
from . import ownership
from .lock import DEFAULT_WAIT, build_lock

MANIFEST = ownership.MANIFEST
FORWARD_PLAN_SUMMARY = ownership.FORWARD_PLAN_SUMMARY  # a forward plan edition's summary
PACK_MARKER = f"members/{MANIFEST}"
"""The file that marks a pack's output folder as packbuilder's and lists every file the build
wrote (the full manifest). A folder written before the public/members split has its manifest
at the top (:data:`MANIFEST`); it is still recognised, read and replaced."""


def marker_in(folder: Path, marker: str) -> str:
    """Which marker ``folder`` holds for outputs of ``marker``'s kind: for a pack,
    :data:`PACK_MARKER`, else the older :data:`MANIFEST` when that is there; for a forward
    plan edition, its summary."""
    if marker not in (MANIFEST, PACK_MARKER):
        return marker
    if not (folder / PACK_MARKER).is_file() and (folder / MANIFEST).is_file():
        return MANIFEST
    return PACK_MARKER


def _describe_os_error(exc: OSError, path: Path) -> OutputError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(
            f"the disk is full while writing {path}",
            hint="free some space and build again; the previous outputs are untouched",
        )
    if exc.errno == errno.EROFS:
        return OutputError(
            f"cannot write in {path.parent}: the disk is read-only",
            hint="choose a folder on a writable disk with --output",
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return OutputError(
            f"no permission to write in {path.parent}",
            hint="choose a folder you can write to with --output, or fix its permissions",
        )
    return OutputError(
        f"cannot write {path}: {exc.strerror or exc}",
        hint="check that the folder exists and is writable and that the disk is working, "
        "or choose another folder with --output",
    )


def absolute(path: Path) -> Path:
    """``path`` made absolute without following links: ``.`` is the current folder's path."""
    return Path(os.path.abspath(path))


def shown_name(output_dir: Path) -> Path:
    """How to name the output folder in messages: as given, unless that has no name of its
    own (``.``, ``..``), when its absolute path says more."""
    return output_dir if output_dir.name not in ("", "..") else absolute(output_dir)


def check_folders_above(output_dir: Path) -> None:
    """Refuse an output folder below a file (``-o notes.txt/pack``), naming the file."""
    for parent in output_dir.parents:
        try:
            if parent.is_dir():
                return
            if parent.exists() or parent.is_symlink():
                raise OutputError(
                    f"{parent} is a file, not a folder",
                    hint="choose another output folder with -o/--output",
                )
        except OSError:
            return  # cannot look: creating the folders will say why


def recover(output_dir: Path) -> None:
    """Put back a previous output folder left aside by a build that died mid-swap.

    Also removes staging folders left by builds that were killed. Call it only
    while holding the output folder's lock (:mod:`packbuilder.publish.lock`): then no
    other build of the folder is running and every staging folder is stale.
    """
    for stale in output_dir.parent.glob(f".{output_dir.name}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)  # made and filled by packbuilder alone
    if output_dir.exists():
        for leftover in output_dir.parent.glob(f".{output_dir.name}.old-*"):
            owned = (
                ownership.owned_files(leftover, marker_in(leftover, MANIFEST))
                or ownership.owned_files(leftover, FORWARD_PLAN_SUMMARY)
                or set()
            )
            ownership.clear_aside(leftover, owned, output_dir)
        return
    olds = sorted(output_dir.parent.glob(f".{output_dir.name}.old-*"))
    if olds:
        with contextlib.suppress(OSError):
            os.rename(olds[-1], output_dir)


def check_output_dir(output_dir: Path, marker: str = MANIFEST, kind: str | None = None) -> None:
    """Refuse to replace a non-empty folder that packbuilder did not write.

    ``marker`` is the file every output folder of this kind holds (the pack's
    ``manifest.json``, the forward plan's summary). A folder holding another
    kind of packbuilder output (an agenda pack where a forward plan edition
    is being built, or the reverse) is refused with what it holds. With
    ``kind``, a folder holding another kind of pack (a main agenda where a
    supplement is being built, or the reverse) is refused too.
    """
    if output_dir.exists() and not output_dir.is_dir():
        raise OutputError(
            f"{output_dir} exists and is not a folder", hint="choose another --output folder"
        )
    found = marker_in(output_dir, marker)
    if output_dir.is_dir() and (output_dir / found).exists():
        if ownership.owned_files(output_dir, found) is None:
            raise OutputError(
                f"{output_dir} holds a {found} that packbuilder did not write (another "
                "program's), so the folder is not packbuilder's",
                hint="choose another folder with --output: packbuilder builds only into an "
                "empty folder or one it built before",
            )
    elif output_dir.is_dir() and any(output_dir.iterdir()):
        holds = _other_output(output_dir, marker)
        if holds is not None:
            raise OutputError(
                f"{output_dir} holds {holds}; building {_building(marker, kind)} there would "
                "replace it",
                hint="choose another folder with -o/--output; agenda packs and the forward "
                "plan each need a folder of their own",
            )
        raise OutputError(
            f"{output_dir} already holds files that packbuilder did not write",
            hint="packbuilder replaces its output folder as a whole; choose an empty or new "
            "folder with --output",
        )
    if kind is not None and (output_dir / found).is_file():
        holds = _manifest_kind(output_dir / found)
        if holds is not None and holds != kind:
            raise OutputError(
                f"{output_dir} holds the {holds} pack; building the {kind} there would replace it",
                hint="choose another folder with --output (each pack has a folder of its own)",
            )


def _building(marker: str, kind: str | None) -> str:
    """What is being built, for a message: ``the supplementary agenda pack``."""
    if marker == FORWARD_PLAN_SUMMARY:
        return "the forward plan edition"
    return f"the {(kind or 'Agenda').lower()} pack"


def _other_output(output_dir: Path, marker: str) -> str | None:
    """What another kind of packbuilder output in ``output_dir`` is, for a message; None if
    the folder holds none (``an agenda pack (Overview and Scrutiny Board, 11 May 2022)``)."""
    pack = marker_in(output_dir, MANIFEST)
    if marker not in (MANIFEST, PACK_MARKER) and ownership.owned_files(output_dir, pack):
        return _describe_pack(_read_json(output_dir / pack))
    summary = FORWARD_PLAN_SUMMARY
    if marker != summary and ownership.owned_files(output_dir, summary) is not None:
        return _describe_edition(_read_json(output_dir / summary))
    return None


def _describe_pack(manifest: dict[str, Any]) -> str:
    """``an agenda pack (Overview and Scrutiny Board, Wednesday 11 May 2022)``, or as much
    of it as the manifest says."""
    kind = manifest.get("kind")
    what = "a supplementary agenda pack" if kind == SUPPLEMENT_KIND else "an agenda pack"
    meeting = manifest.get("meeting")
    meeting = meeting if isinstance(meeting, dict) else {}
    title, day = meeting.get("title"), meeting.get("date")
    details = [str(title)] if title else []
    if day:
        details.append(date_or_text(day, weekday_date))
    return f"{what} ({', '.join(details)})" if details else what


def _describe_edition(summary: dict[str, Any]) -> str:
    """``a forward plan edition (Executive Forward Work Programme, 3 May 2022)``."""
    title, day = summary.get("title"), summary.get("as_of")
    details = [str(title)] if title else []
    if day:
        details.append(date_or_text(day, day_month_year))
    what = "a forward plan edition"
    return f"{what} ({', '.join(details)})" if details else what


def _read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``; empty when it cannot be read or is not an object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _manifest_kind(path: Path) -> str | None:
    """The ``kind`` a packbuilder manifest records (``Agenda``, ``Supplementary Agenda``)."""
    data = _read_json(path)
    kind = data.get("kind")
    return kind if isinstance(kind, str) and ownership.is_pack_manifest(data) else None


@contextlib.contextmanager
def staged_output(
    output_dir: Path,
    *,
    marker: str = MANIFEST,
    kind: str | None = None,
    wait: float = DEFAULT_WAIT,
    progress: Callable[[str], None] | None = None,
) -> Iterator[Path]:
    """Lock ``output_dir`` and yield a staging folder to write every output into.

    When the body finishes, the staging folder replaces ``output_dir`` in one
    swap; when it fails (or is interrupted), the staging folder is discarded
    and ``output_dir`` is left exactly as it was. Errors writing into the
    staging folder are re-worded to name the output folder.
    """
    folder, shown = absolute(output_dir), shown_name(output_dir)
    check_folders_above(shown)
    with build_lock(shown, wait=wait, progress=progress):
        recover(folder)
        check_output_dir(shown, marker, kind)
        staging = make_staging_dir(folder, shown)
        try:
            yield staging
        except (OSError, OutputError) as exc:
            discard(staging)
            raise staging_error(exc, staging, shown) from exc
        except BaseException:
            discard(staging)
            raise
        try:
            publish(staging, folder, shown=shown, marker=marker)
        finally:
            discard(staging)  # gone once published; a failed swap leaves the old folder


def make_staging_dir(output_dir: Path, shown: Path | None = None) -> Path:
    """Create the staging folder for ``output_dir`` (and its parents); ``shown`` names the
    output folder in messages."""
    folder = absolute(output_dir)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{folder.name}.staging-", dir=folder.parent))
    except OSError as exc:
        raise _describe_os_error(exc, shown or output_dir) from exc


def discard(staging: Path) -> None:
    """Remove a staging folder after a failed build."""
    shutil.rmtree(staging, ignore_errors=True)


def publish(
    staging: Path, output_dir: Path, *, shown: Path | None = None, marker: str = MANIFEST
) -> None:
    """Replace ``output_dir`` with ``staging`` so readers see the old or the new, never half.

    Ctrl-C (or SIGTERM) during the swap is held until the swap is complete, so
    it cannot leave the previous folder renamed aside and the new one not yet
    in place; it is then reported as :class:`BuildInterrupted`, saying that the
    new outputs were published. ``shown`` names the output folder in messages;
    ``marker`` is the file that marks it as packbuilder's and lists the files it
    wrote: only those are replaced or removed (:mod:`.ownership`).
    """
    folder, shown = absolute(output_dir), shown or output_dir
    _make_readable(staging)
    _sync(staging)
    old_marker = marker_in(folder, marker)
    owned = (ownership.owned_files(folder, old_marker) or set()) if folder.is_dir() else set()
    marker = marker_in(staging, marker)  # the new outputs' marker (the pack's: members/)
    with _interrupts_held() as received:
        if _holds_current_folder(folder) or (
            folder.is_dir() and not ownership.only_owned(folder, owned)
        ):
            try:  # the current folder, or one holding files that are not packbuilder's
                ownership.replace_files(staging, folder, owned, marker)
            except OSError as exc:
                raise _describe_os_error(exc, shown) from exc
            _sync_folder(folder)
        else:
            _swap(staging, folder, shown, owned)
        _sync_folder(folder.parent)
    if received:
        raise BuildInterrupted(
            f"interrupted; the new outputs in {shown} had already been published and are complete"
        )


def _make_readable(staging: Path) -> None:
    """Give the staging folder the permissions a new folder gets (mkdtemp makes it 0700).

    The published folder is read by others (a web server publishing the pack,
    colleagues on a shared drive), so it must not stay private to its builder.
    """
    umask = os.umask(0)
    os.umask(umask)
    with contextlib.suppress(OSError):
        os.chmod(staging, 0o777 & ~umask)


def _sync(staging: Path) -> None:
    """Flush every file and folder written to the disk before they are published.

    Without it a power cut just after the swap could leave the published
    folder holding empty files where the previous pack was.
    """
    for folder, _subfolders, files in os.walk(staging):
        for name in files:
            with contextlib.suppress(OSError):
                fd = os.open(os.path.join(folder, name), os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        _sync_folder(Path(folder))


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _interrupts_held() -> Iterator[list[int]]:
    """Within the block, SIGINT and SIGTERM are recorded in the yielded list, not acted on."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received  # signal handlers can only be changed in the main thread
        return
    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(signum)
        if handler is None:  # installed outside Python: leave it alone
            continue
        previous[signum] = handler
        signal.signal(signum, lambda number, frame: received.append(number))
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _swap(staging: Path, output_dir: Path, shown: Path, owned: set[str]) -> None:
    old = None
    try:
        if output_dir.exists():
            old = output_dir.parent / f".{output_dir.name}.old-{uuid.uuid4().hex[:8]}"
            os.rename(output_dir, old)
        os.rename(staging, output_dir)
    except OSError as exc:
        if old is not None and old.exists() and not output_dir.exists():
            with contextlib.suppress(OSError):
                os.rename(old, output_dir)
        raise _describe_os_error(exc, shown) from exc
    if old is not None:  # its files are packbuilder's; anything put there since goes back
        ownership.clear_aside(old, owned, output_dir)


def _holds_current_folder(folder: Path) -> bool:
    """Whether the process stands in ``folder`` (absolute), or in a folder inside it."""
    try:
        current = Path.cwd()
    except OSError:
        return False
    return folder == current or folder in current.parents


def staging_error(exc: OSError | OutputError, staging: Path, output_dir: Path) -> PackbuilderError:
    """An error while writing into the staging folder, re-worded for the clerk.

    The clerk never sees the staging folder's name: the message names the
    output folder (``build/osb/pack.pdf``), says what to do and that the
    previous outputs are untouched. An :class:`OSError` about a file outside
    the staging folder (a paper that vanished during the build) is an
    :class:`InputError` naming that file.
    """
    untouched = f"the previous outputs in {output_dir} are untouched"

    def place(text: str | None) -> str | None:
        return text.replace(str(staging), str(output_dir)) if text else text

    if isinstance(exc, OutputError):
        hint = place(exc.hint) or "check that the folder is writable and the disk is not full"
        return OutputError(
            place(exc.message) or "", hint=f"{hint}; {untouched}", where=place(exc.where)
        )
    name = exc.filename if isinstance(exc.filename, str) else None
    inside = name is None or name.startswith(str(staging))
    if not inside and exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
        return InputError(
            f"cannot read {name}: {exc.strerror or exc}",
            hint=f"check that the file is still there and readable, then build again; {untouched}",
        )
    path = Path(place(name)) if name and inside else output_dir
    error = _describe_os_error(exc, path)
    if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
        error.hint = f"{error.hint or 'check the folder and the disk'}; {untouched}"
    return error
