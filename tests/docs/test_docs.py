"""The user guide: it builds with MkDocs in strict mode, and every command it shows works.

Every command in a ``sh`` block (a line starting ``packbuilder``) or a
``console`` block (a line starting ``$ ``) of ``README.md`` and ``docs/*.md``
is run, page by page and in order, in a fresh folder holding a copy of the
example meetings, with the real LibreOffice (as sqlite-utils checks its
documentation). A command exits 0 unless its line ends ``# exit N``. So an
example in the guide cannot rot: a renamed option, a moved output or a
command that now fails is a failing test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from packbuilder.exceptions import EXIT_CODES

from helpers.kit import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)")
EXPECTED = re.compile(r"#\s*exit (\d+)\s*$")


@dataclass(frozen=True)
class Command:
    page: Path
    line: int
    text: str  # as typed, comment removed
    exit_code: int


def commands(page: Path) -> list[Command]:
    """The commands a page shows, in order."""
    found: list[Command] = []
    language = None
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        fence = FENCE.match(line)
        if fence:
            language = None if language is not None else (fence.group(1) or "text")
            continue
        if language == "console" and line.startswith("$ "):
            typed = line[2:]
        elif language == "sh" and line.startswith("packbuilder "):
            typed = line
        else:
            continue
        expected = EXPECTED.search(typed)
        text = re.sub(r"\s+#.*$", "", typed).strip()
        found.append(Command(page, number, text, int(expected.group(1)) if expected else 0))
    return found


def test_every_page_shows_what_it_shows_in_runnable_blocks():
    """The scan finds the commands (a change of markup must not make it find none)."""
    shown = {page.name: commands(page) for page in PAGES}
    assert [c.text for c in shown["getting-started.md"]][:1] == [
        'packbuilder new my-council --committee "Overview and Scrutiny Committee" '
        '--council "Example Council"'
    ]
    assert sum(len(found) for found in shown.values()) >= 15


def test_the_exit_codes_page_lists_the_one_table():
    """docs/exit-codes.md says what exceptions.EXIT_CODES says, code by code."""
    page = (ROOT / "docs" / "exit-codes.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| (.+?) \|$", page, flags=re.M)
    documented = {int(code): " ".join(meaning.replace("`", "").split()) for code, meaning in rows}
    assert documented == {int(code): meaning for code, meaning in EXIT_CODES.items()}


@pytest.mark.e2e
def test_the_guide_builds_in_strict_mode(tmp_path):
    mkdocs = Path(sys.executable).parent / "mkdocs"
    done = subprocess.run(
        [str(mkdocs), "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site" / "getting-started" / "index.html").is_file()


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
@pytest.mark.parametrize("page", [p for p in PAGES if commands(p)], ids=lambda p: p.name)
def test_every_command_the_guide_shows_works(page, tmp_path, lo_cache):
    folder = tmp_path / "work"
    shutil.copytree(ROOT / "meetings", folder / "meetings", ignore=shutil.ignore_patterns("build"))
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PACKBUILDER_CACHE_DIR": str(lo_cache),
        "SOURCE_DATE_EPOCH": "1651536000",  # 3 May 2022, the example's publication
    }
    for command in commands(page):
        done = subprocess.run(
            ["bash", "-c", command.text],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        where = f"{page.name}:{command.line}: {command.text}"
        assert done.returncode == command.exit_code, f"{where}\n{done.stdout}{done.stderr}"
        assert "Traceback" not in done.stderr, where
