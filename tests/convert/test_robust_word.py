"""Word papers and templates: refused before LibreOffice when they are not Word documents,
named in every converter error (never by the cache copy's hash), and a hang is
stopped with its whole process group. Templates: an unknown variable, a broken
tag, a file that is not a .docx, each named with what to do (exit 5)."""

from __future__ import annotations

import os
import re
import struct
import time
import zipfile
import zlib
from pathlib import Path

import docx as python_docx
import pytest
from click.testing import CliRunner

from packbuilder.cli import main
from packbuilder.exceptions import DocumentError, EncryptedDocumentError, ExitCode
from packbuilder.inputs.docxcheck import check_docx

from helpers import kit
from helpers.fakeconv import pid_alive, write_fake_soffice


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def word(path: Path, *paragraphs: str) -> Path:
    document = python_docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def ole(path: Path, *, encrypted: bool) -> Path:
    """A Compound File (an old .doc, or a password-protected .docx if ``encrypted``)."""
    body = bytearray(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 2048)
    if encrypted:
        body += "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(bytes(body))
    return path


# --- check_docx ---------------------------------------------------------------------------


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _corrupt_crc(path: Path) -> Path:
    kit.docx(path)
    data = bytearray(path.read_bytes())
    # Flip a byte inside word/document.xml's compressed data (after its local header).
    start = data.index(b"word/document.xml") + len("word/document.xml") + 40
    data[start] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


BAD_DOCX = {
    "zero bytes": (lambda p: kit.zero_bytes(p), "is empty (0 bytes)", DocumentError),
    "plain text": (
        lambda p: p.write_text("Report of the Chief Executive\n") and p,
        "is not a Word document (.docx)",
        DocumentError,
    ),
    "old .doc": (lambda p: ole(p, encrypted=False), "Word 97-2003 document", DocumentError),
    "password": (
        lambda p: ole(p, encrypted=True),
        "protected by a password",
        EncryptedDocumentError,
    ),
    "a PDF": (
        lambda p: p.write_bytes(kit.pdf_bytes()) and p,
        "is a PDF file named .docx",
        DocumentError,
    ),
    "rtf": (lambda p: p.write_text("{\\rtf1\\ansi hello}") and p, "Rich Text", DocumentError),
    "web page": (
        lambda p: p.write_text("<html><body>x</body></html>") and p,
        "web page",
        DocumentError,
    ),
    "excel": (
        lambda p: _zip(p, {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}),
        "is an Excel workbook",
        DocumentError,
    ),
    "powerpoint": (
        lambda p: _zip(p, {"ppt/presentation.xml": b"<p/>"}),
        "is a PowerPoint presentation",
        DocumentError,
    ),
    "some zip": (lambda p: _zip(p, {"notes.txt": b"hi"}), "is a zip file", DocumentError),
    "truncated": (
        lambda p: p.write_bytes(kit.EXAMPLE_DOCX.read_bytes()[:3000]) and p,
        "is damaged",
        DocumentError,
    ),
    "corrupt part": (lambda p: _corrupt_crc(p), "is damaged", DocumentError),
    "broken xml": (
        lambda p: kit.rezip(
            kit.EXAMPLE_DOCX,
            p,
            change=lambda n, d: d[: len(d) // 2] if n == "word/document.xml" else d,
        ),
        "its text (word/document.xml) is not valid XML",
        DocumentError,
    ),
}


@pytest.mark.parametrize("case", list(BAD_DOCX))
def test_check_docx_refuses_what_is_not_a_word_document(tmp_path, case):
    make, fragment, error = BAD_DOCX[case]
    path = tmp_path / "paper.docx"
    make(path)
    with pytest.raises(DocumentError) as info:
        check_docx(path, where="papers/paper.docx")
    assert type(info.value) is error
    assert info.value.where == "papers/paper.docx"
    assert fragment in info.value.message
    assert info.value.hint
    assert info.value.exit_code is ExitCode.BAD_DOCUMENT


def test_check_docx_accepts_real_word_documents(tmp_path):
    check_docx(kit.docx(tmp_path / "a.docx"))
    check_docx(word(tmp_path / "b.docx", "Cyngor Sir Ynys Môn"))
    check_docx(kit.unconvertible_docx(tmp_path / "c.docx"))  # well formed; LibreOffice refuses it


# --- a zip bomb ------------------------------------------------------------------------------

BOMB_XML_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>"
)
BOMB_XML_TAIL = b"</w:t></w:r></w:p></w:body></w:document>"


def zip_bomb(path: Path, megabytes: int) -> Path:
    """The example .docx with a word/document.xml that inflates to ``megabytes`` MB (spaces
    in one well-formed paragraph) from about a kilobyte per megabyte.

    Written directly as a zip (a fraction of a second for 800 MB): the deflate
    stream of one megabyte, flushed so that it stands alone, is repeated.
    """
    block = b" " * (1 << 20)
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = squeeze.compress(BOMB_XML_HEAD) + squeeze.flush(zlib.Z_FULL_FLUSH)
    middle = squeeze.compress(block) + squeeze.flush(zlib.Z_FULL_FLUSH)
    last = squeeze.compress(BOMB_XML_TAIL) + squeeze.flush()
    crc = zlib.crc32(BOMB_XML_HEAD)
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    size = len(BOMB_XML_HEAD) + megabytes * len(block) + len(BOMB_XML_TAIL)
    bomb = (first + middle * megabytes + last, size, zlib.crc32(BOMB_XML_TAIL, crc))
    parts = []
    with zipfile.ZipFile(kit.EXAMPLE_DOCX) as example:
        for name in example.namelist():
            if name == "word/document.xml":
                parts.append((name, zipfile.ZIP_DEFLATED, *bomb))
            else:
                data = example.read(name)
                parts.append((name, zipfile.ZIP_STORED, data, len(data), zlib.crc32(data)))
    local, central = bytearray(), bytearray()
    for name, method, data, unpacked, checksum in parts:
        raw = name.encode()
        fields = (20, 0, method, 0, 0x21, checksum, len(data), unpacked, len(raw))
        offset = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + raw + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset)
        central += raw
    count = len(parts)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(local), 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(local + central + end))
    return path


def test_the_bomb_is_a_real_one(tmp_path):
    """What the tests refuse really inflates as declared (a small one, read whole)."""
    with zipfile.ZipFile(zip_bomb(tmp_path / "small.docx", 3)) as archive:
        assert archive.testzip() is None
        assert archive.getinfo("word/document.xml").compress_size < 10_000
        xml = archive.read("word/document.xml")
    assert len(xml) > 3_000_000 and xml.endswith(BOMB_XML_TAIL)
    python_docx.Document(str(tmp_path / "small.docx"))


@pytest.mark.parametrize(
    "megabytes,fragment",
    [
        (800, "would unpack to 840 MB (from 2 MB), more than the 200 MB packbuilder accepts"),
        (50, "has a part (word/document.xml) that would unpack to 52 MB from 52 kB"),
    ],
)
def test_a_zip_bomb_is_refused_without_inflating_it(tmp_path, megabytes, fragment):
    bomb = zip_bomb(tmp_path / "bomb.docx", megabytes)
    started = time.monotonic()
    with pytest.raises(DocumentError) as info:
        check_docx(bomb, where="papers/bomb.docx")
    assert time.monotonic() - started < 1.0  # inflating 800 MB takes seconds
    assert info.value.where == "papers/bomb.docx"
    assert fragment in info.value.message and "zip bomb" in info.value.message
    assert "ask the author for the paper again" in info.value.hint
    assert info.value.exit_code is ExitCode.BAD_DOCUMENT


def test_a_large_ordinary_document_is_accepted(tmp_path):
    """Four megabytes of text that compresses as text does (about twice) is not a bomb."""
    noise = os.urandom(2_000_000).hex().encode()
    big = kit.rezip(
        kit.EXAMPLE_DOCX,
        tmp_path / "big.docx",
        change=lambda n, d: d + b"<!--" + noise + b"-->" if n == "word/document.xml" else d,
    )
    check_docx(big)


def test_a_zip_bomb_paper_is_refused_by_check_and_build_before_libreoffice(tmp_path, monkeypatch):
    zip_bomb(tmp_path / "papers" / "update.docx", 800)
    kit.write_meeting(tmp_path, ONE_WORD_PAPER)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PACKBUILDER_SOFFICE", "no-such-soffice")  # exit 6 if it got that far
    for command in ("check", "build"):
        started = time.monotonic()
        result = invoke(command, "meeting.yaml")
        assert time.monotonic() - started < 5
        assert result.exit_code == ExitCode.BAD_DOCUMENT, result.output
        assert "error: papers/update.docx: would unpack to 840 MB" in result.output
        assert "What to do: do not open it; ask the author" in result.output
    assert not (tmp_path / "build" / "meeting").exists()


def test_a_zip_bomb_template_is_refused_before_it_is_opened(tmp_path, monkeypatch):
    kit.write_meeting(tmp_path, "  - title: Apologies for Absence\n")
    zip_bomb(tmp_path / "templates" / "agenda.docx", 800)
    monkeypatch.chdir(tmp_path)
    for command in ("check", "build"):
        started = time.monotonic()
        result = invoke(command, "meeting.yaml")
        assert time.monotonic() - started < 5, "refused from the zip's directory, not inflated"
        assert result.exit_code == ExitCode.TEMPLATE_ERROR, result.output
        assert "templates/agenda.docx would unpack to 840 MB" in result.output
        assert "zip bomb" in result.output


# --- through the command line --------------------------------------------------------------

ONE_WORD_PAPER = """\
  - title: Minutes
  - title: Executive Member Update
    papers:
      - file: papers/update.docx
"""


def test_a_text_file_named_docx_is_refused_before_libreoffice(tmp_path, monkeypatch):
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "update.docx").write_text("typed in Notepad\n")
    kit.write_meeting(tmp_path, ONE_WORD_PAPER)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PACKBUILDER_SOFFICE", "no-such-soffice")  # exit 6 if it got that far
    for command in ("check", "build"):
        result = invoke(command, "meeting.yaml")
        assert result.exit_code == ExitCode.BAD_DOCUMENT, result.output
        assert "error: papers/update.docx: is not a Word document (.docx)" in result.output
        assert "save it again as 'Word Document (*.docx)'" in result.output
    assert not (tmp_path / "build" / "meeting").exists()


@pytest.mark.e2e
def test_real_libreoffice_refusing_a_docx_names_the_clerks_file(
    tmp_path, monkeypatch, lo_cache, needs_soffice
):
    kit.docx(tmp_path / "papers" / "update.docx")
    kit.write_meeting(tmp_path, ONE_WORD_PAPER)
    monkeypatch.chdir(tmp_path)
    result = invoke("build", "meeting.yaml", "--cache-dir", str(lo_cache))
    assert result.exit_code == 0, result.output
    out = tmp_path / "build" / "meeting"
    before = kit.snapshot(out)

    kit.unconvertible_docx(tmp_path / "papers" / "update.docx")
    result = invoke("build", "meeting.yaml", "--cache-dir", str(lo_cache))
    assert result.exit_code == ExitCode.CONVERTER_ERROR, result.output
    assert "LibreOffice did not convert papers/update.docx to PDF" in result.output
    assert "What to do:" in result.output and "save it again as .docx" in result.output
    assert not re.search(r"[0-9a-f]{64}", result.output), "names the cache copy, not the file"
    assert kit.snapshot(out) == before
    assert kit.leftovers(out) == []


def _fake(tmp_path: Path, monkeypatch, **env: str) -> Path:
    program = write_fake_soffice(tmp_path)
    pids = tmp_path / "soffice-pids"
    monkeypatch.setenv("PACKBUILDER_SOFFICE", str(program))
    monkeypatch.setenv("FAKE_SOFFICE_PIDS", str(pids))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return pids


def _pids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def test_a_hanging_conversion_is_stopped_with_its_whole_process_group(tmp_path, monkeypatch):
    # Four papers: the hanging one shares a LibreOffice run with another, so the
    # converter has to retry that run's documents one by one to name the culprit.
    word(tmp_path / "papers" / "a.docx", "First update")
    word(tmp_path / "papers" / "b.docx", "Second update")
    word(tmp_path / "papers" / "slow.docx", "This one HANGS LibreOffice")
    word(tmp_path / "papers" / "d.docx", "Fourth update")
    papers = "".join(f"      - file: papers/{name}.docx\n" for name in ("a", "b", "slow", "d"))
    items = ONE_WORD_PAPER.replace("      - file: papers/update.docx\n", papers)
    kit.write_meeting(tmp_path, items)
    pids = _fake(tmp_path, monkeypatch, FAKE_SOFFICE_HANG_ON="HANGS")
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    result = invoke("build", "meeting.yaml", "--timeout", "1", "--no-cache")
    elapsed = time.monotonic() - started
    assert result.exit_code == ExitCode.CONVERTER_ERROR, result.output
    assert (
        "error: LibreOffice took longer than 1 s converting papers/slow.docx and was stopped"
        in result.output
    )
    assert "--timeout" in result.output  # what to do
    assert elapsed < 20
    started_pids = _pids(pids)
    # the batch run and the retry of the hanging paper each left a child ignoring SIGTERM
    assert len(started_pids) >= 5
    time.sleep(0.2)
    assert [pid for pid in started_pids if pid_alive(pid)] == []
    assert kit.leftovers(tmp_path / "build" / "meeting") == []


def test_a_hanging_front_sheet_names_the_agenda_template(tmp_path, monkeypatch):
    kit.write_meeting(tmp_path, "  - title: Minutes\n")
    pids = _fake(tmp_path, monkeypatch, FAKE_SOFFICE_MODE="hang")
    monkeypatch.chdir(tmp_path)
    result = invoke("build", "meeting.yaml", "--timeout", "1", "--no-cache")
    assert result.exit_code == ExitCode.CONVERTER_ERROR, result.output
    assert (
        "took longer than 1 s converting the front sheet rendered from templates/agenda.docx"
        in result.output
    )
    time.sleep(0.2)
    assert [pid for pid in _pids(pids) if pid_alive(pid)] == []


# --- templates ------------------------------------------------------------------------------


def _committee_with(template: str) -> str:
    return kit.COMMITTEE + f"templates:\n  agenda: {template}\n"


@pytest.mark.parametrize(
    "paragraphs,fragments",
    [
        (
            ["{{ meeting.title }}", "Venue: {{ meeting.venu }}"],
            ["my-agenda.docx uses {{ meeting.venu }}, which is not defined", "venue"],
        ),
        (
            ["{{ chair_name }}"],
            ["my-agenda.docx uses {{ chair_name }}, which is not defined", "membership"],
        ),
        (["{{ meeting.title "], ["my-agenda.docx has a broken Jinja tag", "'{{' needs its '}}'"]),
        (
            ["{%p if meeting.notices %}", "Notices"],
            ["my-agenda.docx has a broken Jinja tag", "endif"],
        ),
    ],
)
def test_template_mistakes_name_the_template_and_the_variable(
    tmp_path, monkeypatch, paragraphs, fragments
):
    word(tmp_path / "my-agenda.docx", *paragraphs)
    kit.write_meeting(tmp_path, "  - title: Minutes\n", committee=_committee_with("my-agenda.docx"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PACKBUILDER_SOFFICE", "no-such-soffice")  # fails before conversion
    result = invoke("build", "meeting.yaml")
    assert result.exit_code == ExitCode.TEMPLATE_ERROR, result.output
    assert "What to do:" in result.output and "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


@pytest.mark.parametrize(
    "tags,fragments",
    [
        (
            "{{ meeting.title.__class__.__mro__[1].__subclasses__() }}",
            [
                "my-agenda.docx uses a tag that is not allowed: access to attribute "
                "'__class__' of 'str' object is unsafe",
                "not Python's internals",
            ],
        ),
        (
            "{{ cycler.__init__.__globals__.os.system('id') }}",
            ["my-agenda.docx uses a tag that is not allowed", "remove the tag"],
        ),
        (
            ["{%p for i in range(10**8) %}", "{{ i }}", "{%p endfor %}"],
            [
                "my-agenda.docx asks for too much: range() was asked for more than 100,000 "
                "numbers in one template",
                "enormous range",
            ],
        ),
        (
            [
                "{%p for i in range(1000) %}",
                "{%p for j in range(1000) %}",
                "{{ i }}",
                "{%p endfor %}",
                "{%p endfor %}",
            ],
            ["my-agenda.docx asks for too much: range() was asked for more than 100,000"],
        ),
        ("{{ 'x' * 10**9 }}", ["my-agenda.docx asks for too much: '*' was asked for"]),
        ("{{ 2 ** 100000000 }}", ["my-agenda.docx asks for too much: '**' was asked for"]),
        ("{{ 1 / 0 }}", ["my-agenda.docx could not be filled in: ZeroDivisionError"]),
        (
            "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
            ["my-agenda.docx could not be filled in: RecursionError"],
        ),
    ],
    ids=[
        "__class__",
        "__globals__",
        "range(10**8)",
        "nested ranges",
        "'x' * 10**9",
        "2 ** 100000000",
        "1/0",
        "recursion",
    ],
)
def test_a_template_cannot_reach_python_or_run_for_ever(tmp_path, monkeypatch, tags, fragments):
    paragraphs = [tags] if isinstance(tags, str) else tags
    word(tmp_path / "my-agenda.docx", "{{ meeting.title }}", *paragraphs)
    kit.write_meeting(tmp_path, "  - title: Minutes\n", committee=_committee_with("my-agenda.docx"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PACKBUILDER_SOFFICE", "no-such-soffice")  # fails before conversion
    started = time.monotonic()
    result = invoke("build", "meeting.yaml")
    assert time.monotonic() - started < 20, "refused at once, not after running"
    assert result.exit_code == ExitCode.TEMPLATE_ERROR, result.output
    assert "What to do:" in result.output and "Traceback" not in result.output
    assert "subclasses" not in result.output.split("not allowed")[-1], "no internals printed"
    for fragment in fragments:
        assert fragment in result.output, result.output


def test_a_forward_plan_template_is_filled_in_the_sandbox_too(tmp_path, monkeypatch):
    word(
        tmp_path / "our-plan.docx",
        "{%p for group in groups %}",
        "{{ group.portfolio.__class__.__mro__ }}",
        "{%p endfor %}",
    )
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "regeneration.yaml").write_text(kit.SMALL_PLAN_ENTRIES)
    (tmp_path / "plan.yaml").write_text(kit.SMALL_PLAN + "template: our-plan.docx\n")
    monkeypatch.chdir(tmp_path)
    result = invoke("forward-plan", "build", "plan.yaml", "--as-of", "2022-05-03", "-o", "out")
    assert result.exit_code == ExitCode.TEMPLATE_ERROR, result.output
    assert (
        "error: our-plan.docx uses a tag that is not allowed: access to attribute '__class__' "
        "of 'str' object is unsafe\n  What to do: templates may use the variables" in result.output
    )
    assert not (tmp_path / "out").exists()


def test_a_template_that_is_not_a_docx(tmp_path, monkeypatch):
    (tmp_path / "my-agenda.docx").write_text("{{ meeting.title }}")
    kit.write_meeting(tmp_path, "  - title: Minutes\n", committee=_committee_with("my-agenda.docx"))
    monkeypatch.chdir(tmp_path)
    result = invoke("build", "meeting.yaml")
    assert result.exit_code == ExitCode.TEMPLATE_ERROR, result.output
    assert "my-agenda.docx is not a Word document (.docx)" in result.output
    assert "save it as 'Word Document (*.docx)'" in result.output


def test_a_template_named_doc_is_refused_by_the_schema(tmp_path, monkeypatch):
    (tmp_path / "agenda.doc").write_bytes(b"x")
    kit.write_meeting(tmp_path, "  - title: Minutes\n", committee=_committee_with("agenda.doc"))
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "meeting.yaml")
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "committee.yaml:11 (templates.agenda): 'agenda.doc' is a .doc; expected .docx" in (
        result.output
    )


def test_a_cover_report_field_missing_from_the_yaml(tmp_path, monkeypatch):
    word(tmp_path / "report-template.docx", "{{ report.subject }}", "{{ report.budget_code }}")
    items = (
        "  - title: Budget\n"
        "    papers:\n"
        "      - report: {subject: Budget 2022/23}\n"
        "        template: report-template.docx\n"
    )
    kit.write_meeting(tmp_path, items)
    monkeypatch.chdir(tmp_path)
    result = invoke("build", "meeting.yaml")
    assert result.exit_code == ExitCode.TEMPLATE_ERROR, result.output
    assert "meeting.yaml:9 (item 1, paper 1)" in result.output
    assert "uses {{ report.budget_code }}, which is not defined" in result.output
    assert "add 'budget_code:' under 'report:' in the meeting file" in result.output


def test_check_opens_the_report_template_as_the_build_does(tmp_path, monkeypatch):
    items = "  - title: Budget\n    papers:\n      - report: {subject: Budget 2022/23}\n"
    kit.write_meeting(tmp_path, items)
    (tmp_path / "templates" / "report.docx").write_text("typed in Notepad\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PACKBUILDER_SOFFICE", "no-such-soffice")  # exit 6 if it got that far
    outputs = []
    for command in ("check", "build"):
        result = invoke(command, "meeting.yaml")
        assert result.exit_code == ExitCode.TEMPLATE_ERROR, result.output
        outputs.append(result.output)
    assert outputs[0] == outputs[1], "check says what the build says"
    assert (
        "meeting.yaml:9 (item 1, paper 1): templates/report.docx is not a Word document (.docx)"
        in outputs[0]
    )
