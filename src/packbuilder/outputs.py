"""Writing outputs: a staging folder beside the output folder, published in one swap.

Everything a build writes goes into ``.<name>.staging-XXXX`` next to the
output folder, on the same file system. Only when every file is complete is
the old folder renamed aside and the new one renamed into place; the old one
is then deleted. A build that fails or is interrupted before that point
leaves the previous outputs exactly as they were. If the process dies
between the two renames, the next run puts the previous folder back first.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from .exceptions import OutputError

MANIFEST = "manifest.json"


def _describe_os_error(exc: OSError, path: Path) -> OutputError:
    if exc.errno == errno.ENOSPC:
        return OutputError(
            f"the disk is full while writing {path}",
            hint="free some space and build again; the previous outputs are untouched",
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(
            f"no permission to write in {path.parent}",
            hint="choose a folder you can write to with --output, or fix its permissions",
        )
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")


def recover(output_dir: Path) -> None:
    """Put back a previous output folder left aside by a build that died mid-swap."""
    if output_dir.exists():
        for leftover in output_dir.parent.glob(f".{output_dir.name}.old-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        return
    olds = sorted(output_dir.parent.glob(f".{output_dir.name}.old-*"))
    if olds:
        with contextlib.suppress(OSError):
            os.rename(olds[-1], output_dir)


def check_output_dir(output_dir: Path) -> None:
    """Refuse to replace a non-empty folder that packbuilder did not write."""
    if output_dir.exists() and not output_dir.is_dir():
        raise OutputError(
            f"{output_dir} exists and is not a folder", hint="choose another --output folder"
        )
    if output_dir.is_dir() and any(output_dir.iterdir()) and not (output_dir / MANIFEST).exists():
        raise OutputError(
            f"{output_dir} already holds files that packbuilder did not write",
            hint="packbuilder replaces its output folder as a whole; choose an empty or new "
            "folder with --output",
        )


def make_staging_dir(output_dir: Path) -> Path:
    """Create the staging folder for ``output_dir`` (and its parents)."""
    try:
        output_dir.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.staging-", dir=output_dir.parent))
    except OSError as exc:
        raise _describe_os_error(exc, output_dir) from exc


def discard(staging: Path) -> None:
    """Remove a staging folder after a failed build."""
    shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Path, output_dir: Path) -> None:
    """Replace ``output_dir`` with ``staging`` so readers see the old or the new, never half."""
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
        raise _describe_os_error(exc, output_dir) from exc
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write a single file atomically (temp file in the same folder, then rename)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise _describe_os_error(exc, path) from exc
