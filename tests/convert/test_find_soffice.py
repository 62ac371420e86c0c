"""LibreOffice found where clerks have it: named, on PATH, or where its installers put it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from packbuilder.cli import main
from packbuilder.convert._exec import soffice
from packbuilder.exceptions import ConverterMissingError, ExitCode


def fake_program(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def no_path(monkeypatch, tmp_path):
    """No soffice on PATH and none named."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("PACKBUILDER_SOFFICE", "recorded")  # so that teardown restores it,
    monkeypatch.delenv("PACKBUILDER_SOFFICE")  # even after --soffice set it in-process


def test_an_installed_copy_off_the_path_is_found(no_path, tmp_path):
    mac = fake_program(tmp_path / "Applications/LibreOffice.app/Contents/MacOS/soffice")
    assert soffice.find_soffice(places=(str(tmp_path / "nowhere"), str(mac))) == str(mac)


def test_the_standard_places_are_windows_and_macos_installs():
    assert r"C:\Program Files\LibreOffice\program\soffice.exe" in soffice.STANDARD_PLACES
    assert "/Applications/LibreOffice.app/Contents/MacOS/soffice" in soffice.STANDARD_PLACES


@pytest.mark.parametrize(
    "platform,advice",
    [
        ("linux", "sudo apt-get install libreoffice-writer-nogui"),
        ("darwin", "brew install --cask libreoffice"),
        ("win32", "winget install TheDocumentFoundation.LibreOffice"),
    ],
)
def test_when_it_is_missing_the_message_says_how_to_install_it_here(
    no_path, monkeypatch, platform, advice
):
    monkeypatch.setattr(sys, "platform", platform)
    with pytest.raises(ConverterMissingError) as info:
        soffice.find_soffice(places=())
    assert advice in str(info.value) and "--soffice" in str(info.value)


def test_soffice_option_names_the_program(no_path, tmp_path, monkeypatch):
    program = fake_program(tmp_path / "lo" / "program" / "soffice")
    seen: list[str | None] = []
    monkeypatch.setattr(soffice, "converter_identity", lambda found: seen.append(found) or "fake")
    runner = CliRunner()
    result = runner.invoke(main, ["--soffice", str(tmp_path / "missing"), "cache", "info"])
    assert result.exit_code == 0  # cache info needs no LibreOffice
    assert os.environ["PACKBUILDER_SOFFICE"] == str(tmp_path / "missing")
    with pytest.raises(ConverterMissingError) as info:
        soffice.find_soffice(places=())
    assert "named with --soffice or PACKBUILDER_SOFFICE" in str(info.value)
    monkeypatch.setenv("PACKBUILDER_SOFFICE", str(program))
    assert soffice.find_soffice(places=()) == str(program)
    assert ConverterMissingError.exit_code == ExitCode.CONVERTER_ERROR
