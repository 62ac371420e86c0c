"""Exempt business on the command line: check's warnings and refusals, status, diff.

With the fake converter (the e2e tests run LibreOffice).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from packbuilder.cli import main
from packbuilder.convert._exec import soffice
from packbuilder.exceptions import ExitCode

from helpers import exempt, fakeconv, kit


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)


def test_check_warns_of_a_public_item_after_part_b(tmp_path, fake):
    path = exempt.leak_meeting(
        tmp_path, items=exempt.LEAK_ITEMS + "  - title: Any Other Business\n"
    )
    result = invoke("check", str(path))
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output
    assert (
        "(item 4): item 4 (Any Other Business) is public but follows Part B item 3, so it "
        "would be taken after the press and public are excluded; move it before the Part B "
        "items, or mark it 'exempt:'" in result.output
    )
    built = invoke("build", str(path), "-o", str(tmp_path / "out"), "--no-cache")
    assert built.exit_code == 0 and "is public but follows Part B item 3" in built.output
    manifest = json.loads((tmp_path / "out" / "public" / "manifest.json").read_text())
    assert any("follows Part B item 3" in w["warning"] for w in manifest["warnings"])


SAME_FILE = """\
  - title: Budget
    papers:
      - file: papers/report.pdf
        pages: 1-2
        appendices:
          - title: Annex
            file: papers/report.pdf
            pages: 3
            exempt: 3
"""


def test_a_file_both_exempt_and_public_is_refused(tmp_path, fake):
    kit.pdf(tmp_path / "papers" / "report.pdf", 3)
    path = kit.write_meeting(tmp_path, SAME_FILE)
    out = tmp_path / "out"
    for args in (("check", str(path)), ("build", str(path), "-o", str(out), "--no-cache")):
        output = kit.fails(
            invoke(*args),
            ExitCode.INVALID_INPUT,
            "papers/report.pdf is exempt information here but is also used as a public document",
            "meeting.yaml:9 (item 1, paper 1)): the public pack would publish it",
            "split it into two files",
        )
        assert "meeting.yaml:12 (item 1, paper 1, appendix 1): " in output
    assert not out.exists()


def test_the_same_content_under_another_name_is_refused(tmp_path, fake):
    kit.pdf(tmp_path / "papers" / "report.pdf", 3)
    (tmp_path / "papers" / "copy.pdf").write_bytes(
        (tmp_path / "papers" / "report.pdf").read_bytes()
    )
    items = SAME_FILE.replace(
        "file: papers/report.pdf\n            pages: 3", "file: papers/copy.pdf"
    )
    path = kit.write_meeting(tmp_path, items)
    kit.fails(
        invoke("build", str(path), "-o", str(tmp_path / "out"), "--no-cache"),
        ExitCode.INVALID_INPUT,
        "papers/copy.pdf is exempt information here but is also used as a public document",
    )


def test_status_and_diff_read_the_two_folders(tmp_path, fake, monkeypatch):
    exempt.leak_meeting(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert invoke("build", "meeting.yaml", "--no-cache").exit_code == 0
    status = invoke("status", "meeting.yaml", "--today", "2022-05-01", "--json")
    assert status.exit_code == 0, status.output
    data = json.loads(status.output)
    assert data["pack"]["up_to_date"] is True and data["pack"]["pages"] == 14
    assert [e["what"] for e in data["exempt"]] == [
        "Appendix 1 to Budget monitoring report not for publication",
        "Appendix 3 to Budget monitoring report not for publication",
        "Part B",
    ]
    assert [e["paragraphs"] for e in data["exempt"]] == [["3"], ["1", "2"], ["3"]]
    again = invoke("build", "meeting.yaml", "--no-cache", "--revision", "2")
    assert again.exit_code == 0 and "Now revision 2 (was not revised)." in again.output
    diff = invoke("diff", "build/meeting/public", "build/meeting/public")
    assert diff.exit_code == 0 and "No changes" in diff.output
    members = invoke("diff", "build/meeting", "build/meeting/members/manifest.json")
    assert members.exit_code == 0 and "No changes" in members.output
