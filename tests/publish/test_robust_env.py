"""The environment failing around a build: no LibreOffice, a folder that cannot be written,
the disk filling up, two builds at once, Ctrl-C and SIGTERM.

In every case the clerk gets a clear message and exit code, and the previous
pack stays exactly as it was (compared byte for byte). In-process tests use
the fake converter of ``fakeconv`` (these are about the files, not about
LibreOffice); the lock and interrupt tests run ``python -m packbuilder`` as
real processes with the fake ``soffice`` program, whose processes are
checked afterwards in /proc.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import pathlib
import signal
import stat
import tempfile
import time

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from packbuilder import api
from packbuilder.api import meeting as api_meeting
from packbuilder.cli import main
from packbuilder.convert._exec import soffice
from packbuilder.exceptions import BuildInterrupted, BuildLockedError, ExitCode
from packbuilder.publish.lock import build_lock, describe_holder, lock_path

from helpers import fakeconv, kit
from helpers.pdftools import qpdf_check

ITEMS = """\
  - title: Apologies for Absence
  - title: Budget Monitoring
    papers:
      - file: papers/budget.pdf
      - file: papers/update.docx
"""


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def meeting(tmp_path, monkeypatch):
    """A small meeting in tmp_path (the current folder), its output folder not yet built."""
    kit.pdf(tmp_path / "papers" / "budget.pdf", 3)
    kit.docx(tmp_path / "papers" / "update.docx")
    kit.write_meeting(tmp_path, ITEMS)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "build" / "meeting"


@pytest.fixture
def fake_converter(monkeypatch):
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)


@pytest.fixture
def previous(meeting, fake_converter):
    """The meeting built once: the previous outputs every failure must leave untouched."""
    result = invoke("build", "meeting.yaml", "--no-cache")
    assert result.exit_code == 0, result.output
    return meeting, kit.snapshot(meeting)


def fails_cleanly(result, code: ExitCode, out: pathlib.Path, before: dict, *fragments: str):
    assert result.exit_code == code, result.output
    assert result.output.startswith("error: "), result.output
    assert "What to do:" in result.output and "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output
    assert ".staging-" not in result.output, "the clerk never sees the staging folder"
    assert kit.snapshot(out) == before
    assert kit.leftovers(out) == []


# --- LibreOffice missing ----------------------------------------------------------------------


def test_soffice_missing(previous, monkeypatch):
    out, before = previous
    monkeypatch.undo()  # the real converter again, and no soffice to run
    monkeypatch.chdir(out.parent.parent)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("PACKBUILDER_SOFFICE", raising=False)
    monkeypatch.setattr(soffice, "STANDARD_PLACES", ())  # nor where installers put it
    result = invoke("build", "meeting.yaml", "--no-cache")
    fails_cleanly(
        result,
        ExitCode.CONVERTER_ERROR,
        out,
        before,
        "LibreOffice (soffice) is not installed",
        "sudo apt-get install libreoffice-writer-nogui",
    )


# --- folders that cannot be written -----------------------------------------------------------


def test_output_folder_where_nothing_may_be_written(meeting, fake_converter):
    result = invoke("build", "meeting.yaml", "-o", "/sys/packbuilder-test-out")
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert "error: no permission to write in /sys" in result.output
    assert "--output" in result.output and "Traceback" not in result.output
    assert not pathlib.Path("/sys/packbuilder-test-out").exists()


@pytest.mark.parametrize(
    "code,fragment",
    [
        (errno.EACCES, "no permission to write in build"),
        (errno.EROFS, "cannot write in build: the disk is read-only"),
        (errno.ENOSPC, "the disk is full while writing build/meeting"),
    ],
)
def test_staging_folder_cannot_be_created(previous, monkeypatch, code, fragment):
    out, before = previous

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(out.parent))

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    result = invoke("build", "meeting.yaml", "--no-cache")
    fails_cleanly(result, ExitCode.OUTPUT_ERROR, out, before, fragment)


# --- the disk filling up -----------------------------------------------------------------------


def _full_disk_on(monkeypatch, method: str, name: str) -> None:
    """Make Path.<method> write half of the file named ``name``, then fail with ENOSPC."""
    real = getattr(pathlib.Path, method)

    def half_then_full(self, data, *args, **kwargs):
        if self.name != name:
            return real(self, data, *args, **kwargs)
        real(self, data[: len(data) // 2], *args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(pathlib.Path, method, half_then_full)


def test_disk_full_while_writing_the_pack(previous, monkeypatch):
    out, before = previous
    _full_disk_on(monkeypatch, "write_bytes", "pack.pdf")
    result = invoke("build", "meeting.yaml", "--no-cache")
    fails_cleanly(
        result,
        ExitCode.OUTPUT_ERROR,
        out,
        before,
        "build/meeting/public/pack.pdf: cannot write the PDF: No space left on device",
        "the previous outputs in build/meeting are untouched",
    )


def test_disk_full_while_writing_an_item_pdf(previous, monkeypatch):
    out, before = previous
    _full_disk_on(monkeypatch, "write_bytes", "item-02-budget-monitoring.pdf")
    result = invoke("build", "meeting.yaml", "--no-cache")
    fails_cleanly(
        result,
        ExitCode.OUTPUT_ERROR,
        out,
        before,
        "build/meeting/public/items/item-02-budget-monitoring.pdf: cannot write the PDF",
    )


def test_disk_full_while_writing_the_manifest(previous, monkeypatch):
    out, before = previous
    _full_disk_on(monkeypatch, "write_text", "manifest.json")
    result = invoke("build", "meeting.yaml", "--no-cache")
    fails_cleanly(
        result,
        ExitCode.OUTPUT_ERROR,
        out,
        before,
        "the disk is full while writing build/meeting/public/manifest.json",
        "free some space",
    )


def test_disk_full_while_staging_a_word_paper_for_conversion(previous, monkeypatch):
    out, before = previous
    real = pathlib.Path.write_bytes

    def full(path, data):
        if path.parent.name.startswith("in-") and path.suffix == ".docx":  # what LibreOffice reads
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", full)
    result = invoke("build", "meeting.yaml", "--no-cache")
    fails_cleanly(
        result, ExitCode.OUTPUT_ERROR, out, before, "No space left on device", "build/meeting"
    )


@pytest.mark.parametrize("which", [1, 2])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EXDEV, errno.EACCES])
def test_publishing_fails_at_either_rename(previous, monkeypatch, which, code):
    out, before = previous
    real = os.rename
    calls = []

    def rename(src, dst, *args, **kwargs):
        if pathlib.Path(dst).name == "meeting" or ".old-" in str(dst):
            calls.append((src, dst))
            if len(calls) == which:
                raise OSError(code, os.strerror(code), str(src))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    result = invoke("build", "meeting.yaml", "--no-cache")
    fails_cleanly(result, ExitCode.OUTPUT_ERROR, out, before, "build")


def test_a_paper_that_vanishes_mid_build_is_recorded_as_the_bytes_that_went_in(
    previous, monkeypatch
):
    """Each paper is read once: the manifest hashes the bytes the pack was made from, even if
    the file is deleted (or changed) after it was read."""
    out, _before = previous
    paper = out.parent.parent / "papers" / "budget.pdf"
    read = hashlib.sha256(paper.read_bytes()).hexdigest()
    real = api_meeting.build_manifest

    def vanish(meeting, *args, **kwargs):
        paper.unlink(missing_ok=True)  # before the first manifest (of two) is made
        return real(meeting, *args, **kwargs)

    monkeypatch.setattr(api_meeting, "build_manifest", vanish)
    result = invoke("build", "meeting.yaml", "--no-cache")
    assert result.exit_code == 0, result.output
    for folder in ("members", "public"):
        manifest = json.loads((out / folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["inputs"]["papers/budget.pdf"] == read


# --- leftovers of builds that died --------------------------------------------------------------


def test_leftovers_of_a_killed_build_are_cleaned_and_a_set_aside_pack_put_back(previous):
    out, before = previous
    # A build killed between the two renames of publishing: the pack is set aside.
    aside = out.parent / ".meeting.old-deadbeef"
    os.rename(out, aside)
    (out.parent / ".meeting.staging-killed").mkdir()
    (out.parent / ".meeting.staging-killed" / "pack.pdf").write_bytes(b"%PDF-half")
    # The next build fails (a damaged paper), yet puts the previous pack back in place.
    kit.zero_bytes(out.parent.parent / "papers" / "budget.pdf")
    result = invoke("build", "meeting.yaml", "--no-cache")
    assert result.exit_code == ExitCode.BAD_DOCUMENT, result.output
    assert kit.snapshot(out) == before
    assert kit.leftovers(out) == []


# --- Ctrl-C during publishing ------------------------------------------------------------------


def test_ctrl_c_during_the_swap_is_held_until_the_new_pack_is_in_place(previous, monkeypatch):
    out, before = previous
    real = os.rename

    def rename(src, dst, *args, **kwargs):
        if ".old-" in str(dst):
            os.kill(os.getpid(), signal.SIGINT)  # arrives between the two renames
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    kit.pdf(out.parent.parent / "papers" / "budget.pdf", 5)  # the new pack differs
    with pytest.raises(BuildInterrupted, match="had already been published and are complete"):
        api.build(pathlib.Path("meeting.yaml"), api.BuildOptions(cache_dir=None))
    assert kit.snapshot(out) != before
    manifest = json.loads((out / "members" / "manifest.json").read_text())
    assert len(PdfReader(out / "members" / "pack.pdf").pages) == manifest["pages"]
    qpdf_check(out / "members" / "pack.pdf")
    qpdf_check(out / "public" / "pack.pdf")
    assert kit.leftovers(out) == []


# --- two builds at once (real processes) --------------------------------------------------------


def _wait_for(condition, timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _held(out: pathlib.Path) -> bool:
    """Whether a build holds the output folder's lock (the lock file names no process)."""
    try:
        fd = os.open(lock_path(out), os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # (releases the lock if this took it)
    return False


@pytest.fixture
def slow_soffice(tmp_path):
    program = fakeconv.write_fake_soffice(tmp_path)
    pids = tmp_path / "soffice-pids"
    env = {
        "PACKBUILDER_SOFFICE": str(program),
        "FAKE_SOFFICE_PIDS": str(pids),
        "FAKE_SOFFICE_SLEEP": "1",
    }
    return env, pids


def test_a_second_build_fails_clearly_while_the_first_holds_the_lock(meeting, slow_soffice):
    env, _pids = slow_soffice
    first = kit.packbuilder(
        "build", "meeting.yaml", "--no-cache", cwd=meeting.parent.parent, env=env
    )
    try:
        _wait_for(lambda: _held(meeting), what="the first build's lock")
        second = kit.packbuilder(
            "build",
            "meeting.yaml",
            "--no-cache",
            "--wait",
            "0.5",
            cwd=meeting.parent.parent,
            env=env,
        )
        _out, err = second.communicate(timeout=30)
        assert second.returncode == ExitCode.LOCKED, err
        assert "error: another build is writing build/meeting (started " in err
        assert "waited 0.5 s" in err and "What to do:" in err and "fuser -v " in err
    finally:
        _out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    qpdf_check(meeting / "public" / "pack.pdf")
    assert kit.leftovers(meeting) == []


def test_a_second_build_that_may_wait_runs_after_the_first(meeting, slow_soffice):
    env, _pids = slow_soffice
    cwd = meeting.parent.parent
    first = kit.packbuilder("build", "meeting.yaml", "--no-cache", cwd=cwd, env=env)
    _wait_for(lambda: _held(meeting), what="the first build's lock")
    second = kit.packbuilder(
        "build", "meeting.yaml", "--no-cache", "--wait", "60", cwd=cwd, env=env
    )
    _o1, e1 = first.communicate(timeout=60)
    done_first = time.monotonic()
    _o2, e2 = second.communicate(timeout=60)
    assert first.returncode == 0, e1
    assert second.returncode == 0, e2
    assert not _held(meeting)
    assert time.monotonic() >= done_first
    qpdf_check(meeting / "public" / "pack.pdf")
    assert kit.leftovers(meeting) == []


def test_lock_in_process_waits_then_names_the_holder(tmp_path):
    out = tmp_path / "build" / "osb"
    with build_lock(out, wait=0):
        assert describe_holder(lock_path(out)).startswith(" (started ")
        # only when it started: no process id, host name or program path (see lock.py)
        assert set(json.loads(lock_path(out).read_text())) == {"started"}
        messages = []
        started = time.monotonic()
        # flock locks belong to open file descriptions: a second open in this process conflicts.
        with (
            pytest.raises(BuildLockedError) as info,
            build_lock(out, wait=0.3, progress=messages.append),
        ):
            pass
        assert time.monotonic() - started >= 0.3
        assert info.value.exit_code is ExitCode.LOCKED
        assert messages and messages[0].startswith("Waiting for another build of")
    with build_lock(out, wait=0):  # released at the end of the block
        pass


# --- Ctrl-C and SIGTERM (real processes) -----------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupting_a_build_leaves_no_half_pack_and_no_libreoffice(meeting, tmp_path, sig):
    program = fakeconv.write_fake_soffice(tmp_path)
    pids = tmp_path / "soffice-pids"
    env = {"PACKBUILDER_SOFFICE": str(program), "FAKE_SOFFICE_PIDS": str(pids)}
    cwd = meeting.parent.parent
    first = kit.packbuilder("build", "meeting.yaml", "--no-cache", cwd=cwd, env=env)
    _o, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    before = kit.snapshot(meeting)
    pids.unlink()

    kit.pdf(cwd / "papers" / "budget.pdf", 5)  # a change, so a finished build would differ
    hang = dict(env, FAKE_SOFFICE_MODE="hang")
    build = kit.packbuilder("build", "meeting.yaml", "--no-cache", cwd=cwd, env=hang)
    _wait_for(
        lambda: len(pids.read_text().split()) >= 2 if pids.exists() else False, what="soffice"
    )
    started = time.monotonic()
    build.send_signal(sig)
    _o, err = build.communicate(timeout=30)
    assert time.monotonic() - started < 10, "the interrupt did not wait for the timeout"
    assert build.returncode == ExitCode.INTERRUPTED, err
    assert "interrupted: nothing was published; the previous outputs are intact" in err
    assert "Traceback" not in err
    assert kit.snapshot(meeting) == before
    assert kit.leftovers(meeting) == []
    time.sleep(0.2)
    assert [pid for pid in map(int, pids.read_text().split()) if fakeconv.pid_alive(pid)] == []


def test_warnings_reach_the_clerk_even_with_quiet(tmp_path, monkeypatch, fake_converter):
    kit.bad_startxref_pdf(tmp_path / "papers" / "budget.pdf", 3)
    kit.write_meeting(tmp_path, ITEMS.replace("      - file: papers/update.docx\n", ""))
    monkeypatch.chdir(tmp_path)
    warning = (
        "warning: papers/budget.pdf: the cross-reference table was damaged and has been "
        "rebuilt; check its pages in the pack\n"
    )
    checked = invoke("-q", "check", "meeting.yaml")
    assert checked.exit_code == 0 and checked.output == warning, checked.output
    untagged = (
        "warning: accessibility: 1 paper is not tagged: ask the author for the Word file or a "
        "tagged PDF (papers/budget.pdf); screen readers get no headings, tables or reading "
        "order from their pages, and the pack does not claim PDF/UA\n"
    )
    built = invoke("-q", "build", "meeting.yaml", "--no-cache")
    assert built.exit_code == 0 and built.output == warning + untagged, built.output
    manifest = json.loads(
        (tmp_path / "build" / "meeting" / "members" / "manifest.json").read_text()
    )
    assert [w["file"] for w in manifest["warnings"]] == ["papers/budget.pdf", "accessibility"]


# --- what is published -----------------------------------------------------------------------


def test_published_folder_is_readable_by_others(meeting, fake_converter):
    """The staging folder is private while it is written; the published pack is not."""
    old = os.umask(0o022)
    try:
        result = invoke("build", "meeting.yaml", "--no-cache")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(meeting.stat().st_mode) == 0o755


def test_a_supplement_never_replaces_a_main_pack(meeting, fake_converter):
    """Even in a folder chosen with --output, a supplement may not replace the main agenda."""
    out = meeting.parent / "published"
    assert invoke("build", "meeting.yaml", "--no-cache", "-o", str(out)).exit_code == 0
    before = kit.snapshot(out)
    result = invoke("supplement", "meeting.yaml", "--items", "2", "--no-cache", "-o", str(out))
    fails_cleanly(
        result, ExitCode.OUTPUT_ERROR, out, before, "holds the Agenda pack", "choose another folder"
    )
