"""Word papers: tracked changes, comments and references outside the document.

A Word paper with tracked changes or unresolved comments is refused (naming the
file, the count of each, and how to settle them in Word) unless it says
``tracked_changes: accept``; one whose pictures, objects or fields point outside
it is refused unless it says ``external_links: remove``. LibreOffice itself is
given a profile that loads nothing a document links to: a local web server
sees no request while a document linked to it converts.
"""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from packbuilder.cli import main
from packbuilder.convert._exec import soffice
from packbuilder.exceptions import ExitCode
from packbuilder.inputs.docxsafety import clean_docx, inspect_docx

from helpers import kit
from helpers.safetykit import (
    assert_clean,
    deleted,
    inserted,
    outputs,
    para,
    picture,
    run,
    text,
    tiny_png,
    word_paper,
)

needs_tools = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("qpdf") and shutil.which("soffice")),
    reason="needs poppler-utils, qpdf and LibreOffice",
)

SECRET = "Acme Ltd at 1.2m (confidential)"


def changed_paper(path: Path, *, comments=None) -> Path:
    """A paper with an insertion, two deletions, a move and a formatting change."""
    body = (
        para(run("The contract goes to "), deleted(SECRET), inserted("the lowest bidder"))
        + para(run("Kept text."), deleted(" Another deleted sentence."))
        + '<w:moveFrom w:id="93" w:author="J Smith"><w:p>'
        + run("MOVED-AWAY paragraph")
        + "</w:p></w:moveFrom>"
        + '<w:p><w:moveTo w:id="94" w:author="J Smith">'
        + run("MOVED-HERE paragraph")
        + "</w:moveTo></w:p>"
        + '<w:p><w:r><w:rPr><w:b/><w:rPrChange w:id="95" w:author="J Smith"><w:rPr/>'
        + "</w:rPrChange></w:rPr><w:t>Bold now.</w:t></w:r></w:p>"
    )
    if comments:
        body += para(
            '<w:commentRangeStart w:id="1"/>',
            run("Commented text."),
            '<w:commentRangeEnd w:id="1"/>',
            '<w:r><w:commentReference w:id="1"/></w:r>',
        )
    return word_paper(path, body, comments=comments)


def invoke_in(folder: Path, monkeypatch, *args: str):
    monkeypatch.chdir(folder)
    return CliRunner().invoke(main, list(args))


def meeting_with(folder: Path, paper: Path, keys: str = "") -> Path:
    target = folder / "papers" / paper.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(paper, target)
    extra = "".join(f"        {line}\n" for line in keys.splitlines())
    return kit.write_meeting(
        folder, f"  - title: A Word paper\n    papers:\n      - file: papers/{paper.name}\n{extra}"
    )


# --- tracked changes and comments ------------------------------------------------------------


@needs_tools
def test_tracked_changes_and_comments_are_refused_with_counts_and_what_to_do(tmp_path, monkeypatch):
    paper = changed_paper(tmp_path / "changes.docx", comments=[(1, "SECRET-COMMENT", False)])
    folder = tmp_path / "m"
    meeting_with(folder, paper)
    for command in ("check", "build"):
        result = invoke_in(folder, monkeypatch, command, "meeting.yaml")
        assert result.exit_code == ExitCode.BAD_DOCUMENT, result.output
        assert (
            "papers/changes.docx: has tracked changes (2 deletions, 1 formatting change, "
            "1 insertion, 2 moves) and 1 unresolved comment" in result.output
        )
        assert "Review > Accept > Accept All Changes" in result.output
        assert "'tracked_changes: accept'" in result.output
        assert "Traceback" not in result.output


@needs_tools
@pytest.mark.parametrize("done", [False, True], ids=["unresolved", "resolved"])
def test_a_comment_alone_is_refused_only_while_unresolved(tmp_path, monkeypatch, done):
    body = para('<w:commentRangeStart w:id="1"/>', run("Text."), '<w:commentRangeEnd w:id="1"/>')
    paper = word_paper(tmp_path / "commented.docx", body, comments=[(1, "A comment", done)])
    folder = tmp_path / "m"
    meeting_with(folder, paper)
    result = invoke_in(folder, monkeypatch, "check", "meeting.yaml")
    if done:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == ExitCode.BAD_DOCUMENT, result.output
        assert "has 1 unresolved comment" in result.output


@needs_tools
def test_tracked_changes_accept_builds_what_the_author_meant(tmp_path, monkeypatch):
    paper = changed_paper(tmp_path / "changes.docx", comments=[(1, "SECRET-COMMENT", False)])
    before = paper.read_bytes()
    pdfs, _warnings = outputs(
        tmp_path, paper, keys="tracked_changes: accept", monkeypatch=monkeypatch
    )
    assert_clean(
        pdfs,
        b"Acme Ltd",
        b"Another deleted",
        b"MOVED-AWAY",
        b"SECRET-COMMENT",
        visible=b"The contract goes to the lowest bidder",
    )
    for pdf in pdfs:
        shown = text(pdf)
        assert "MOVED-HERE paragraph" in shown and "Kept text." in shown
    assert paper.read_bytes() == before  # the clerk's file is not touched


def test_accepting_settles_every_kind_of_change(tmp_path):
    """Deleted paragraph marks join paragraphs, deleted rows and cells go, inserted rows and
    paragraph marks stay, move ranges and comment marks go; nothing is left to find."""
    row = "<w:tr><w:trPr>{}</w:trPr><w:tc><w:p>{}</w:p></w:tc></w:tr>"
    body = (
        '<w:p><w:pPr><w:rPr><w:del w:id="1" w:author="a"/></w:rPr></w:pPr>'
        + run("First half, ")
        + "</w:p>"
        + para(run("second half."))
        + "<w:tbl>"
        + row.format('<w:del w:id="2" w:author="a"/>', run("DELETED-ROW"))
        + row.format('<w:ins w:id="3" w:author="a"/>', run("Inserted row"))
        + '<w:tr><w:tc><w:tcPr><w:cellDel w:id="4" w:author="a"/></w:tcPr><w:p>'
        + run("DELETED-CELL")
        + "</w:p></w:tc><w:tc><w:p>"
        + run("Kept cell")
        + "</w:p></w:tc></w:tr></w:tbl>"
        + '<w:moveFromRangeStart w:id="5" w:name="m"/><w:moveFromRangeEnd w:id="5"/>'
        + para('<w:commentRangeStart w:id="6"/>', run("Plain."), '<w:commentRangeEnd w:id="6"/>')
    )
    paper = word_paper(tmp_path / "kinds.docx", body, comments=[(6, "SECRET-COMMENT", False)])
    assert inspect_docx(paper).unsettled
    clean = clean_docx(paper, tmp_path / "clean.docx", accept=True, remove_links=False)
    found = inspect_docx(clean)
    assert not found.unsettled and not found.changes, found
    with zipfile.ZipFile(clean) as archive:
        document = archive.read("word/document.xml").decode()
        comments = archive.read("word/comments.xml").decode()
    assert "DELETED-ROW" not in document and "DELETED-CELL" not in document
    assert "Inserted row" in document and "Kept cell" in document
    assert "SECRET-COMMENT" not in comments and "commentRange" not in document
    assert document.count("<w:p>") + document.count("<w:p ") == 4  # the halves joined


# --- outside references ----------------------------------------------------------------------

FIELD = (
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
    ' {} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    "<w:r><w:t>CACHED-FIELD-RESULT</w:t></w:r>"
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
)
OUTSIDE = {
    "picture linked to a web address": (
        picture("rIdPic", linked=True),
        {"rIdPic": ("image", "http://127.0.0.1:9/beacon.png")},
        "a picture linked to http://127.0.0.1:9/beacon.png",
    ),
    "picture linked to a file": (
        picture("rIdPic", linked=True),
        {"rIdPic": ("image", "file:///etc/hostname")},
        "a picture linked to file:///etc/hostname",
    ),
    "object linked to a share": (
        '<w:p><w:r><w:object><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" '
        'Type="Link" r:id="rIdOle" ProgID="Excel.Sheet.12"/></w:object></w:r></w:p>',
        {"rIdOle": ("oleObject", "\\\\fileserver\\finance\\budget.xlsx")},
        "an object linked to \\\\fileserver\\finance\\budget.xlsx",
    ),
    "INCLUDEPICTURE field": (
        FIELD.format('INCLUDEPICTURE "http://127.0.0.1:9/field.png" \\d'),
        {},
        "an INCLUDEPICTURE field (http://127.0.0.1:9/field.png)",
    ),
    "INCLUDETEXT field": (
        FIELD.format('INCLUDETEXT "C:\\\\Users\\\\jsmith\\\\notes.docx"'),
        {},
        "an INCLUDETEXT field (C:\\\\Users\\\\jsmith\\\\notes.docx)",
    ),
    "LINK field": (
        '<w:p><w:fldSimple w:instr=" LINK Excel.Sheet.12 &quot;\\\\\\\\srv\\\\x.xlsx&quot; '
        'Sheet1 "><w:r><w:t>CACHED-FIELD-RESULT</w:t></w:r></w:fldSimple></w:p>',
        {},
        "a LINK field (Excel.Sheet.12)",
    ),
}


@needs_tools
@pytest.mark.parametrize("case", list(OUTSIDE))
def test_references_outside_the_document_are_refused(tmp_path, monkeypatch, case):
    body, links, named = OUTSIDE[case]
    paper = word_paper(tmp_path / "linked.docx", para(run("Body text.")) + body, links=links)
    folder = tmp_path / "m"
    meeting_with(folder, paper)
    result = invoke_in(folder, monkeypatch, "check", "meeting.yaml")
    assert result.exit_code == ExitCode.BAD_DOCUMENT, result.output
    assert f"papers/linked.docx: points outside itself ({named}" in result.output
    assert "'external_links: remove'" in result.output


@needs_tools
@pytest.mark.parametrize("case", list(OUTSIDE))
def test_external_links_remove_leaves_them_out(tmp_path, monkeypatch, case):
    body, links, _named = OUTSIDE[case]
    paper = word_paper(tmp_path / "linked.docx", para(run("Body text.")) + body, links=links)
    pdfs, _warnings = outputs(
        tmp_path, paper, keys="external_links: remove", monkeypatch=monkeypatch
    )
    assert_clean(pdfs, b"CACHED-FIELD-RESULT", b"fileserver", visible=b"Body text.")


def test_hyperlinks_and_the_template_name_are_not_outside_references(tmp_path):
    body = para('<w:hyperlink r:id="rIdWeb">' + run("our website") + "</w:hyperlink>")
    links = {
        "rIdWeb": ("hyperlink", "https://www.example.gov.uk/"),
        "rIdTpl": ("attachedTemplate", "file:///C:/Templates/Council.dotm"),
    }
    found = inspect_docx(word_paper(tmp_path / "fine.docx", body, links=links))
    assert found.external == [] and not found.unsettled


def test_a_paper_key_for_word_is_refused_on_a_pdf(tmp_path):
    folder = tmp_path / "m"
    kit.pdf(folder / "papers" / "a.pdf")
    kit.write_meeting(
        folder,
        "  - title: X\n    papers:\n      - file: papers/a.pdf\n        tracked_changes: accept\n",
    )
    result = CliRunner().invoke(main, ["check", str(folder / "meeting.yaml")])
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "'tracked_changes' applies to Word papers (.docx); this is a PDF" in result.output


# --- LibreOffice fetches nothing ---------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the name http.server calls
        type(self).requests.append(self.path)
        body = tiny_png()
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.requests
    server.shutdown()
    server.server_close()


def _images(pdf: Path) -> int:
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    return len(listing.stdout.splitlines()) - 2


@pytest.mark.e2e
@needs_tools
def test_libreoffice_loads_nothing_a_document_links_to(tmp_path, web_server):
    address, requests = web_server
    outside = tmp_path / "outside" / "private.png"
    outside.parent.mkdir()
    outside.write_bytes(tiny_png())
    body = (
        para(run("Linked pictures below."))
        + picture("rIdWeb", linked=True)
        + picture("rIdFile", linked=True)
    )
    links = {
        "rIdWeb": ("image", f"{address}/beacon.png"),
        "rIdFile": ("image", outside.as_uri()),
    }
    paper = word_paper(tmp_path / "in" / "beacon.docx", body, links=links)
    # The control: an ordinary LibreOffice profile fetches the picture (so the server would
    # see a request if packbuilder's conversion made one).
    profile = tmp_path / "plain-profile"
    subprocess.run(
        [
            shutil.which("soffice"),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "plain"),
            str(paper),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    assert requests, "an unsealed LibreOffice did not fetch the picture: the control failed"
    requests.clear()
    pdf = soffice.convert_to_pdf([paper], tmp_path / "sealed", timeout=180)[paper]
    assert requests == []
    assert _images(pdf) == 0  # neither the web picture nor the file outside
    assert "Linked pictures below." in text(pdf)


@pytest.mark.e2e
@needs_tools
def test_accepted_changes_with_libreoffice(tmp_path, lo_cache):
    """LibreOffice prints a tracked deletion (struck through, but readable); accepted, the
    pack holds none of it."""
    paper = changed_paper(tmp_path / "changes.docx")
    shown = text(soffice.convert_to_pdf([paper], tmp_path / "raw", timeout=180)[paper])
    assert "Acme Ltd" in shown  # what the pack would have printed
    from packbuilder import api

    meeting = meeting_with(tmp_path / "m", paper, "tracked_changes: accept")
    result = api.build(meeting, api.BuildOptions(output_dir=tmp_path / "out", cache_dir=lo_cache))
    for pdf in [result.pack, *[f for f in result.files if f.suffix == ".pdf"]]:
        shown = text(pdf)
        assert "Acme Ltd" not in shown and "MOVED-AWAY" not in shown
    assert "the lowest bidder" in text(result.pack)
