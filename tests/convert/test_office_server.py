"""The kept-running LibreOffice (``OfficeServer``) with fakes: the bridge protocol, timeouts,
crashes, Ctrl-C, closing, and the fall-back to one-shot runs.

LibreOffice is the fake ``soffice`` of ``fakeconv`` (it waits to be told to
quit) and the bridge is the fake "Python with uno" (``PACKBUILDER_UNO_PYTHON``),
which speaks the bridge's JSON lines and converts with ``fakeconv``. Every
process they start is recorded and checked in /proc afterwards. The real
bridge and LibreOffice are tested in ``test_office_server_e2e.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from packbuilder.convert._exec import soffice
from packbuilder.convert._exec.soffice import OfficeServer, OfficeStartError
from packbuilder.convert.converter import ConversionCache, Converter
from packbuilder.exceptions import ConversionTimeoutError, ConverterError

from helpers import fakeconv
from helpers.fakeconv import pid_alive


def word(path: Path, *paragraphs: str) -> Path:
    document = WordDocument()
    for text in paragraphs:
        document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


@pytest.fixture
def fakes(tmp_path, monkeypatch):
    """Fake soffice and fake bridge in the environment; returns the file of their pids."""
    pids = tmp_path / "pids"
    monkeypatch.setenv("PACKBUILDER_SOFFICE", str(fakeconv.write_fake_soffice(tmp_path)))
    monkeypatch.setenv("PACKBUILDER_UNO_PYTHON", str(fakeconv.write_fake_uno_python(tmp_path)))
    monkeypatch.setenv("FAKE_SOFFICE_PIDS", str(pids))
    return pids


def started(pids: Path) -> list[int]:
    return [int(line) for line in pids.read_text().split()] if pids.exists() else []


def alive(pids: Path) -> list[int]:
    time.sleep(0.1)
    return [pid for pid in started(pids) if pid_alive(pid)]


def test_available_needs_a_python_that_imports_uno(fakes, monkeypatch):
    assert OfficeServer.available()
    monkeypatch.setenv("FAKE_UNO_PROBE_EXIT", "1")
    soffice._probe_uno.cache_clear()
    assert not OfficeServer.available()
    monkeypatch.setenv("PACKBUILDER_UNO_PYTHON", "/nonexistent/python3")
    assert not OfficeServer.available()
    soffice._probe_uno.cache_clear()


def test_conversions_share_one_server_and_close_leaves_nothing(fakes, tmp_path):
    a = word(tmp_path / "a.docx", "First paper")
    b = word(tmp_path / "b.docx", "Second paper")
    with OfficeServer() as office:
        first = office.convert_to_pdf([a], tmp_path / "out", timeout=30)
        leaders = office.processes()
        second = office.convert_to_pdf([b], tmp_path / "out", timeout=30)
        assert office.processes() == leaders and office.starts == 1
        assert PdfReader(first[a]).pages[0].extract_text().startswith("First paper")
        assert second[b] == tmp_path / "out" / "b.pdf"
        folder = office._folder
        assert folder is not None and folder.is_dir()
    assert len(started(fakes)) == 2 and alive(fakes) == []
    assert not folder.exists(), "the profile is deleted"
    assert not office.running


def test_a_document_libreoffice_refuses_is_an_error_and_the_server_stays(
    fakes, tmp_path, monkeypatch
):
    monkeypatch.setenv("FAKE_BRIDGE_REFUSE_ON", "damaged")
    bad = word(tmp_path / "bad.docx", "A damaged paper")
    good = word(tmp_path / "good.docx", "A good paper")
    with OfficeServer() as office:
        with pytest.raises(ConverterError) as info:
            office.convert_to_pdf([bad], tmp_path / "out", timeout=30)
        assert info.value.message == "LibreOffice did not convert bad.docx to PDF"
        assert "LibreOffice said: source file could not be loaded" in info.value.hint
        office.convert_to_pdf([good], tmp_path / "out", timeout=30)
        assert office.starts == 1
    assert alive(fakes) == []


def test_a_reply_without_a_pdf_is_an_error(fakes, tmp_path, monkeypatch):
    source = word(tmp_path / "a.docx", "A paper")
    with OfficeServer() as office:
        office.start()
        monkeypatch.setattr(soffice, "looks_like_pdf", lambda path: False)
        with pytest.raises(ConverterError, match="did not convert a.docx to PDF"):
            office.convert_to_pdf([source], tmp_path / "out", timeout=30)


def test_a_hanging_conversion_kills_both_groups_and_the_next_starts_afresh(
    fakes, tmp_path, monkeypatch
):
    monkeypatch.setenv("FAKE_BRIDGE_HANG_ON", "HANGS")
    monkeypatch.setenv("FAKE_SOFFICE_MODE", "hang")  # LibreOffice with a child ignoring SIGTERM
    slow = word(tmp_path / "slow.docx", "This one HANGS LibreOffice")
    good = word(tmp_path / "good.docx", "A good paper")
    with OfficeServer() as office:
        began = time.monotonic()
        with pytest.raises(ConversionTimeoutError) as info:
            office.convert_to_pdf([slow], tmp_path / "out", timeout=1)
        assert time.monotonic() - began < 10
        assert info.value.message == (
            "LibreOffice took longer than 1 s converting slow.docx and was stopped"
        )
        assert "--timeout" in info.value.hint
        assert not office.running
        assert len(started(fakes)) == 4 and alive(fakes) == []  # two leaders, two children
        office.convert_to_pdf([good], tmp_path / "out", timeout=30)
        assert office.starts == 2
    assert alive(fakes) == []


def test_through_the_converter_a_timeout_names_the_clerks_file(fakes, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_BRIDGE_HANG_ON", "HANGS")
    slow = word(tmp_path / "papers" / "slow.docx", "This one HANGS LibreOffice")
    with OfficeServer() as office:
        converter = Converter(tmp_path / "work", ConversionCache(None), timeout=1, office=office)
        with pytest.raises(ConversionTimeoutError) as info:
            converter.convert([slow], {slow: "papers/slow.docx"})
    assert "converting papers/slow.docx and was stopped" in info.value.message
    assert alive(fakes) == []


def test_a_bridge_that_dies_is_restarted_once(fakes, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_BRIDGE_MODE", "die-once")
    monkeypatch.setenv("FAKE_BRIDGE_STATE", str(tmp_path / "died"))
    source = word(tmp_path / "a.docx", "A paper")
    with OfficeServer() as office:
        office.convert_to_pdf([source], tmp_path / "out", timeout=30)
        assert office.starts == 2
    assert alive(fakes) == []


def test_a_bridge_that_always_dies_is_an_error(fakes, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_BRIDGE_MODE", "die")
    source = word(tmp_path / "a.docx", "A paper")
    with OfficeServer() as office, pytest.raises(ConverterError) as info:
        office.convert_to_pdf([source], tmp_path / "out", timeout=30)
    assert info.value.message == "LibreOffice stopped while converting a.docx"
    assert alive(fakes) == []


def test_a_server_that_never_gets_ready_is_a_start_error(fakes, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_BRIDGE_MODE", "silent")
    office = OfficeServer(start_timeout=1)
    with pytest.raises(OfficeStartError, match="did not start listening within 1 s"):
        office.start()
    assert not office.running and alive(fakes) == []


def test_the_converter_falls_back_to_one_shot_runs(fakes, tmp_path, monkeypatch):
    source = word(tmp_path / "a.docx", "A paper")
    monkeypatch.setenv("FAKE_BRIDGE_MODE", "silent")
    messages: list[str] = []
    office = OfficeServer(start_timeout=1)
    converter = Converter(
        tmp_path / "work", ConversionCache(None), office=office, progress=messages.append
    )
    pdf = converter.convert([source])[source]
    assert PdfReader(pdf).pages[0].extract_text().startswith("A paper")
    assert converter.stats.runs == 1 and converter.stats.served == 0
    assert any("converting with one-shot LibreOffice runs" in m for m in messages)
    assert alive(fakes) == []


def test_without_uno_the_converter_uses_one_shot_runs_silently(fakes, tmp_path, monkeypatch):
    monkeypatch.setenv("PACKBUILDER_UNO_PYTHON", str(tmp_path / "no-such-python"))
    source = word(tmp_path / "a.docx", "A paper")
    converter = Converter(tmp_path / "work", ConversionCache(None), office=OfficeServer())
    assert converter.office is None
    converter.convert([source])
    assert converter.stats.runs == 1 and converter.stats.served == 0


def test_the_converter_serves_misses_and_keeps_the_cache(fakes, tmp_path):
    a = word(tmp_path / "a.docx", "First paper")
    b = word(tmp_path / "b.docx", "Second paper")
    cache = ConversionCache(tmp_path / "cache")
    with OfficeServer() as office:
        first = Converter(tmp_path / "work", cache, office=office)
        first.convert([a, b])
        assert first.stats.served == 2 and first.stats.runs == 0
        again = Converter(tmp_path / "work", cache, office=office)
        again.convert([a, b])
        assert again.stats.served == 0 and len(again.stats.cached) == 2
        assert office.starts == 1


def test_ctrl_c_during_a_conversion_kills_the_server(fakes, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_BRIDGE_HANG_ON", "HANGS")
    slow = word(tmp_path / "slow.docx", "This one HANGS LibreOffice")
    office = OfficeServer()
    office.start()
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            office.convert_to_pdf([slow], tmp_path / "out", timeout=60)
    finally:
        timer.cancel()
    assert not office.running and alive(fakes) == []


SCRIPT = """\
import sys
from pathlib import Path
from packbuilder.convert._exec.soffice import OfficeServer
office = OfficeServer()
office.start()
print(" ".join(map(str, office.processes())), flush=True)
"""


def test_a_server_left_open_is_closed_at_exit(fakes, tmp_path):
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root / "src"))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.split()) == 2
    assert len(started(fakes)) == 2 and alive(fakes) == []
