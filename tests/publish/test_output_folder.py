"""Where the outputs go: ``-o .`` (the current folder) and an output folder below a file.

The lock, staging and set-aside names are derived from the output folder's
absolute path, so ``-o .`` locks beside the folder, never inside it. The
current folder is published into entry by entry (a shell standing in it
keeps seeing it); it works empty and when packbuilder wrote it, and is
refused when it holds other files. Builds use the fake converter.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from packbuilder.cli import main
from packbuilder.convert._exec import soffice
from packbuilder.exceptions import ExitCode
from packbuilder.publish.manifest import meeting_source_id

from helpers import fakeconv, kit
from helpers.pdftools import page_texts

ITEMS = """\
  - title: Apologies for Absence
  - title: Budget Monitoring
    papers:
      - file: papers/budget.pdf
      - file: papers/update.docx
"""

PACK_FILES = ["members", "public"]
PUBLIC_FILES = [
    "agenda.docx",
    "agenda.pdf",
    "index.html",
    "items",
    "manifest.json",
    "meeting.ics",
    "meeting.json",
    "pack.pdf",
]
MEMBERS_FILES = ["items", "manifest.json", "pack.pdf"]


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def meeting(tmp_path, monkeypatch) -> Path:
    """The meeting file (absolute) in tmp_path/meeting; fake LibreOffice."""
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    folder = tmp_path / "meeting"
    kit.pdf(folder / "papers" / "budget.pdf", 3)
    kit.docx(folder / "papers" / "update.docx")
    return kit.write_meeting(folder, ITEMS)


@pytest.fixture
def plan(tmp_path, monkeypatch) -> Path:
    """A forward plan of one entry (absolute path); fake LibreOffice."""
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    folder = tmp_path / "forward-plan"
    (folder / "entries").mkdir(parents=True)
    (folder / "entries" / "regeneration.yaml").write_text(kit.SMALL_PLAN_ENTRIES)
    (folder / "plan.yaml").write_text(kit.SMALL_PLAN)
    return folder / "plan.yaml"


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    """An empty folder, made the current folder."""
    folder = tmp_path / "e"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def build_here(meeting: Path, *more: str):
    return invoke("build", str(meeting), "-o", ".", "--no-cache", *more)


# --- -o . ---------------------------------------------------------------------------------------


def test_a_pack_builds_into_the_empty_current_folder_and_again(meeting, here):
    first = build_here(meeting)
    assert first.exit_code == 0, first.output
    assert sorted(os.listdir(here)) == PACK_FILES  # no '..lock' inside
    assert sorted(os.listdir(here / "public")) == PUBLIC_FILES
    assert sorted(os.listdir(here / "members")) == MEMBERS_FILES
    assert not (here.parent / ".e.lock").exists()  # removed when the build ended
    assert kit.leftovers(here) == []
    pages = len(page_texts(here / "public" / "pack.pdf"))

    again = build_here(meeting, "--revision", "2")  # the folder is packbuilder's now
    assert again.exit_code == 0, again.output
    assert "Now revision 2 (was not revised)." in again.output
    assert Path.cwd() == here and sorted(os.listdir(".")) == PACK_FILES
    assert len(page_texts(Path("public/pack.pdf"))) == pages
    assert kit.leftovers(here) == []


def test_only_packbuilders_files_in_the_current_folder_are_replaced(meeting, here):
    assert build_here(meeting).exit_code == 0
    (here / "notes.txt").write_text("mine")  # added to packbuilder's folder
    (here / "public" / "items" / "old.pdf").write_bytes(b"my own copy")
    result = build_here(meeting)
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(here)) == sorted([*PACK_FILES, "notes.txt"])
    assert (here / "notes.txt").read_text() == "mine"
    assert (here / "public" / "items" / "old.pdf").read_bytes() == b"my own copy"


def old_layout(folder: Path, meeting: Path) -> Path:
    """``folder`` as packbuilder wrote a pack before the public/members split: the pack, the
    agenda, the item PDFs and the manifest (which lists them) at the top."""
    outputs = {
        "pack.pdf": kit.pdf_bytes(4),
        "agenda.pdf": kit.pdf_bytes(2),
        "items/item-02-budget-monitoring.pdf": kit.pdf_bytes(2),
    }
    for name, data in outputs.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    manifest = {
        "format": "packbuilder-pack/1",
        "manifest_version": 1,
        "packbuilder": "0.9.0",
        "kind": "Agenda",
        "meeting": {
            "committee": "Pwyllgor Craffu / Scrutiny Committee",
            "date": "2022-05-11",
            "source_id": meeting_source_id(meeting),
        },
        "pages": 4,
        "inputs": {},
        "items": [],
        "outputs": {name: hashlib.sha256(data).hexdigest() for name, data in outputs.items()},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


@pytest.mark.parametrize("current", [True, False], ids=["-o .", "-o folder"])
def test_a_folder_built_before_the_public_members_split_is_replaced(meeting, here, current):
    """A pack folder of the old layout (manifest.json and pack.pdf at the top) is still
    packbuilder's: the new build replaces it with public/ and members/."""
    folder = here if current else here / "old"
    folder.mkdir(exist_ok=True)
    old_layout(folder, meeting)
    result = invoke("build", str(meeting), "-o", str(folder), "--no-cache")
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(folder)) == PACK_FILES
    assert kit.leftovers(folder) == []


@pytest.mark.parametrize("current", [True, False], ids=["-o .", "-o folder"])
def test_a_clerks_files_in_a_folder_of_the_old_layout_are_kept(meeting, here, current):
    """Replacing a pack of the old layout removes only the files its manifest lists."""
    folder = here if current else here / "old"
    folder.mkdir(exist_ok=True)
    old_layout(folder, meeting)
    (folder / "notes.txt").write_text("mine")
    (folder / "items" / "my-copy.pdf").write_bytes(b"my copy")
    result = invoke("build", str(meeting), "-o", str(folder), "--no-cache")
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(folder)) == sorted([*PACK_FILES, "items", "notes.txt"])
    assert os.listdir(folder / "items") == ["my-copy.pdf"]
    assert (folder / "notes.txt").read_text() == "mine"
    assert (folder / "items" / "my-copy.pdf").read_bytes() == b"my copy"
    assert kit.leftovers(folder) == []


def test_a_current_folder_holding_other_files_is_refused(meeting, here):
    (here / "letter.docx").write_bytes(b"mine")
    result = build_here(meeting)
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert f"error: {here} already holds files that packbuilder did not write" in result.output
    assert sorted(os.listdir(here)) == ["letter.docx"]


@pytest.mark.parametrize("failing", [1, 2, 4])
def test_a_rename_failing_while_publishing_into_the_current_folder_undoes_the_rest(
    meeting, here, monkeypatch, failing
):
    assert build_here(meeting).exit_code == 0
    before = kit.snapshot(here)
    real = os.rename
    moves = []

    def rename(source, target, *args, **kwargs):  # a rename of a file in here, at any depth
        if here in Path(target).parents or here in Path(source).parents:
            moves.append(target)
            if len(moves) == failing:
                raise OSError(13, "Permission denied", str(source))
        return real(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    result = build_here(meeting, "--revision", "3")
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert "Traceback" not in result.output
    monkeypatch.undo()
    assert kit.snapshot(here) == before
    assert kit.leftovers(here) == []


def test_a_forward_plan_builds_into_the_current_folder_and_again(plan, here):
    for _ in range(2):
        result = invoke("forward-plan", "build", str(plan), "--as-of", "2022-05-03", "-o", ".")
        assert result.exit_code == 0, result.output
        assert "forward-plan.json" in os.listdir(here)
        assert not any(name.endswith(".lock") for name in os.listdir(here))
        assert kit.leftovers(here) == []


def test_a_pack_and_a_forward_plan_do_not_share_the_current_folder(meeting, plan, here):
    assert build_here(meeting).exit_code == 0
    result = invoke("forward-plan", "build", str(plan), "--as-of", "2022-05-03", "-o", ".")
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert "holds an agenda pack" in result.output


# --- an output folder below a file ----------------------------------------------------------------


@pytest.mark.parametrize("command", ["build", "forward-plan"])
def test_an_output_folder_below_a_file_is_refused_naming_the_file(meeting, plan, here, command):
    (here / "afile").write_text("a file")
    if command == "build":
        result = invoke("build", str(meeting), "-o", "afile/sub", "--no-cache")
    else:
        args = ("forward-plan", "build", str(plan), "--as-of", "2022-05-03", "-o", "afile/sub")
        result = invoke(*args)
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert "error: afile is a file, not a folder" in result.output
    assert "What to do: choose another output folder with -o" in result.output
    assert "cannot lock" not in result.output
    assert sorted(os.listdir(here)) == ["afile"]


def test_a_file_further_up_is_named_too(meeting, here):
    (here / "afile").write_text("a file")
    result = invoke("build", str(meeting), "-o", "afile/sub/deeper", "--no-cache")
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert "error: afile is a file, not a folder" in result.output
