"""Late-paper commands: status, diff, cache, what supplement refuses, progress (no LibreOffice)."""

from __future__ import annotations

import io
import json
import sys

import pytest
from click.testing import CliRunner

from packbuilder.cli import main
from packbuilder.cli.common import Reporter

from helpers.kit import DEFINITION_MEETING as MEETING
from helpers.kit import write_definition
from helpers.manifests import OLD

LATE_ITEMS = (
    MEETING
    + """\
  - title: Minutes of the last meeting
    status: to-follow
    papers: [minutes.docx]
  - title: Urgent - Budget
    added: 2022-05-09
    papers: [paper.pdf]
"""
)


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


# --- status -------------------------------------------------------------------------------


def test_status_shows_the_deadline_and_days_left(tmp_path):
    path = write_definition(tmp_path)
    result = run("status", str(path), "--today", "2022-05-02")
    assert result.exit_code == 0, result.output
    assert (
        "Deadline:   Thursday 5 May 2022 (5 clear days before the meeting), 3 days from today"
        in result.output
    )
    assert (
        "Published:  Tuesday 3 May 2022 (planned): 7 clear days before the meeting, "
        "meets the deadline" in result.output
    )
    assert "Pack:       not built yet" in result.output


def test_status_lists_missing_papers_and_late_items(tmp_path):
    path = write_definition(tmp_path, LATE_ITEMS)
    result = run("status", str(path), "--today", "2022-05-09")
    assert result.exit_code == 0, result.output
    assert "item 3: Minutes of the last meeting (waiting for 1 paper(s))" in result.output
    assert "item 3: Minutes (minutes.docx)" in result.output
    assert (
        "item 4: Urgent - Budget (added on Monday 9 May 2022, after the deadline); "
        "NO reason for urgency recorded" in result.output
    )
    assert "2 problem(s) to fix:" in result.output


def test_status_strict_exits_9_when_a_late_item_has_no_reason(tmp_path):
    path = write_definition(tmp_path, LATE_ITEMS)
    result = run("status", str(path), "--today", "2022-05-09", "--strict")
    assert result.exit_code == 9
    assert "error: 2 problem(s) with the publication of meeting.yaml" in result.output
    reasons = LATE_ITEMS.replace(
        "    status: to-follow\n", "    status: to-follow\n    urgency: Approved on 9 May.\n"
    ).replace("    added: 2022-05-09\n", "    added: 2022-05-09\n    urgency: Budget deadline.\n")
    path = write_definition(tmp_path, reasons)
    result = run("status", str(path), "--today", "2022-05-09", "--strict")
    assert result.exit_code == 0, result.output
    assert "reason for urgency: Budget deadline." in result.output


def test_status_json_for_scripts(tmp_path):
    path = write_definition(tmp_path, LATE_ITEMS)
    result = run("status", str(path), "--today", "2022-05-02", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["deadline"]["date"] == "2022-05-05" and data["deadline"]["days_left"] == 3
    assert [m["file"] for m in data["missing"]] == ["minutes.docx"]
    assert [i["number"] for i in data["late_items"]] == ["4"]


def test_status_of_a_bad_meeting_exits_3(tmp_path):
    path = write_definition(tmp_path, MEETING.replace("date:", "dat:"))
    result = run("status", str(path))
    assert result.exit_code == 3
    assert "Traceback" not in result.output


# --- diff ---------------------------------------------------------------------------------


def _manifests(tmp_path):
    old = tmp_path / "old" / "manifest.json"
    old.parent.mkdir()
    old.write_text(json.dumps(OLD))
    new_data = json.loads(json.dumps(OLD))
    new_data["items"][3]["papers"][0]["documents"][0]["sha256"] = "changed"
    new = tmp_path / "new" / "manifest.json"
    new.parent.mkdir()
    new.write_text(json.dumps(new_data))
    return old, new


def test_diff_text_and_json(tmp_path):
    old, new = _manifests(tmp_path)
    result = run("diff", str(old), str(new.parent))  # a manifest, or an output folder
    assert result.exit_code == 0, result.output
    assert "Papers replaced by a new version:\n  - Item 5: Update (pages 11 - 14)" in result.output
    result = run("diff", str(old.parent), str(new), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["papers_replaced"][0]["title"] == "Update"


def test_diff_of_something_that_is_not_a_manifest_exits_3(tmp_path):
    old, _ = _manifests(tmp_path)
    (tmp_path / "empty").mkdir()
    result = run("diff", str(old), str(tmp_path / "empty"))
    assert result.exit_code == 3
    assert "manifest.json is not a packbuilder manifest (not found)" in result.output
    assert "give the manifest.json of a build, or the build's output folder" in result.output


@pytest.mark.parametrize(
    "text,reason",
    [
        ('{"items": "x"}', "'items' should be a list, not the text 'x'"),
        (
            '{"items": [{"number": 1}], "pages": "many"}',
            "'pages' should be a whole number, not the text 'many'; 'items[0].number' should "
            "be text, not the number 1; 'items[0]' has no 'title'",
        ),
        ('{"pages": 3}', "it has no 'items'"),
        ("[1, 2]", "it holds a list, not an object"),
        ("{not json", "it is not JSON text"),
        ('{"items": [], "meeting": null}', "'meeting' should be an object, not null"),
        (
            '{"items": [{"number": "1", "title": "A", "papers": [{"title": "P", '
            '"documents": [{"selected": 3}]}]}]}',
            "'items[0].papers[0].documents[0].selected' should be a list or null, not the number 3",
        ),
    ],
)
def test_diff_of_json_that_is_not_a_manifest_says_what_is_wrong(tmp_path, text, reason):
    old, _ = _manifests(tmp_path)
    weird = tmp_path / "weird.json"
    weird.write_text(text)
    for args in ((str(weird), str(old)), (str(old), str(weird))):
        result = run("diff", *args)
        assert result.exit_code == 3, result.output
        assert f"weird.json is not a packbuilder manifest ({reason})" in result.output
        assert "give the manifest.json of a build, or the build's output folder" in result.output


# --- cache --------------------------------------------------------------------------------


def test_cache_info_and_clear(tmp_path):
    cache = tmp_path / "cache"
    (cache / "pdf").mkdir(parents=True)
    (cache / "docx").mkdir()
    (cache / "pdf" / "a.pdf").write_bytes(b"x" * 1500)
    (cache / "pdf" / "b.pdf").write_bytes(b"x" * 500)
    (cache / "docx" / "c.docx").write_bytes(b"x" * 10)
    (cache / "README").write_text("mine")
    result = run("cache", "info", "--cache-dir", str(cache))
    assert result.exit_code == 0, result.output
    assert f"{cache}: 2 converted PDF(s), 1 rendered Word document(s) (2.0 kB)" in result.output
    data = json.loads(run("cache", "info", "--cache-dir", str(cache), "--json").stdout)
    assert data == {"location": str(cache), "entries": {"pdf": 2, "docx": 1}, "bytes": 2010}
    result = run("cache", "clear", "--cache-dir", str(cache))
    assert result.exit_code == 0, result.output
    assert f"Cleared 3 cached entries from {cache}." in result.output
    assert not (cache / "pdf").exists() and not (cache / "docx").exists()
    assert (cache / "README").read_text() == "mine"  # nothing else is touched


def test_cache_uses_the_environment_setting(tmp_path):
    result = run("cache", "info", env={"PACKBUILDER_CACHE_DIR": str(tmp_path / "c")})
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'c'}: 0 converted PDF(s)" in result.output


# --- supplement: what it refuses, before any work ---------------------------------------------


def test_supplement_refuses_an_item_still_to_follow(tmp_path):
    path = write_definition(tmp_path, LATE_ITEMS)
    result = run("supplement", str(path), "--items", "3,4", "--output", str(tmp_path / "s"))
    assert result.exit_code == 3
    assert "item 3 (Minutes of the last meeting) is still To Follow" in result.output
    assert "change the item's 'status: to-follow' to 'status: normal'" in result.output
    assert not (tmp_path / "s").exists()


def test_supplement_refuses_unknown_items_and_items_without_papers(tmp_path):
    path = write_definition(tmp_path, LATE_ITEMS)
    result = run("supplement", str(path), "--items", "4, 12", "--output", str(tmp_path / "s"))
    assert result.exit_code == 3
    assert "meeting.yaml has no item 12" in result.output
    assert "its items are numbered 1, 2, 3, 4" in result.output
    result = run("supplement", str(path), "--items", "1", "--output", str(tmp_path / "s"))
    assert result.exit_code == 3
    assert "none of items 1 has papers" in result.output


def test_supplement_never_writes_over_the_main_pack(tmp_path, monkeypatch):
    path = write_definition(tmp_path, LATE_ITEMS)
    monkeypatch.chdir(tmp_path)
    result = run("supplement", str(path), "--items", "4", "--output", "build/meeting")
    assert result.exit_code == 3
    assert "build/meeting is the main pack's folder" in result.output


# --- progress -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quiet", "verbose", "tty", "shown"),
    [
        (False, False, False, False),  # cron, CI, a pipe: silent
        (False, False, True, True),  # a terminal
        (False, True, False, True),  # --verbose
        (True, True, True, False),  # --quiet wins
    ],
)
def test_progress_only_at_a_terminal_or_when_asked(monkeypatch, quiet, verbose, tty, shown):
    stream = io.StringIO()
    stream.isatty = lambda: tty  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", stream)
    reporter = Reporter(quiet, verbose, debug=False)
    reporter.progress("Converting 1 Word document(s) with LibreOffice")
    text = stream.getvalue()
    if shown:
        assert text.startswith("  [") and " s] Converting 1 Word document(s)" in text
    else:
        assert text == ""


def test_supplement_items_may_be_a_range_in_agenda_order():
    from packbuilder.late.supplement import _expand_ranges

    numbers = ["1", "2", "3", "3a", "4", "5"]
    assert _expand_ranges(["3-4"], numbers) == ["3", "3a", "4"]
    assert _expand_ranges(["1", "2-3", "3"], numbers) == ["1", "2", "3"]
    assert _expand_ranges(["3-12"], numbers) == ["3-12"], "an unknown end is reported as unknown"


def test_supplement_refuses_a_backwards_range(tmp_path):
    path = write_definition(tmp_path, LATE_ITEMS)
    result = run("supplement", str(path), "--items", "4-2", "--output", str(tmp_path / "s"))
    assert result.exit_code == 3, result.output
    assert "the range of items '4-2' runs backwards" in result.output
    assert "write it as '2-4'" in result.output
