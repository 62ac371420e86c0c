"""The kept-running LibreOffice with the real LibreOffice and the real UNO bridge.

It must convert exactly as the one-shot ``soffice --convert-to`` does (same
pages, same text), build the example meeting with the same page ranges, leave
no LibreOffice running once closed (checked with ``pgrep -f`` on its pipe
name, which is on LibreOffice's command line), and make ``watch`` rebuild
after a paper changes.
"""

from __future__ import annotations

import signal
import subprocess
import threading
from pathlib import Path

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from packbuilder import api
from packbuilder.api.watch import Events, Watcher
from packbuilder.convert._exec import soffice
from packbuilder.convert._exec.soffice import OfficeServer

from helpers import kit
from helpers.kit import MEETING_FILE, REFERENCE_ITEM_PAGES, ROOT

pytestmark = pytest.mark.e2e

PAPERS = ROOT / "meetings" / "papers"


@pytest.fixture
def office(needs_soffice):
    if not OfficeServer.available():
        pytest.skip("no Python with uno (apt-get install python3-uno)")
    with OfficeServer() as server:
        yield server


def running(pattern: str) -> list[str]:
    """Command lines of the processes matching ``pattern`` (``pgrep -af``)."""
    done = subprocess.run(["pgrep", "-af", pattern], capture_output=True, text=True)
    return [line for line in done.stdout.splitlines() if "pgrep" not in line]


def pages_text(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def test_the_server_converts_as_one_shot_does_and_closing_leaves_nothing(office, tmp_path):
    sources = [PAPERS / "item05-executive-member-update.docx", PAPERS / "item08-addendum.docx"]
    one_shot = soffice.convert_to_pdf(sources, tmp_path / "one-shot", timeout=120)
    served = office.convert_to_pdf(sources, tmp_path / "served", timeout=120)
    for source in sources:
        assert pages_text(served[source]) == pages_text(one_shot[source]), source.name
    assert office.starts == 1
    pipe = office.pipe
    assert pipe and len(running(pipe)) >= 2  # oosplash and soffice.bin, with the bridge
    office.close()
    assert running(pipe) == []
    assert not office.running


def test_a_damaged_document_is_refused_and_the_server_goes_on(office, tmp_path):
    broken = kit.unconvertible_docx(tmp_path / "broken.docx")
    with pytest.raises(soffice.ConverterError, match="did not convert broken.docx to PDF"):
        office.convert_to_pdf([broken], tmp_path / "out", timeout=120)
    office.convert_to_pdf([PAPERS / "item08-addendum.docx"], tmp_path / "out", timeout=120)
    assert office.starts == 1


def _ranges(manifest: dict) -> dict:
    return {
        "pages": manifest["pages"],
        "front": manifest["front_sheet"]["pages"],
        "items": [(item["number"], item["pages"]) for item in manifest["items"]],
    }


def test_the_example_meeting_builds_through_the_server_as_one_shot(office, tmp_path, lo_cache):
    served = api.build(
        MEETING_FILE,
        api.BuildOptions(output_dir=tmp_path / "served", cache_dir=None, office=office),
    )
    assert served.conversions.served == len(served.conversions.converted) > 0
    assert served.conversions.runs == 0
    one_shot = api.build(
        MEETING_FILE, api.BuildOptions(output_dir=tmp_path / "one-shot", cache_dir=lo_cache)
    )
    assert _ranges(served.manifest) == _ranges(one_shot.manifest)
    assert served.pages == 116
    texts = {item["number"]: item["agenda_text"] for item in served.manifest["items"]}
    assert {n: texts[n] for n in REFERENCE_ITEM_PAGES} == REFERENCE_ITEM_PAGES


def _word(path: Path, paragraphs: int) -> Path:
    document = WordDocument()
    document.add_heading("EXECUTIVE MEMBER UPDATE", 1)
    for number in range(paragraphs):
        document.add_paragraph(f"{number + 1}. The Board noted the update from the Executive.")
    document.save(str(path))
    return path


def test_watch_rebuilds_through_the_server_after_a_paper_changes(office, tmp_path, monkeypatch):
    (tmp_path / "papers").mkdir()
    paper = _word(tmp_path / "papers" / "update.docx", 5)
    kit.write_meeting(
        tmp_path, "  - title: Update\n    papers:\n      - file: papers/update.docx\n"
    )
    monkeypatch.chdir(tmp_path)
    built, stop = [], threading.Event()
    done = threading.Semaphore(0)

    def on_built(result: api.BuildResult) -> None:
        built.append(result)
        done.release()

    options = api.BuildOptions(cache_dir=tmp_path / "cache", office=office)
    watcher = Watcher(
        tmp_path / "meeting.yaml", options, Events(built=on_built), interval=0.1, settle=0.2
    )
    thread = threading.Thread(target=watcher.run, kwargs={"stop": stop.is_set}, daemon=True)
    thread.start()
    try:
        assert done.acquire(timeout=120), "the first build"
        _word(paper, 150)  # now several pages long
        assert done.acquire(timeout=120), "the rebuild"
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    first, second = built
    assert second.pages > first.pages
    assert second.conversions.served == 2  # the paper, and the front sheet: its ranges moved
    assert second.conversions.runs == 0
    assert office.starts == 1


def test_the_watch_command_stopped_by_ctrl_c_leaves_no_libreoffice(tmp_path, needs_soffice):
    if not OfficeServer.available():
        pytest.skip("no Python with uno (apt-get install python3-uno)")
    kit.docx(tmp_path / "papers" / "update.docx")
    kit.write_meeting(
        tmp_path, "  - title: Update\n    papers:\n      - file: papers/update.docx\n"
    )
    process = kit.packbuilder("watch", "meeting.yaml", "--no-cache", cwd=tmp_path)
    out = kit.Lines(process.stdout)
    try:
        out.wait_for("Built build/meeting/public/pack.pdf", timeout=120)
        assert running(f"packbuilder-{process.pid}-"), "LibreOffice kept running"
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=60)
    out.wait_for("Stopped watching meeting.yaml.")
    assert code == 0
    assert running(f"packbuilder-{process.pid}-") == []
