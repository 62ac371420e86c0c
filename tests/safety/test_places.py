"""Papers from outside the meeting's folder: a definition error naming the line, unless the
committee lists the folder under ``paper_folders:``; the manifest never records a path
outside the meeting's folder tree. Builds use the fake converter.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from packbuilder.cli import main
from packbuilder.convert._exec import soffice
from packbuilder.exceptions import ExitCode

from helpers import fakeconv, kit


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def places(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """(the meeting's folder, a folder beside it holding shared/budget.pdf); fake converter."""
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    monkeypatch.chdir(tmp_path)
    meeting = tmp_path / "meetings" / "osb"
    kit.pdf(meeting / "papers" / "inside.pdf")
    shared = tmp_path / "hr-private"
    kit.pdf(shared / "budget.pdf")
    return meeting, shared


def write(meeting: Path, file: str, committee: str = "") -> Path:
    items = f"  - title: A paper\n    papers:\n      - file: {file}\n"
    return kit.write_meeting(meeting, items, committee=kit.COMMITTEE + committee)


@pytest.mark.parametrize("how", ["absolute", "dot-dot", "symlink"])
def test_a_paper_outside_the_meeting_folder_is_a_definition_error(places, how):
    meeting, shared = places
    if how == "absolute":
        file = str(shared / "budget.pdf")
    elif how == "dot-dot":
        file = "../../hr-private/budget.pdf"
    else:
        (meeting / "papers" / "link.pdf").symlink_to(shared / "budget.pdf")
        file = "papers/link.pdf"
    path = write(meeting, file)
    for command in ("check", "build"):
        result = invoke(command, str(path))
        assert result.exit_code == ExitCode.INVALID_INPUT, result.output
        assert "meetings/osb/meeting.yaml:" in result.output and "(item 1, paper 1)" in (
            result.output
        )
        if how == "symlink":
            assert "papers/link.pdf is a link to" in result.output
        else:
            assert "hr-private/budget.pdf is outside the meeting's folder" in result.output
        assert "'paper_folders:' in the committee file" in result.output
        assert "Traceback" not in result.output
    assert not (meeting.parent.parent / "build").exists()


def test_a_to_follow_paper_outside_the_folder_is_refused_too(places):
    meeting, _shared = places
    items = (
        "  - title: Later\n    status: to-follow\n    papers:\n"
        "      - file: /home/jsmith/Downloads/minutes.docx\n"
    )
    path = kit.write_meeting(meeting, items)
    result = invoke("check", str(path))
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "minutes.docx is outside the meeting's folder" in result.output


@pytest.mark.parametrize("how", ["absolute", "dot-dot", "symlink"])
def test_the_committee_may_allow_a_folder_and_the_manifest_keeps_its_path_private(places, how):
    meeting, shared = places
    if how == "absolute":
        file = str(shared / "budget.pdf")
    elif how == "dot-dot":
        file = "../../hr-private/budget.pdf"
    else:
        (meeting / "papers" / "link.pdf").symlink_to(shared / "budget.pdf")
        file = "papers/link.pdf"
    path = write(meeting, file, committee=f"paper_folders: [{shared}]\n")
    result = invoke("build", str(path), "-o", "out", "--no-cache")
    assert result.exit_code == 0, result.output
    for folder in ("public", "members"):  # the public manifest and the full one
        text = Path("out", folder, "manifest.json").read_text()
        manifest = json.loads(text)
        assert "hr-private" not in text and str(shared.parent) not in text
        names = [*manifest["inputs"], *(d["file"] for d in _documents(manifest) if "file" in d)]
        assert all(not name.startswith(("/", "..")) for name in names), names
        recorded = [d["file"] for d in _documents(manifest) if "file" in d]
        expected = "papers/link.pdf" if how == "symlink" else "(outside)/budget.pdf"
        assert recorded == [expected], folder


def _documents(manifest: dict) -> list[dict]:
    return [d for item in manifest["items"] for p in item["papers"] for d in p["documents"]]


def test_a_paper_folder_that_does_not_exist_is_named(places):
    meeting, _shared = places
    path = write(meeting, "papers/inside.pdf", committee="paper_folders: [../nowhere]\n")
    result = invoke("check", str(path))
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "'../nowhere' is not a folder" in result.output


def test_a_git_annex_link_into_the_repositorys_own_store_is_the_paper_itself(places):
    meeting, _shared = places
    repository = meeting.parent.parent
    store = repository / ".git" / "annex" / "objects" / "Xy" / "Zw"
    store.mkdir(parents=True)
    kit.pdf(store / "SHA256E-s1814--0123abcd.pdf")
    (meeting / "papers" / "annexed.pdf").symlink_to(store / "SHA256E-s1814--0123abcd.pdf")
    path = write(meeting, "papers/annexed.pdf")
    result = invoke("check", str(path))
    assert result.exit_code == 0, result.output
