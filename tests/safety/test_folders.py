"""Only our own folders: packbuilder replaces only the files it wrote, in folders whose
marker says they are its own, and its lock files say nothing about the machine.

A ``manifest.json`` of another program (a web app's) never makes a folder
packbuilder's: ``-o DIR`` and ``-o .`` there are refused and nothing is
touched. In packbuilder's own folder, the files a clerk added are kept, a
new output whose name a clerk's file has taken is refused, and a manifest
edited to list files outside the folder deletes nothing outside it. Builds
use the fake converter.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from packbuilder.cli import main
from packbuilder.convert._exec import soffice
from packbuilder.exceptions import ExitCode
from packbuilder.publish.lock import build_lock, lock_path

from helpers import fakeconv, kit

ITEMS = """\
  - title: Budget Monitoring
    papers:
      - file: papers/budget.pdf
"""
WEB_APP_MANIFEST = {
    "name": "Council Committee Papers",
    "short_name": "Papers",
    "start_url": "/",
    "display": "standalone",
    "icons": [{"src": "icon.png", "sizes": "192x192"}],
}


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def meeting(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    folder = tmp_path / "meeting"
    kit.pdf(folder / "papers" / "budget.pdf", 3)
    return kit.write_meeting(folder, ITEMS)


def web_app(folder: Path) -> Path:
    """A folder holding a web app: its manifest.json, a page and a script."""
    (folder / "js").mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps(WEB_APP_MANIFEST))
    (folder / "index.html").write_text("<html>the council's web app</html>")
    (folder / "js" / "app.js").write_text("console.log('app')")
    return folder


@pytest.mark.parametrize("where", ["-o DIR", "-o ."])
def test_a_folder_with_another_programs_manifest_is_refused_and_untouched(
    meeting, tmp_path, monkeypatch, where
):
    site = web_app(tmp_path / "site")
    before = kit.snapshot(site)
    if where == "-o .":
        monkeypatch.chdir(site)
        result = invoke("build", str(meeting), "-o", ".", "--no-cache")
    else:
        result = invoke("build", str(meeting), "-o", str(site), "--no-cache")
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert "holds a manifest.json that packbuilder did not write" in result.output
    assert "Traceback" not in result.output
    assert kit.snapshot(site) == before
    assert kit.leftovers(site) == []


@pytest.mark.parametrize("where", ["-o DIR", "-o ."])
def test_another_programs_manifest_where_the_pack_marker_goes_is_refused(
    meeting, tmp_path, monkeypatch, where
):
    """members/manifest.json marks a pack's folder now: another program's file there does
    not make the folder packbuilder's."""
    site = web_app(tmp_path / "site" / "members").parent
    before = kit.snapshot(site)
    if where == "-o .":
        monkeypatch.chdir(site)
        result = invoke("build", str(meeting), "-o", ".", "--no-cache")
    else:
        result = invoke("build", str(meeting), "-o", str(site), "--no-cache")
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert "holds a members/manifest.json that packbuilder did not write" in result.output
    assert kit.snapshot(site) == before
    assert kit.leftovers(site) == []


def test_another_programs_manifest_beside_packbuilders_is_kept(meeting, tmp_path):
    """A web app's manifest.json put at the top of packbuilder's folder (its marker is
    members/manifest.json) is the clerk's file: kept, never read as the pack's."""
    out = tmp_path / "out"
    assert invoke("build", str(meeting), "-o", str(out), "--no-cache").exit_code == 0
    (out / "manifest.json").write_text(json.dumps(WEB_APP_MANIFEST))
    result = invoke("build", str(meeting), "-o", str(out), "--no-cache", "--revision", "2")
    assert result.exit_code == 0, result.output
    assert json.loads((out / "manifest.json").read_text()) == WEB_APP_MANIFEST
    assert json.loads((out / "members" / "manifest.json").read_text())["meeting"]["revision"] == 2


def test_a_manifest_that_only_looks_like_a_pack_is_not_packbuilders(meeting, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"kind": "Agenda", "items": [], "pages": 3}))
    (out / "minutes.docx").write_bytes(b"the clerk's own")
    before = kit.snapshot(out)
    result = invoke("build", str(meeting), "-o", str(out), "--no-cache")
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert kit.snapshot(out) == before


def test_files_a_clerk_added_to_packbuilders_folder_are_kept(meeting, tmp_path):
    out = tmp_path / "out"
    assert invoke("build", str(meeting), "-o", str(out), "--no-cache").exit_code == 0
    manifest = json.loads((out / "members" / "manifest.json").read_text())
    assert manifest["format"] == "packbuilder-pack/1"
    mine = {
        "notes.txt": b"mine",
        "drafts/letter.docx": b"my letter",
        "public/items/my-copy.pdf": b"my copy",
        "public/press-release.docx": b"my press release",
        "members/items/my-copy.pdf": b"my members' copy",
        "members/notes.txt": b"my notes for members",
    }
    for name, data in mine.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    old = {name: (out / name).read_bytes() for name in ("public/pack.pdf", "members/pack.pdf")}
    result = invoke("build", str(meeting), "-o", str(out), "--no-cache", "--revision", "2")
    assert result.exit_code == 0, result.output
    for name, data in mine.items():
        assert (out / name).read_bytes() == data, name
    for name, data in old.items():
        assert (out / name).read_bytes() != data, name  # the packs themselves were replaced
    assert kit.leftovers(out) == []


def test_an_output_the_meeting_no_longer_has_is_removed_but_nothing_else(meeting, tmp_path):
    out = tmp_path / "out"
    two = ITEMS + "  - title: Second item\n    papers: [papers/second.pdf]\n"
    kit.pdf(meeting.parent / "papers" / "second.pdf", 1)
    kit.write_meeting(meeting.parent, two)
    assert invoke("build", str(meeting), "-o", str(out), "--no-cache").exit_code == 0
    second = [
        p.relative_to(out) for p in sorted(out.glob("*/items/*")) if p.name.startswith("item-02")
    ]
    assert [p.parts[0] for p in second] == ["members", "public"]
    (out / "notes.txt").write_text("mine")
    (out / "public" / "items" / "notes.txt").write_text("mine too")
    kit.write_meeting(meeting.parent, ITEMS)
    result = invoke("build", str(meeting), "-o", str(out), "--no-cache")
    assert result.exit_code == 0, result.output
    assert not any((out / name).exists() for name in second)
    assert (out / "members" / "items" / "item-01-budget-monitoring.pdf").is_file()
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "public" / "items" / "notes.txt").read_text() == "mine too"


@pytest.mark.parametrize("folder", ["public", "members"])
def test_a_new_output_whose_name_a_clerks_file_has_taken_is_refused(meeting, tmp_path, folder):
    out = tmp_path / "out"
    assert invoke("build", str(meeting), "-o", str(out), "--no-cache").exit_code == 0
    mine = out / folder / "items" / "item-02-second-item.pdf"
    mine.write_bytes(b"the clerk's own file")
    (out / "notes.txt").write_text("mine")
    before = kit.snapshot(out)
    kit.pdf(meeting.parent / "papers" / "second.pdf", 1)
    kit.write_meeting(
        meeting.parent, ITEMS + "  - title: Second item\n    papers: [papers/second.pdf]\n"
    )
    result = invoke("build", str(meeting), "-o", str(out), "--no-cache")
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert "item-02-second-item.pdf is in the way of an output" in result.output
    assert kit.snapshot(out) == before
    assert kit.leftovers(out) == []


def test_a_manifest_listing_files_outside_the_folder_deletes_nothing_outside(meeting, tmp_path):
    out = tmp_path / "out"
    assert invoke("build", str(meeting), "-o", str(out), "--no-cache").exit_code == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("not packbuilder's")
    marker = out / "members" / "manifest.json"
    manifest = json.loads(marker.read_text())
    manifest["outputs"]["../victim.txt"] = "0" * 64
    manifest["outputs"]["members/../../victim.txt"] = "0" * 64
    manifest["outputs"][str(victim)] = "0" * 64
    marker.write_text(json.dumps(manifest))
    result = invoke("build", str(meeting), "-o", str(out), "--no-cache")
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "not packbuilder's"


def test_a_pack_built_before_the_format_field_is_still_packbuilders(meeting, tmp_path):
    out = tmp_path / "out"
    assert invoke("build", str(meeting), "-o", str(out), "--no-cache").exit_code == 0
    marker = out / "members" / "manifest.json"
    manifest = json.loads(marker.read_text())
    del manifest["format"]
    marker.write_text(json.dumps(manifest))
    result = invoke("build", str(meeting), "-o", str(out), "--no-cache")
    assert result.exit_code == 0, result.output


def test_a_forward_plan_folder_needs_packbuilders_summary(tmp_path, monkeypatch):
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    folder = tmp_path / "plan"
    (folder / "entries").mkdir(parents=True)
    (folder / "entries" / "a.yaml").write_text(kit.SMALL_PLAN_ENTRIES)
    (folder / "plan.yaml").write_text(kit.SMALL_PLAN)
    out = tmp_path / "edition"
    out.mkdir()
    (out / "forward-plan.json").write_text(json.dumps({"title": "someone else's"}))
    (out / "data.csv").write_text("a,b\n")
    before = kit.snapshot(out)
    args = ("forward-plan", "build", str(folder / "plan.yaml"), "--as-of", "2022-05-03")
    result = invoke(*args, "-o", str(out))
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert "holds a forward-plan.json that packbuilder did not write" in result.output
    assert kit.snapshot(out) == before
    fresh = tmp_path / "fresh"
    assert invoke(*args, "-o", str(fresh)).exit_code == 0
    (fresh / "notes.txt").write_text("mine")
    assert invoke(*args, "-o", str(fresh)).exit_code == 0
    assert (fresh / "notes.txt").read_text() == "mine"


def test_the_lock_file_says_only_when_the_build_started(meeting, tmp_path):
    out = tmp_path / "out"
    with build_lock(out):  # what a waiting build reads while another holds the lock
        data = lock_path(out).read_bytes()
    assert set(json.loads(data)) == {"started"}
    assert socket.gethostname().encode() not in data
    assert b"python" not in data and b"packbuilder" not in data


def test_a_copy_of_a_public_folder_is_not_an_output_folder(meeting, tmp_path):
    """The public manifest describes what is published; a website folder holding a copy of
    public/ is not packbuilder's to build into (that would write members/ into it)."""
    built = tmp_path / "built"
    assert invoke("build", str(meeting), "-o", str(built), "--no-cache").exit_code == 0
    public = json.loads((built / "public" / "manifest.json").read_text())
    assert public["format"] == "packbuilder-public/1"
    assert "source_id" not in public["meeting"]  # where the meeting file is: not published
    site = tmp_path / "www"
    (site / "items").mkdir(parents=True)
    for name in ("manifest.json", "pack.pdf", "index.html"):
        (site / name).write_bytes((built / "public" / name).read_bytes())
    before = kit.snapshot(site)
    result = invoke("build", str(meeting), "-o", str(site), "--no-cache")
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output
    assert "did not write" in result.output
    assert kit.snapshot(site) == before and not (site / "members").exists()
