"""LibreOffice (``soffice``), the one place it is started, timed out and killed.

Each run gets its own throw-away profile (``-env:UserInstallation``) so two
builds never share one, runs in its own process group, and is killed as a
group (``soffice`` forks ``oosplash`` and ``soffice.bin``) on timeout or
Ctrl-C. Every expected output is checked: LibreOffice exits 0 even when it
could not convert a file.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from ...exceptions import ConversionTimeoutError, ConverterError, ConverterMissingError

INSTALL_HINTS = {
    "linux": "install LibreOffice and the fonts with: sudo apt-get install "
    "libreoffice-writer-nogui fonts-liberation2 fonts-crosextra-carlito (Debian, Ubuntu; "
    "on other systems install "
    "LibreOffice from your package manager)",
    "darwin": "install LibreOffice from https://www.libreoffice.org/download/ (or with "
    "'brew install --cask libreoffice'); it goes in /Applications",
    "win32": "install LibreOffice from https://www.libreoffice.org/download/ (or with "
    "'winget install TheDocumentFoundation.LibreOffice'); it goes in C:\\Program Files",
}


def install_hint() -> str:
    """How to install LibreOffice on this system, and how to name it if it is elsewhere."""
    system = "win32" if sys.platform.startswith(("win", "cygwin")) else sys.platform
    return INSTALL_HINTS.get(system, INSTALL_HINTS["linux"]) + (
        "; or name the program with --soffice or PACKBUILDER_SOFFICE"
    )


STANDARD_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/snap/bin/libreoffice",
)
"""Where LibreOffice's installers put ``soffice`` when it is not on PATH (Windows, macOS)."""
PDF_EXPORT_OPTIONS: dict[str, bool] = {"UseTaggedPDF": True}
"""LibreOffice's PDF export options: a tagged PDF (headings, lists, tables, reading order).

The same options go to a kept-running LibreOffice as ``FilterData`` (:mod:`.uno_bridge`).
"""
PDF_FILTER = "pdf:writer_pdf_Export:" + json.dumps(
    {
        name: {"type": "boolean", "value": "true" if value else "false"}
        for name, value in PDF_EXPORT_OPTIONS.items()
    },
    separators=(",", ":"),
)
"""The ``--convert-to`` argument. LibreOffice 7.4 reads export options only in this JSON
form: ``{"UseTaggedPDF":true}`` and ``UseTaggedPDF=true`` are silently ignored."""


def find_soffice(places: tuple[str, ...] | None = None) -> str:
    """The ``soffice`` program to run: ``$PACKBUILDER_SOFFICE`` (``--soffice``), else the
    first on PATH, else the first of the places LibreOffice's installers use."""
    configured = os.environ.get("PACKBUILDER_SOFFICE")
    if configured:
        found = shutil.which(configured)
        if not found:
            raise ConverterMissingError(
                f"the LibreOffice program '{configured}' (named with --soffice or "
                "PACKBUILDER_SOFFICE) is not there, or is not a program",
                hint="check the path (on Windows it ends in \\program\\soffice.exe, on macOS "
                "in /Contents/MacOS/soffice), or leave it out to use an installed one; to "
                f"install LibreOffice: {install_hint()}",
            )
        return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for place in STANDARD_PLACES if places is None else places:
        if os.path.isfile(place) and os.access(place, os.X_OK):
            return place
    raise ConverterMissingError(
        "LibreOffice (soffice) is not installed, or not where packbuilder looks (on PATH, "
        "and where LibreOffice's installers put it); it is needed to convert Word documents",
        hint=install_hint(),
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
    return hashlib.sha256(f"{stamp}|{PDF_FILTER}|{SEALED_PROFILE}".encode()).hexdigest()[:16]


SEALED_PROFILE = """\
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""
"""The settings of every profile packbuilder gives LibreOffice: it loads nothing a document
links to (a picture linked to ``http://...`` or ``file:///...`` is left blank, not fetched)
and runs no macro."""


def seal_profile(profile: Path) -> None:
    """Write :data:`SEALED_PROFILE` into a new LibreOffice profile folder."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(SEALED_PROFILE, encoding="utf-8")


def office_command(program: str, profile: Path) -> list[str]:
    """``soffice`` with a throw-away profile (sealed: see :func:`seal_profile`), no window,
    no dialogs, no recovery."""
    seal_profile(profile)
    return [
        program,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--invisible",
        "--nodefault",
        "--nolockcheck",
        "--nologo",
        "--norestore",
    ]


def office_env() -> dict[str, str]:
    """The environment LibreOffice runs in: no display needed, a HOME it can write to."""
    return dict(os.environ, SAL_USE_VCLPLUGIN="svp", HOME=os.environ.get("HOME", "/tmp"))


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
            kill_group(process)


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
            *office_command(program, Path(profile)),
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
        if not looks_like_pdf(pdf):
            raise not_converted(source.name, output)
        results[source] = pdf
    return results


def not_converted(name: str, said: str = "") -> ConverterError:
    """The error for a document LibreOffice gave no PDF for."""
    return ConverterError(
        f"LibreOffice did not convert {name} to PDF",
        hint="open it in Word or LibreOffice to check it is not damaged, save it "
        "again as .docx, and rebuild" + (f"; LibreOffice said: {said}" if said else ""),
    )


def timed_out(timeout: float, what: str) -> ConversionTimeoutError:
    """The error for a conversion stopped after ``timeout`` seconds."""
    return ConversionTimeoutError(
        f"LibreOffice took longer than {timeout:.0f} s converting {what} and was stopped",
        hint="open the document in Word to check it is not damaged, or raise the limit "
        "with --timeout",
    )


def _names(inputs: Sequence[Path]) -> str:
    return ", ".join(p.name for p in inputs)


def looks_like_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False


def _run_group(command: list[str], *, timeout: float, what: str, runs: Runs | None = None) -> str:
    """Run ``command`` in its own process group; kill the whole group on timeout or Ctrl-C."""
    env = office_env()
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
            f"could not start LibreOffice ({exc.strerror})", hint=install_hint()
        ) from exc
    try:
        return _wait(process, timeout=timeout, what=what, runs=runs)
    finally:
        runs.finished(process)


def _wait(process: subprocess.Popen, *, timeout: float, what: str, runs: Runs) -> str:
    try:
        stdout, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process)
        raise timed_out(timeout, what) from None
    except BaseException:
        kill_group(process)
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


def kill_group(process: subprocess.Popen) -> None:
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


# --- a LibreOffice kept running for many conversions (packbuilder watch) ----------------------

BRIDGE = Path(__file__).with_name("uno_bridge.py")
SYSTEM_PYTHON = "/usr/bin/python3"
START_TIMEOUT = 60.0
"""Seconds LibreOffice may take to start listening (a first start creates its profile)."""


def find_uno_python() -> str | None:
    """A Python that can ``import uno``: ``$PACKBUILDER_UNO_PYTHON`` or the system's; or None."""
    return _probe_uno(os.environ.get("PACKBUILDER_UNO_PYTHON") or SYSTEM_PYTHON)


@cache
def _probe_uno(python: str) -> str | None:
    program = shutil.which(python)
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, "-c", "import uno"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30,
            env=_bridge_env(),
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return program if done.returncode == 0 else None


def _bridge_env() -> dict[str, str]:
    """packbuilder's environment without what would point another Python at our modules."""
    env = office_env()
    for name in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


class OfficeStartError(ConverterError):
    """The kept-running LibreOffice or its bridge could not be started (callers fall back)."""


class _ServerGone(Exception):
    """The bridge or LibreOffice died during a request."""


class OfficeServer:
    """One LibreOffice kept running for many conversions, driven through a UNO bridge.

    LibreOffice listens on a pipe of its own (``--accept=pipe,name=...``) with
    its own throw-away profile, in its own process group; the bridge
    (:mod:`uno_bridge`, run under a Python that has ``uno``) is in another
    group. A document takes 0.1-0.2 s instead of the ~0.85 s LibreOffice needs
    to start. Started on the first conversion. A conversion that takes longer
    than its timeout kills both groups and raises
    :class:`ConversionTimeoutError`; the next conversion starts a fresh
    server. Ctrl-C during a conversion kills them too. :meth:`close` (also at
    interpreter exit) asks LibreOffice to quit, then kills whatever is left.
    """

    def __init__(self, *, start_timeout: float = START_TIMEOUT):
        self.start_timeout = start_timeout
        self.starts = 0  # how many times LibreOffice was started
        self.pipe: str | None = None
        self._lock = threading.RLock()
        self._office: subprocess.Popen | None = None
        self._bridge: subprocess.Popen | None = None
        self._replies: queue.Queue[str | None] = queue.Queue()
        self._folder: Path | None = None

    @staticmethod
    def available() -> bool:
        """True when a Python with ``uno`` is there to run the bridge."""
        return find_uno_python() is not None

    def __enter__(self) -> OfficeServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def running(self) -> bool:
        return self._bridge is not None

    def processes(self) -> list[int]:
        """The process ids of LibreOffice and the bridge (the leaders of their groups)."""
        return [p.pid for p in (self._office, self._bridge) if p is not None]

    def start(self) -> None:
        """Start LibreOffice and the bridge; return when the bridge is connected."""
        with self._lock:
            if self.running:
                return
            python = find_uno_python()
            if python is None:
                raise OfficeStartError(
                    "no Python with LibreOffice's uno module to keep LibreOffice running",
                    hint="install it with: sudo apt-get install python3-uno "
                    "(or set PACKBUILDER_UNO_PYTHON)",
                )
            program = find_soffice()
            self._folder = Path(tempfile.mkdtemp(prefix="packbuilder-lo-server-"))
            self.pipe = f"packbuilder-{os.getpid()}-{secrets.token_hex(4)}"
            atexit.register(self.close)
            try:
                self._launch(program, python)
                self._await_ready()
            except BaseException:
                self.kill()
                raise
            self.starts += 1

    def _launch(self, program: str, python: str) -> None:
        assert self._folder is not None
        log = (self._folder / "log.txt").open("ab")
        options = {"stdout": log, "stderr": log, "start_new_session": True}
        try:
            self._office = subprocess.Popen(
                [
                    *office_command(program, self._folder / "profile"),
                    f"--accept=pipe,name={self.pipe};urp;",
                ],
                stdin=subprocess.DEVNULL,
                env=office_env(),
                **options,
            )
            self._bridge = subprocess.Popen(
                [
                    python,
                    str(BRIDGE),
                    "--pipe",
                    str(self.pipe),
                    "--connect-timeout",
                    str(self.start_timeout),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
                env=_bridge_env(),
            )
        except OSError as exc:
            raise OfficeStartError(
                f"could not start LibreOffice ({exc.strerror})", hint=install_hint()
            ) from exc
        finally:
            log.close()
        self._replies = queue.Queue()
        threading.Thread(
            target=_read_lines, args=(self._bridge.stdout, self._replies), daemon=True
        ).start()

    def _await_ready(self) -> None:
        try:
            reply = self._reply(time.monotonic() + self.start_timeout)
        except TimeoutError:
            raise OfficeStartError(
                f"LibreOffice did not start listening within {self.start_timeout:.0f} s",
                hint=self._log_tail(),
            ) from None
        except _ServerGone:
            reply = {}
        if not reply.get("ready"):
            raise OfficeStartError(
                "LibreOffice could not be started for conversions"
                + (f": {reply['error']}" if reply.get("error") else ""),
                hint=self._log_tail(),
            )

    def convert_to_pdf(
        self, inputs: Sequence[Path], outdir: Path, *, timeout: float
    ) -> dict[Path, Path]:
        """As :func:`convert_to_pdf`, one document at a time, each within ``timeout`` seconds."""
        outdir.mkdir(parents=True, exist_ok=True)
        return {
            source: self.convert(source, outdir / (source.stem + ".pdf"), timeout=timeout)
            for source in inputs
        }

    def convert(self, source: Path, target: Path, *, timeout: float) -> Path:
        """Convert ``source`` to the PDF ``target``; a server found dead is restarted once."""
        with self._lock:
            for attempt in (1, 2):
                self.start()
                try:
                    request = {
                        "in": str(source.resolve()),
                        "out": str(target.resolve()),
                        "options": PDF_EXPORT_OPTIONS,
                    }
                    reply = self._request(request, timeout)
                except TimeoutError:
                    self.kill()
                    raise timed_out(timeout, source.name) from None
                except _ServerGone:
                    said = self._log_tail()
                    self.kill()
                    if attempt == 2:
                        raise ConverterError(
                            f"LibreOffice stopped while converting {source.name}", hint=said
                        ) from None
                    continue
                except BaseException:
                    self.kill()  # Ctrl-C, SIGTERM: leave no LibreOffice behind
                    raise
                if "error" in reply or not looks_like_pdf(target):
                    raise not_converted(source.name, str(reply.get("error", "")))
                return target
        raise AssertionError("unreachable")  # pragma: no cover

    def _request(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request and wait at most ``timeout`` seconds for its reply."""
        assert self._bridge is not None and self._bridge.stdin is not None
        try:
            self._bridge.stdin.write((json.dumps(message) + "\n").encode())
            self._bridge.stdin.flush()
        except OSError:
            raise _ServerGone from None
        reply = self._reply(time.monotonic() + timeout)
        if reply.get("fatal"):
            raise _ServerGone
        return reply

    def _reply(self, deadline: float) -> dict[str, Any]:
        """The bridge's next reply; TimeoutError after ``deadline``; _ServerGone at its end."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            try:
                line = self._replies.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                if self._office is not None and self._office.poll() is not None:
                    raise _ServerGone from None
                continue
            if line is None:
                raise _ServerGone
            try:
                reply = json.loads(line)
            except ValueError:
                continue  # not ours: something printed by the uno module
            if isinstance(reply, dict):
                return reply

    def _log_tail(self) -> str:
        try:
            text = (self._folder / "log.txt").read_text(errors="replace") if self._folder else ""
        except OSError:
            text = ""
        lines = [line for line in text.splitlines() if "javaldx" not in line]
        return "LibreOffice said: " + ("\n".join(lines)[-500:] or "nothing")

    def close(self) -> None:
        """Ask LibreOffice to quit, then kill both process groups and delete the profile."""
        with self._lock:
            try:
                if self.running:
                    with contextlib.suppress(TimeoutError, _ServerGone):
                        self._request({"terminate": True}, timeout=5)
                if self._office is not None:
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        self._office.wait(timeout=5)
            finally:
                self.kill()  # also when a second Ctrl-C cuts the wait short

    def kill(self) -> None:
        """Kill LibreOffice and the bridge at once (whole groups); the next conversion restarts."""
        with self._lock:
            for process in (self._bridge, self._office):
                if process is not None:
                    kill_group(process)
                    for stream in (process.stdin, process.stdout):
                        if stream is not None:
                            with contextlib.suppress(OSError):
                                stream.close()
            self._bridge = self._office = None
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)
                self._folder = None
            atexit.unregister(self.close)


def _read_lines(stream: Any, replies: queue.Queue[str | None]) -> None:
    """Pass the bridge's output lines to ``replies``; None when it ends."""
    try:
        for line in stream:
            replies.put(line.decode("utf-8", "replace"))
    except (OSError, ValueError):
        pass
    finally:
        replies.put(None)
