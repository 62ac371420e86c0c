"""LibreOffice (``soffice``), the one place it is started, timed out and killed.

Each run gets its own throw-away profile (``-env:UserInstallation``) so two
builds never share one, runs in its own process group, and is killed as a
group (``soffice`` forks ``oosplash`` and ``soffice.bin``) on timeout or
Ctrl-C. Every expected output is checked: LibreOffice exits 0 even when it
could not convert a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from ..exceptions import ConversionTimeoutError, ConverterError, ConverterMissingError

INSTALL_HINT = (
    "install LibreOffice and the fonts with: sudo apt-get install libreoffice-writer-nogui "
    "fonts-liberation2 fonts-crosextra-carlito (or set PACKBUILDER_SOFFICE to the soffice program)"
)
PDF_FILTER = "pdf:writer_pdf_Export"


def find_soffice() -> str:
    """The ``soffice`` program to run: ``$PACKBUILDER_SOFFICE`` or the first on PATH."""
    configured = os.environ.get("PACKBUILDER_SOFFICE")
    if configured:
        found = shutil.which(configured)
        if not found:
            raise ConverterMissingError(
                f"PACKBUILDER_SOFFICE is set to '{configured}', which is not a program",
                hint=INSTALL_HINT,
            )
        return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConverterMissingError(
        "LibreOffice (soffice) is not installed; it is needed to convert Word documents",
        hint=INSTALL_HINT,
    )


@cache
def converter_identity(program: str) -> str:
    """A short fingerprint of the LibreOffice installation, part of every cache key."""
    real = Path(program).resolve()
    try:
        stat = real.stat()
        stamp = f"{real}:{stat.st_size}:{int(stat.st_mtime)}"
    except OSError:
        stamp = str(real)
    return hashlib.sha256(f"{stamp}|{PDF_FILTER}".encode()).hexdigest()[:16]


class ConversionStopped(ConverterError):
    """A run was refused or killed because its conversion was stopped (see :class:`Runs`)."""


class Runs:
    """The LibreOffice runs of one conversion, so that they can all be stopped at once.

    A converter that runs LibreOffice in worker threads passes one ``Runs`` to
    every :func:`convert_to_pdf`; when the main thread is interrupted (Ctrl-C)
    or one run fails, :meth:`stop` kills the process group of every run still
    going and makes any run not yet started fail at once, so no LibreOffice is
    left behind and nothing waits for a timeout.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._processes: set[subprocess.Popen] = set()
        self.stopped = False

    def start(self, command: list[str], **options: object) -> subprocess.Popen:
        with self._lock:
            if self.stopped:
                raise ConversionStopped("the conversion was stopped")
            process = subprocess.Popen(command, **options)
            self._processes.add(process)
            return process

    def finished(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._processes.discard(process)

    def stop(self) -> None:
        """Kill every running LibreOffice of this conversion; refuse new ones."""
        with self._lock:
            self.stopped = True
            running = list(self._processes)
        for process in running:
            _kill_group(process)


def convert_to_pdf(
    inputs: Sequence[Path], outdir: Path, *, timeout: float, runs: Runs | None = None
) -> dict[Path, Path]:
    """Convert ``inputs`` (which must have distinct file names) to PDF in ``outdir``.

    Returns input -> output PDF. Raises :class:`ConversionTimeoutError` when the
    run takes longer than ``timeout`` seconds (the process group is killed) and
    :class:`ConverterError` naming the file when an expected PDF is missing.
    ``runs`` lets another thread stop the run (see :class:`Runs`).
    """
    program = find_soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="packbuilder-lo-profile-") as profile:
        command = [
            program,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--invisible",
            "--nodefault",
            "--nolockcheck",
            "--nologo",
            "--norestore",
            "--convert-to",
            PDF_FILTER,
            "--outdir",
            str(outdir),
            *(str(p) for p in inputs),
        ]
        output = _run_group(command, timeout=timeout, what=_names(inputs), runs=runs)
    results: dict[Path, Path] = {}
    for source in inputs:
        pdf = outdir / (source.stem + ".pdf")
        if not _looks_like_pdf(pdf):
            raise ConverterError(
                f"LibreOffice did not convert {source.name} to PDF",
                hint="open it in Word or LibreOffice to check it is not damaged, save it "
                "again as .docx, and rebuild" + (f"; LibreOffice said: {output}" if output else ""),
            )
        results[source] = pdf
    return results


def _names(inputs: Sequence[Path]) -> str:
    return ", ".join(p.name for p in inputs)


def _looks_like_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False


def _run_group(command: list[str], *, timeout: float, what: str, runs: Runs | None = None) -> str:
    """Run ``command`` in its own process group; kill the whole group on timeout or Ctrl-C."""
    env = dict(os.environ, SAL_USE_VCLPLUGIN="svp", HOME=os.environ.get("HOME", "/tmp"))
    runs = runs or Runs()
    try:
        process = runs.start(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
        )
    except OSError as exc:
        raise ConverterMissingError(
            f"could not start LibreOffice ({exc.strerror})", hint=INSTALL_HINT
        ) from exc
    try:
        return _wait(process, timeout=timeout, what=what, runs=runs)
    finally:
        runs.finished(process)


def _wait(process: subprocess.Popen, *, timeout: float, what: str, runs: Runs) -> str:
    try:
        stdout, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise ConversionTimeoutError(
            f"LibreOffice took longer than {timeout:.0f} s converting {what} and was stopped",
            hint="open the document in Word to check it is not damaged, or raise the limit "
            "with --timeout",
        ) from None
    except BaseException:
        _kill_group(process)
        raise
    text = stdout.decode("utf-8", "replace").strip()
    if runs.stopped:
        raise ConversionStopped(f"the conversion of {what} was stopped")
    if process.returncode != 0:
        raise ConverterError(
            f"LibreOffice failed (exit code {process.returncode}) converting {what}",
            hint=f"LibreOffice said: {text[-500:] or 'nothing'}",
        )
    return "\n".join(line for line in text.splitlines() if "Error" in line)[-500:]


def _kill_group(process: subprocess.Popen) -> None:
    """Terminate, then kill, the process group; reap the leader."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=2)
            # The leader may exit before its children; make sure the group is gone.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            return
        except subprocess.TimeoutExpired:
            continue
