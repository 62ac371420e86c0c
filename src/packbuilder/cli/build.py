"""``packbuilder build`` and ``packbuilder check``: a meeting's pack, or its checks alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .. import api
from ..datefmt import weekday_date
from .common import (
    Reporter,
    build_options,
    build_options_from,
    handle_errors,
    meeting_argument,
    replace_option,
    report_build,
)
from .web import show_web_agenda


@click.command()
@meeting_argument
@build_options("build/<meeting file name>/ beside MEETING")
@click.option(
    "--revision",
    type=click.IntRange(min=1),
    help="Mark the pack Revised with this revision number (overrides 'revision:' in MEETING). "
    "Later builds keep it until told otherwise.",
)
@click.option(
    "--no-revision",
    is_flag=True,
    help="Build without 'Revised', whatever MEETING or the last build said.",
)
@replace_option
@click.option(
    "--open",
    "open_page",
    is_flag=True,
    help="Open the built web agenda (public/index.html) in the default browser.",
)
@click.pass_obj
@handle_errors
def build(
    reporter: Reporter,
    meeting: Path,
    output: Path | None,
    cache_dir: Path | None,
    no_cache: bool,
    timeout: float,
    wait: float,
    revision: int | None,
    no_revision: bool,
    replace: bool,
    open_page: bool,
) -> None:
    """Build the agenda pack of MEETING (a .yaml file).

    Writes into the output folder (by default build/<meeting file name>/ in
    MEETING's folder, wherever you run it from) public/ (for the website: the
    public pack, the front sheet as .docx and .pdf, one PDF per agenda item with
    public papers, the web agenda index.html, the calendar entry meeting.ics, the
    open data meeting.json, and its manifest.json; nothing exempt) and members/ (the
    complete pack, exempt pages marked NOT FOR PUBLICATION, its per-item PDFs
    and the full manifest.json). Both packs have the same page numbers. A
    failed build leaves the previous outputs untouched; a folder holding
    another meeting's pack is not replaced unless you add --replace. After a
    rebuild it says what changed since the previous build (see also
    'packbuilder diff').
    """
    if revision is not None and no_revision:
        raise click.UsageError("give --revision N or --no-revision, not both")
    options = build_options_from(
        reporter,
        output,
        cache_dir,
        no_cache,
        timeout,
        wait,
        revision=revision,
        keep_revision=not no_revision,
        replace=replace,
    )
    report_build(reporter, api.build(meeting, options))
    if open_page:
        show_web_agenda(reporter, meeting, output)


@click.command()
@meeting_argument
@click.pass_obj
@handle_errors
def check(reporter: Reporter, meeting: Path) -> None:
    """Validate MEETING without building anything.

    Reports every problem in the YAML with its file, line and key, and opens
    every paper: a PDF that is missing, damaged or protected by a password, a
    page selection beyond a PDF's last page, a Word paper that is not a real
    .docx, a PDF marked exempt that is also used as a public paper. Loads every
    forward plan the meeting's tables are made from and opens every template
    the build would fill (and the web agenda's). Warns of a public item listed
    after a Part B item. Does not start LibreOffice.
    """
    warnings: list[Any] = []
    loaded = api.check(meeting, warnings)
    for warning in warnings:
        reporter.warning(str(warning))
    with_papers = sum(1 for item in loaded.items if item.included_papers)
    count = len(loaded.items)
    reporter.result(
        f"{meeting}: OK — {count} item{'s' if count != 1 else ''}, {with_papers} with papers, "
        f"meeting on {weekday_date(loaded.date)}."
    )
