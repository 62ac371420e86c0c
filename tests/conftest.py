"""What every test gets, and one check every test is under.

The tests mirror the stages of ``src/packbuilder`` (``tests/load/``,
``tests/assemble/``, ...); ``tests/e2e/`` holds the ones that run the real
LibreOffice on whole meetings. Shared builders and readers are in
``tests/helpers/`` (no test file imports another).

**Every pack is checked with qpdf.** :func:`_qpdf_checks_every_pack` (autouse,
for the whole session) wraps the library's ``build`` wherever it is bound
(``packbuilder.api.build``, and the names :mod:`packbuilder.api.late` and
:mod:`packbuilder.api.watch` call), so every pack and every per-item PDF that
any test builds in-process, through the API or the CLI, must pass
``qpdf --check`` or the test fails. Tests that build in a subprocess call
:func:`helpers.pdftools.qpdf_check` themselves.

Also: :func:`reference_meeting` (the example meeting, loaded), :func:`lo_cache`
(a conversion cache shared by the tests that run the real LibreOffice, so that
identical front sheets convert once) and :func:`needs_soffice`.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from packbuilder import api
from packbuilder.api import late as api_late
from packbuilder.api import meeting as api_meeting
from packbuilder.api import watch as api_watch
from packbuilder.model.meeting import Meeting

from helpers.kit import make_reference_meeting
from helpers.pdftools import qpdf_check

# CI runs the property and fuzz tests on a fixed sequence of examples (HYPOTHESIS_PROFILE=ci,
# set by .ci/run) so that a landing never depends on luck; developers' runs explore new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def reference_meeting() -> Meeting:
    """Middlesbrough Council, Overview and Scrutiny Board, 11 May 2022 (the reference pack)."""
    return make_reference_meeting()


BUILD_BINDINGS = (api, api_meeting, api_late, api_watch)
"""The modules whose ``build`` name is the library's build: each is wrapped."""


@pytest.fixture(scope="session", autouse=True)
def _qpdf_checks_every_pack():
    """Wrap ``build`` for the whole session: every pack and item PDF must pass qpdf --check."""
    original = api_meeting.build

    @functools.wraps(original)
    def build_and_check(*args, **kwargs):
        result = original(*args, **kwargs)
        qpdf_check(result.pack)
        for path in result.files:
            if path.suffix == ".pdf":
                qpdf_check(path)
        return result

    for module in BUILD_BINDINGS:
        assert module.build is original, f"{module.__name__}.build is not the library's build"
        module.build = build_and_check
    yield
    for module in BUILD_BINDINGS:
        module.build = original


@pytest.fixture(scope="session")
def lo_cache(tmp_path_factory) -> Path:
    """A conversion cache shared by the tests that run the real LibreOffice."""
    return tmp_path_factory.mktemp("lo-cache")


@pytest.fixture
def needs_soffice():
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
