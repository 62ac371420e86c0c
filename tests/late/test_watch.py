"""``packbuilder watch``: which files it watches, the polling loop, and the command.

The loop is driven in-process with a scripted ``sleep`` (each pause runs the
next scripted change) and the fake converter, so no time passes and no
LibreOffice runs. The command is run as a real process with the fake
``soffice`` and fake bridge, stopped with SIGINT or SIGTERM, and its
processes are checked in /proc. Real LibreOffice: ``test_office_server_e2e.py``.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from packbuilder import api
from packbuilder.api.watch import Events, Watcher
from packbuilder.convert._exec import soffice
from packbuilder.exceptions import DefinitionError, ExitCode
from packbuilder.late.watch import changed_files, snapshot, watched_files
from packbuilder.load.meeting import load_meeting

from helpers import fakeconv, kit

ROOT = Path(__file__).resolve().parents[2]

ITEMS = """\
  - title: Minutes
    status: to-follow
    papers:
      - file: papers/minutes.pdf
  - title: Budget Monitoring
    papers:
      - file: papers/budget.pdf
      - file: papers/update.docx
"""


@pytest.fixture
def meeting(tmp_path, monkeypatch) -> Path:
    kit.pdf(tmp_path / "papers" / "budget.pdf", 3)
    kit.docx(tmp_path / "papers" / "update.docx")
    kit.write_meeting(tmp_path, ITEMS)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "meeting.yaml"


@pytest.fixture
def fake_converter(monkeypatch):
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)


class Recorder(Events):
    """Events that keep what they are told."""

    def __init__(self) -> None:
        self.log: list[tuple[str, object]] = []
        super().__init__(
            changed=lambda paths: self.log.append(("changed", [p.name for p in paths])),
            built=lambda result: self.log.append(("built", result.pages)),
            failed=lambda error: self.log.append(("failed", error)),
            note=lambda message: self.log.append(("note", message)),
        )

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.log]


def scripted(*steps: Callable[[], None]) -> Callable[[float], None]:
    """A ``sleep`` that runs the next step at each pause (nothing once they are done)."""
    pending = list(steps)

    def sleep(seconds: float) -> None:
        if pending:
            pending.pop(0)()

    return sleep


def nothing() -> None:
    pass


def watcher(meeting: Path, events: Events, *steps: Callable[[], None]) -> Watcher:
    options = api.BuildOptions(cache_dir=None, wait=0)
    return Watcher(meeting, options, events, interval=0, settle=0, sleep=scripted(*steps))


# --- which files --------------------------------------------------------------------------


def test_the_example_meeting_watches_its_inputs_papers_to_follow_and_plan_folder():
    meetings = ROOT / "meetings"
    watched = watched_files(load_meeting(meetings / "osb-2022-05-11.yaml"))
    names = {path.resolve().relative_to(ROOT).as_posix() for path in watched.files}
    assert {
        "meetings/osb-2022-05-11.yaml",
        "meetings/committees/overview-and-scrutiny-board.yaml",
        "src/packbuilder/templates/agenda.docx",  # the defaults shipped in the package
        "meetings/templates/report.docx",  # the example's own (the reference's layout)
        "meetings/forward-plan/plan.yaml",
        "meetings/forward-plan/entries/1-childrens-services.yaml",
        "meetings/forward-plan/entries",  # a new entries file is noticed
        "meetings/papers/item05-executive-member-update.docx",
        "meetings/papers/item08-final-report-sufficiency-and-permanency.pdf",
        "meetings/papers/item03-minutes.docx",  # To Follow, not there yet
    } <= names
    assert [p.name for p in watched.expected] == ["item03-minutes.docx"]
    assert list(watched.expected.values()) == ["3"]


def test_changed_files_compares_stamps(tmp_path):
    paper = kit.pdf(tmp_path / "a.pdf", 1)
    missing = tmp_path / "b.pdf"
    before = snapshot([paper, missing])
    assert before[missing] is None and changed_files(before, snapshot([paper, missing])) == []
    kit.pdf(missing, 1)
    os.utime(paper, ns=(1, 1))
    assert changed_files(before, snapshot([paper, missing])) == [paper, missing]


# --- the loop ----------------------------------------------------------------------------


def test_builds_then_rebuilds_after_a_paper_changes(meeting, fake_converter):
    events = Recorder()
    change = lambda: kit.pdf(meeting.parent / "papers" / "budget.pdf", 5)  # noqa: E731
    builds = watcher(meeting, events, change).run(max_builds=2)
    assert builds == 2
    assert events.log[0][0] == "built"
    assert events.log[1:] == [("changed", ["budget.pdf"]), ("built", events.log[0][1] + 2)]


def test_a_failed_rebuild_is_reported_and_watching_goes_on(meeting, fake_converter):
    events = Recorder()
    text = meeting.read_text()
    broken = lambda: meeting.write_text(text.replace("date: 2022-05-11", "date: [2022"))  # noqa: E731
    fixed = lambda: meeting.write_text(text + "- title: Any Other Business\n")  # noqa: E731
    watcher(meeting, events, broken, nothing, fixed).run(max_builds=3)
    assert events.kinds() == ["built", "changed", "failed", "changed", "built"]
    assert isinstance(events.log[2][1], DefinitionError)


def test_a_file_still_being_written_is_built_once_it_is_quiet(meeting, fake_converter):
    events = Recorder()
    paper = meeting.parent / "papers" / "budget.pdf"
    steps = (lambda: kit.pdf(paper, 4), lambda: kit.pdf(paper, 7), nothing)
    watcher(meeting, events, *steps).run(max_builds=2)
    first = events.log[0][1]
    assert events.log[1:] == [("changed", ["budget.pdf"]), ("built", first + 4)]


def test_a_change_during_a_build_brings_another_build(meeting, fake_converter):
    paper = meeting.parent / "papers" / "budget.pdf"
    events = Recorder()
    first_built = events.built

    def built(result):
        first_built(result)
        if len(events.log) == 1:
            kit.pdf(paper, 6)  # saved while the first build was finishing

    events.built = built
    watcher(meeting, events).run(max_builds=2)
    assert events.kinds() == ["built", "changed", "built"]


def test_a_paper_to_follow_arriving_is_noted(meeting, fake_converter):
    events = Recorder()
    arrive = lambda: kit.pdf(meeting.parent / "papers" / "minutes.pdf", 2)  # noqa: E731
    watcher(meeting, events, arrive).run(max_builds=2)
    notes = [message for kind, message in events.log if kind == "note"]
    assert notes == [
        "minutes.pdf has arrived; item 1 is still To Follow, so it is not in the pack "
        "until you remove its 'status: to-follow'"
    ]


def test_stop_ends_the_loop(meeting, fake_converter):
    events = Recorder()
    calls = []
    assert watcher(meeting, events).run(stop=lambda: calls.append(1) or len(calls) > 3) == 1
    assert events.kinds() == ["built"]


def test_a_meeting_that_does_not_load_at_first_is_watched_until_it_does(meeting, fake_converter):
    text = meeting.read_text()
    meeting.write_text(text.replace("date: 2022-05-11", "date: [2022"))
    events = Recorder()
    fix = lambda: meeting.write_text(text)  # noqa: E731
    watcher(meeting, events, fix).run(max_builds=2)
    assert events.kinds() == ["failed", "changed", "built"]


# --- the command (real processes, fake LibreOffice) ---------------------------------------


@pytest.fixture
def fakes(tmp_path):
    pids = tmp_path / "pids"
    env = {
        "PACKBUILDER_SOFFICE": str(fakeconv.write_fake_soffice(tmp_path)),
        "PACKBUILDER_UNO_PYTHON": str(fakeconv.write_fake_uno_python(tmp_path)),
        "FAKE_SOFFICE_PIDS": str(pids),
    }
    return env, pids


def _alive(pids: Path) -> list[int]:
    time.sleep(0.2)
    started = [int(pid) for pid in pids.read_text().split()] if pids.exists() else []
    assert started, "the fake LibreOffice was started"
    return [pid for pid in started if fakeconv.pid_alive(pid)]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_the_command_rebuilds_reports_errors_and_stops_cleanly(meeting, fakes, sig):
    env, pids = fakes
    process = kit.packbuilder(
        "watch", "meeting.yaml", "--no-cache", "--interval", "0.1", cwd=meeting.parent, env=env
    )
    out, err = kit.Lines(process.stdout), kit.Lines(process.stderr)
    try:
        out.wait_for("Built build/meeting/public/pack.pdf")
        kit.pdf(meeting.parent / "papers" / "budget.pdf", 5)
        out.wait_for("Papers replaced by a new version:")
        assert out.count("papers/budget.pdf changed; rebuilding") == 1
        text = meeting.read_text()
        meeting.write_text(text.replace("date: 2022-05-11", "date: [2022"))
        err.wait_for("error: 1 problem in the definition")
        out.wait_for("Still watching meeting.yaml; save a fix to rebuild.")
        meeting.write_text(text)
        out.wait_for("No changes to the items, papers or page numbers since the last build.")
    finally:
        process.send_signal(sig)
        code = process.wait(timeout=30)
    out.wait_for("Stopped watching meeting.yaml.")
    assert code == 0
    assert _alive(pids) == []


def test_ctrl_c_during_a_rebuild_publishes_nothing_and_leaves_no_libreoffice(
    meeting, fakes, tmp_path
):
    env, pids = fakes
    env = dict(env, FAKE_BRIDGE_HANG_ON="HANGS")
    process = kit.packbuilder(
        "watch", "meeting.yaml", "--no-cache", "--interval", "0.1", cwd=meeting.parent, env=env
    )
    out, err = kit.Lines(process.stdout), kit.Lines(process.stderr)
    try:
        out.wait_for("Built build/meeting/public/pack.pdf")
        before = kit.snapshot(meeting.parent / "build" / "meeting")
        from docx import Document as WordDocument

        document = WordDocument()
        document.add_paragraph("This one HANGS LibreOffice")
        document.save(str(meeting.parent / "papers" / "update.docx"))
        out.wait_for("update.docx changed; rebuilding")
        time.sleep(1)
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
    err.wait_for("interrupted: the rebuild in progress was not published")
    assert code == ExitCode.OK
    assert kit.snapshot(meeting.parent / "build" / "meeting") == before
    assert _alive(pids) == []


def meeting_beside(tmp_path: Path, extra_items: str = "") -> Path:
    """A meeting in meetings/ whose committee file is in committees/, outside its folder,
    with the templates above both."""
    folder = tmp_path / "meetings"
    kit.pdf(folder / "papers" / "budget.pdf", 3)
    kit.docx(folder / "papers" / "update.docx")
    meeting = kit.write_meeting(folder, ITEMS + extra_items)
    (tmp_path / "committees").mkdir()
    (folder / "committee.yaml").rename(tmp_path / "committees" / "scrutiny.yaml")
    (folder / "templates").rename(tmp_path / "templates")  # found above the committee file
    text = meeting.read_text().replace("committee.yaml", "../committees/scrutiny.yaml")
    meeting.write_text(text)
    return meeting


def test_a_committee_that_does_not_load_at_first_is_watched_until_it_does(
    tmp_path, monkeypatch, fake_converter
):
    meeting = meeting_beside(tmp_path)
    monkeypatch.chdir(tmp_path)
    committee = tmp_path / "committees" / "scrutiny.yaml"
    text = committee.read_text()
    committee.write_text(text.replace("name: ", "nmae: ", 1))
    events = Recorder()
    fix = lambda: committee.write_text(text)  # noqa: E731
    polls = []
    w = watcher(meeting, events, nothing, nothing, fix)
    w.run(stop=lambda: polls.append(1) or len(polls) > 20, max_builds=2)
    assert events.kinds() == ["failed", "changed", "built"], "nothing changed: no rebuild"
    assert events.log[1] == ("changed", ["scrutiny.yaml"])


def test_a_paper_arriving_for_a_meeting_that_does_not_load_brings_a_rebuild(
    meeting, fake_converter
):
    budget = meeting.parent / "papers" / "budget.pdf"
    budget.unlink()  # a normal item's paper missing: the meeting does not load
    events = Recorder()
    arrive = lambda: kit.pdf(budget, 3)  # noqa: E731
    polls = []
    w = watcher(meeting, events, nothing, arrive)
    w.run(stop=lambda: polls.append(1) or len(polls) > 20, max_builds=2)
    assert events.kinds() == ["failed", "changed", "built"]
    assert events.log[1] == ("changed", ["budget.pdf"])


def test_a_forward_plan_that_does_not_load_is_watched_until_it_does(
    tmp_path, monkeypatch, fake_converter
):
    table = "  - title: Forward plan\n    papers:\n      - forward_plan: ../plan/plan.yaml\n"
    plan = tmp_path / "plan" / "plan.yaml"
    plan.parent.mkdir()
    good = "portfolio: Regeneration\nentries:\n  - {reference: R1, subject: Housing}\n"
    plan.write_text(good.replace("subject", "subjct"))
    meeting = meeting_beside(tmp_path, table)
    monkeypatch.chdir(tmp_path)
    events = Recorder()
    fix = lambda: plan.write_text(good)  # noqa: E731
    polls = []
    w = watcher(meeting, events, nothing, fix)
    w.run(stop=lambda: polls.append(1) or len(polls) > 20, max_builds=2)
    assert events.kinds() == ["failed", "changed", "built"]
    assert events.log[1] == ("changed", ["plan.yaml"])


def test_a_meeting_that_is_not_yaml_watches_its_folder_but_not_the_build_output(
    meeting, fake_converter
):
    text = meeting.read_text()
    api.build(meeting, api.BuildOptions(cache_dir=None, wait=0))
    meeting.write_text(text.replace("date: 2022-05-11", "date: [2022"))
    w = watcher(meeting, Recorder())
    w._refresh(None)
    watched = {p.relative_to(meeting.parent).as_posix() for p in w.watched.paths()}
    assert {"meeting.yaml", "committee.yaml", "papers/budget.pdf"} <= watched
    assert "templates/agenda.docx" in watched
    assert not any(name.startswith("build/") for name in watched), watched
    assert w.state == snapshot(w.watched.paths())


def test_a_watch_cycle_reads_the_forward_plan_once(meeting, fake_converter, monkeypatch):
    from packbuilder.load import plan as plan_load

    plan = meeting.parent / "forward-plan" / "plan.yaml"
    plan.parent.mkdir()
    plan.write_text("portfolio: Regeneration\nentries:\n  - {reference: R1, subject: Housing}\n")
    kit.write_meeting(
        meeting.parent,
        ITEMS + "  - title: Forward plan\n    papers:\n      - forward_plan: "
        "forward-plan/plan.yaml\n",
    )
    loads = []
    original = plan_load._finish
    monkeypatch.setattr(
        plan_load, "_finish", lambda path, *rest: loads.append(path) or original(path, *rest)
    )
    w = watcher(meeting, Recorder())
    w.build()
    assert len(loads) == 1, "built and the files to watch found: the plan read once"
    assert plan in w.watched.files
