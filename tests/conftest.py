"""Shared fixtures: the reference meeting (Middlesbrough Council, OSB, 11 May 2022).

Also: every pack a test builds through :func:`packbuilder.api.build` (directly or
through the CLI in-process) is checked with ``qpdf --check`` (see
:func:`_qpdf_checks_every_pack`), and :func:`lo_cache` shares LibreOffice
conversions between tests so that identical front sheets convert once.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from packbuilder import api
from packbuilder.definition import load_meeting
from packbuilder.model import Meeting, ReportSource

# CI runs the property and fuzz tests on a fixed sequence of examples (HYPOTHESIS_PROFILE=ci,
# set by .ci/run) so that a landing never depends on luck; developers' runs explore new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
MEETING_FILE = ROOT / "meetings" / "osb-2022-05-11.yaml"

REFERENCE_ITEM_PAGES = {"4": "3 - 10", "5": "11 - 14", "8": "15 - 82", "9": "83 - 116"}
"""The page ranges the reference agenda prints."""


def make_reference_meeting() -> Meeting:
    """The reference meeting, loaded from the example meeting file."""
    return load_meeting(MEETING_FILE)


def _item4_report_fields() -> dict:
    source = make_reference_meeting().items[3].papers[0].document.source
    assert isinstance(source, ReportSource)
    return dict(source.fields)


ITEM4_REPORT_FIELDS = _item4_report_fields()
"""The fields of the item 4 cover report, with the reference's text (from the example)."""


@pytest.fixture
def reference_meeting() -> Meeting:
    """Middlesbrough Council, Overview and Scrutiny Board, 11 May 2022 (the reference pack)."""
    return make_reference_meeting()


@pytest.fixture(scope="session", autouse=True)
def _qpdf_checks_every_pack():
    """Wrap api.build for the whole session: every pack and item PDF must pass qpdf --check.

    Tests that build in a subprocess call :func:`pdftools.qpdf_check` themselves.
    """
    from pdftools import qpdf_check

    original = api.build

    @functools.wraps(original)
    def build_and_check(*args, **kwargs):
        result = original(*args, **kwargs)
        qpdf_check(result.pack)
        for path in result.files:
            if path.suffix == ".pdf":
                qpdf_check(path)
        return result

    api.build = build_and_check
    yield
    api.build = original


@pytest.fixture(scope="session")
def lo_cache(tmp_path_factory) -> Path:
    """A conversion cache shared by the tests that run the real LibreOffice."""
    return tmp_path_factory.mktemp("lo-cache")


@pytest.fixture
def needs_soffice():
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
