"""The command line: exit codes, messages, no tracebacks."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from packbuilder.cli import main
from packbuilder.exceptions import EXIT_CODES

from helpers.kit import DEFINITION_MEETING as MEETING
from helpers.kit import TEMPLATES, make_pdf, write_definition

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def test_help_teaches_commands_and_exit_codes():
    result = run("--help")
    assert result.exit_code == 0
    for text in ("build", "check", "Exit codes:"):
        assert text in result.output
    help_text = " ".join(result.output.split())
    for code, meaning in EXIT_CODES.items():
        assert f"{int(code)} {meaning}" in help_text, code


def test_check_valid_meeting(tmp_path):
    path = write_definition(tmp_path)
    make_pdf(tmp_path / "paper.pdf", 3)  # check opens the papers: a real PDF
    shutil.copytree(TEMPLATES, tmp_path / "templates", dirs_exist_ok=True)  # and templates
    result = run("check", str(path))
    assert result.exit_code == 0, result.output
    assert "OK — 2 items, 1 with papers" in result.output


def test_check_bad_meeting_exits_3_without_traceback(tmp_path):
    path = write_definition(tmp_path, MEETING.replace("venue:", "venu:"))
    result = run("check", str(path))
    assert result.exit_code == 3
    assert "unknown key 'venu'" in result.output and "did you mean 'venue'?" in result.output
    assert "Traceback" not in result.output


def test_missing_meeting_file_is_a_usage_error(tmp_path):
    result = run("check", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_missing_soffice_says_how_to_install(tmp_path):
    shutil.copyfile(ROOT / "meetings" / "papers" / "item08-addendum.docx", tmp_path / "paper.docx")
    path = write_definition(
        tmp_path, MEETING.replace("paper.pdf\n        pages: 1-2", "paper.docx")
    )
    result = run(
        "build",
        str(path),
        "--output",
        str(tmp_path / "out"),
        "--no-cache",
        env={"PACKBUILDER_SOFFICE": "no-such-soffice"},
    )
    assert result.exit_code == 6, result.output
    assert "apt-get install libreoffice-writer-nogui" in result.output
    assert not (tmp_path / "out").exists()


def test_global_flags_may_follow_the_command(tmp_path):
    path = write_definition(tmp_path)
    make_pdf(tmp_path / "paper.pdf", 3)
    shutil.copytree(TEMPLATES, tmp_path / "templates", dirs_exist_ok=True)
    loud = run("check", str(path))
    assert loud.exit_code == 0 and "OK" in loud.output, loud.output
    for flag in ("--quiet", "-q"):
        result = run("check", str(path), flag)
        assert result.exit_code == 0, result.output
        assert result.output == "", "quiet after the command is quiet too"
