"""The forward plan's front doors: check an edition, or build it (.docx, .pdf, summary, changes).

Everything is written into a staging folder beside the output folder, which
replaces the output folder in one swap only when complete, under the same
lock as pack builds (:func:`packbuilder.publish.outputs.staged_output`); a build that
fails leaves the previous edition as it was. Two builds from
the same inputs give the same bytes: the .docx is saved with fixed zip
timestamps (as every rendered .docx is, :mod:`packbuilder.render.docx`), the
edition's date and the PDF's dates come from ``--as-of``, the plan's
``as_of:``, or ``SOURCE_DATE_EPOCH``, and the PDF's identifiers and XMP
metadata are derived from its content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..convert.converter import DEFAULT_TIMEOUT, ConversionCache, Converter
from ..datefmt import day_month_year
from ..dates import source_date
from ..exceptions import ChecksFailedError
from ..forwardplan.changes import ChangeList, compare, entry_summary, read_summary
from ..forwardplan.checks import Finding, check_edition
from ..forwardplan.select import Edition, build_edition, edition_date
from ..load.plan import load_plan
from ..model.forwardplan import Plan
from ..publish.lock import DEFAULT_WAIT
from ..publish.outputs import FORWARD_PLAN_SUMMARY, staged_output
from ..publish.ownership import FORWARD_PLAN_FORMAT
from ..publish.reproducible import make_reproducible
from ..render.forwardplan import render_edition

STEM = "forward-plan"
SUMMARY = FORWARD_PLAN_SUMMARY  # forward-plan.json
CHANGES = f"{STEM}-changes.txt"
FORMAT = FORWARD_PLAN_FORMAT  # what makes the folder packbuilder's (..ownership)

Progress = Callable[[str], None]


@dataclass
class EditionResult:
    """What a build produced, and what it found."""

    plan: Plan
    edition: Edition
    output_dir: Path
    docx: Path
    pdf: Path
    summary_path: Path
    changes_path: Path
    pages: int
    findings: list[Finding]
    changes: ChangeList
    summary: dict[str, Any]
    seconds: float


def check_plan(
    plan_path: Path | str, as_of: dt.date | None = None, months: int | None = None
) -> tuple[Plan, Edition, list[Finding]]:
    """Load and validate the plan and run the legal checks on the edition; build nothing."""
    plan = load_plan(plan_path)
    edition = build_edition(plan, edition_date(plan, as_of), months)
    return plan, edition, check_edition(edition, plan.settings)


def build_forward_plan(
    plan_path: Path | str,
    output_dir: Path,
    as_of: dt.date | None = None,
    months: int | None = None,
    previous: Path | None = None,
    strict: bool = False,
    *,
    cache_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
    wait: float = DEFAULT_WAIT,
) -> EditionResult:
    """Build the edition of ``plan_path`` dated ``as_of`` into ``output_dir``.

    ``previous`` is last week's summary JSON (default: the one in
    ``output_dir``, if any). With ``strict``, any finding of the legal checks
    raises :class:`ChecksFailedError` and nothing is written.
    """
    started = time.monotonic()
    progress = progress or (lambda message: None)
    plan, edition, findings = check_plan(plan_path, as_of, months)
    if strict and findings:
        raise ChecksFailedError(
            f"{len(findings)} check(s) failed; the edition was not built:\n"
            + "\n".join(f"  - {f}" for f in findings),
            hint="correct the plan, or build without --strict to publish with these findings",
        )
    stamp = source_date() or dt.datetime.combine(edition.as_of, dt.time(), tzinfo=dt.UTC)
    with staged_output(output_dir, marker=SUMMARY, wait=wait, progress=progress) as stage:
        baseline = previous_edition(previous, output_dir / SUMMARY, edition.as_of)
        changes = compare(baseline, _entries(edition))
        docx, pdf, pages = _make_files(plan, edition, stage, stamp, cache_dir, timeout, progress)
        summary = build_summary(plan, edition, findings, changes, pdf, pages, baseline)
        (stage / CHANGES).write_text(changes.text() + "\n", encoding="utf-8")
        (stage / SUMMARY).write_text(
            json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        shutil.rmtree(stage / "work", ignore_errors=True)
    return EditionResult(
        plan=plan,
        edition=edition,
        output_dir=output_dir,
        docx=output_dir / docx.name,
        pdf=output_dir / pdf.name,
        summary_path=output_dir / SUMMARY,
        changes_path=output_dir / CHANGES,
        pages=pages,
        findings=findings,
        changes=changes,
        summary=summary,
        seconds=time.monotonic() - started,
    )


def _make_files(
    plan: Plan,
    edition: Edition,
    stage: Path,
    stamp: dt.datetime,
    cache_dir: Path | None,
    timeout: float,
    progress: Progress,
) -> tuple[Path, Path, int]:
    """Render the .docx and convert it to a reproducible PDF in ``stage``."""
    progress(f"Rendering the edition of {day_month_year(edition.as_of)}")
    docx = stage / f"{STEM}.docx"
    render_edition(plan, edition, docx)
    converter = Converter(  # says what it converts, or that the cache had it
        stage / "work", ConversionCache(cache_dir), timeout=timeout, progress=progress
    )
    pdf = stage / f"{STEM}.pdf"
    title = f"{plan.settings.title} – {day_month_year(edition.as_of)}"
    pages = make_reproducible(converter.convert([docx])[docx], pdf, stamp, title=title)
    return docx, pdf, pages


def previous_edition(given: Path | None, in_output: Path, as_of: dt.date) -> dict[str, Any] | None:
    """The summary to compare with: ``given``, else the one in the output folder.

    When the output folder's summary is of the same date (the edition is being
    built again), the comparison is with the edition before it, which that
    summary records under ``previous``; so a rebuild gives the same change
    list, and the same bytes.
    """
    if given is not None:
        return read_summary(given)
    if not in_output.is_file():
        return None
    data = read_summary(in_output)
    if data.get("as_of") != as_of.isoformat():
        return data
    earlier = data.get("previous")
    return (
        earlier if isinstance(earlier, dict) and isinstance(earlier.get("entries"), list) else None
    )


def _entries(edition: Edition) -> list[dict[str, Any]]:
    return [entry_summary(entry) for entry in edition.entries]


def build_summary(
    plan: Plan,
    edition: Edition,
    findings: list[Finding],
    changes: ChangeList,
    pdf: Path,
    pages: int,
    baseline: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The machine-readable summary of an edition (compared with next week's).

    ``baseline`` is the previous edition's summary; its date and entries are
    kept under ``previous`` so that the edition can be rebuilt identically.
    """
    settings = plan.settings
    return {
        "format": FORMAT,
        "title": settings.title,
        "body": settings.body,
        "as_of": edition.as_of.isoformat(),
        "window": {"from": edition.window.start.isoformat(), "to": edition.window.end.isoformat()},
        "months": edition.months,
        "counting": settings.counting.value,
        "groups": [
            {"portfolio": g.portfolio, "references": [e.reference for e in g.entries]}
            for g in edition.groups
        ],
        "entries": _entries(edition),
        "findings": [f.as_dict() for f in findings],
        "changes": changes.as_dict() if changes.since is not None else None,
        "previous": (
            {"as_of": baseline.get("as_of"), "entries": baseline["entries"]} if baseline else None
        ),
        "files": {
            "docx": f"{STEM}.docx",
            "pdf": pdf.name,
            "pdf_pages": pages,
            "pdf_sha256": hashlib.sha256(pdf.read_bytes()).hexdigest(),
        },
    }
