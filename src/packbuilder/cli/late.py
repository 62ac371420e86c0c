"""Commands for late papers: ``status``, ``supplement``, ``diff`` and ``cache``.

``packbuilder build`` itself lives in :mod:`packbuilder.cli`; after a rebuild
it prints what changed (:func:`report_changes`, shared with ``supplement``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from .. import api
from ..dates import today
from ..exceptions import ChecksFailedError
from .common import (
    Reporter,
    build_options,
    build_options_from,
    cache_dir_option,
    handle_errors,
    meeting_argument,
    report_build,
)

_date_type = click.DateTime(formats=["%Y-%m-%d"])


@click.command("status")
@meeting_argument
@click.option(
    "--today",
    "on",
    type=_date_type,
    help="Report as on this day, YYYY-MM-DD (default: today).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="The pack's output folder, to say whether it is up to date "
    "(default: build/<meeting>/ beside MEETING).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 9 when the deadline is missed or a late item has no reason for urgency.",
)
@click.pass_obj
@handle_errors
def status_command(
    reporter: Reporter,
    meeting: Path,
    on: dt.datetime | None,
    output: Path | None,
    as_json: bool,
    strict: bool,
) -> None:
    """Where MEETING stands: deadline, papers to follow, late items.

    Lists the items to follow and the papers still missing, the publication
    deadline and whether the publication date meets it, items that are late
    and whether each has a recorded reason for urgency, and whether the built
    pack is up to date with the files.

    \b
    The deadline is the committee's 'deadline:' setting: clear_days (5) before
    the meeting, counting calendar days or working days (no weekends or England
    and Wales bank holidays). Exit codes: 0, also when there are problems;
    9 with --strict when there are; 3 when the meeting file is wrong.
    """
    found = api.status(meeting, on.date() if on else today(), output)
    if as_json:
        click.echo(json.dumps(found.as_dict(), indent=2, ensure_ascii=False))
    else:
        reporter.result(found.text())
    problems = found.problems
    if strict and problems:
        raise ChecksFailedError(
            f"{len(problems)} problem(s) with the publication of {meeting.name}",
            hint="publish in time, or record each late item's reason for urgency under "
            "'urgency:' in the meeting file",
        )


@click.command("supplement")
@meeting_argument
@click.option(
    "--items",
    required=True,
    help="The item numbers to include, as on the agenda, e.g. 3,8 or 3-5.",
)
@build_options("build/<meeting>-supplement/ beside MEETING")
@click.option(
    "--published",
    type=_date_type,
    help="The publication date printed on it, YYYY-MM-DD (default: today).",
)
@click.option("--revision", type=click.IntRange(min=1), help="Mark it revised, with this number.")
@click.pass_obj
@handle_errors
def supplement_command(
    reporter: Reporter,
    meeting: Path,
    items: str,
    output: Path | None,
    cache_dir: Path | None,
    no_cache: bool,
    timeout: float,
    wait: float,
    published: dt.datetime | None,
    revision: int | None,
) -> None:
    """Build a Supplementary Agenda of MEETING holding only the chosen items.

    It has its own front sheet listing only those items, its own page
    numbers, bookmarks and manifest, split as the main pack is: public/ (for
    the website, nothing exempt) and members/ (complete). The main pack
    (build/<meeting>/ beside MEETING) is not touched. Items still To Follow or
    withdrawn cannot go in a supplement.

    \b
    Example, when the reports of items 8 and 9 arrived after the agenda went out:
      packbuilder supplement meetings/osb-2022-05-11.yaml --items 8,9
    """
    options = build_options_from(
        reporter,
        output,
        cache_dir,
        no_cache,
        timeout,
        wait,
        revision=revision,
        published=published.date() if published else today(),
    )
    report_build(reporter, api.supplement(meeting, [n.strip() for n in items.split(",")], options))


@click.command("diff")
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_obj
@handle_errors
def diff_command(reporter: Reporter, old: Path, new: Path, as_json: bool) -> None:
    """What changed between two builds, for an email to members.

    OLD and NEW are manifest.json files or output folders (an output folder
    is read from its complete members/manifest.json; give two public/
    folders to compare what was published). Lists items added, removed,
    withdrawn or now included, papers replaced, and page ranges that moved,
    as text to paste into an email (or --json). Exit code 0 whether or not
    anything changed; 3 when a manifest cannot be read.

    \b
    Keep a copy of what members were sent, then compare after the rebuild:
      cp -r build/osb-2022-05-11 sent/osb-2022-05-11
      packbuilder diff sent/osb-2022-05-11 build/osb-2022-05-11
    """
    changes = api.compare(old, new)
    if as_json:
        click.echo(json.dumps(changes.as_dict(), indent=2, ensure_ascii=False))
    else:
        reporter.result(changes.text().rstrip())


@click.group("cache")
def cache_group() -> None:
    """See or clear the cache of converted and rendered documents.

    Entries are named by a hash of everything that made them, so a cached
    result is only used for exactly the same input; clearing is never needed
    for correctness, only to free space.
    """


@cache_group.command("info")
@cache_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@handle_errors
def cache_info_command(cache_dir: Path | None, as_json: bool) -> None:
    """Show where the cache is, how many entries it holds and their size."""
    info = api.cache_info(cache_dir or api.default_cache_dir())
    click.echo(json.dumps(info.as_dict(), indent=2) if as_json else info.text())


@cache_group.command("clear")
@cache_dir_option
@click.pass_obj
@handle_errors
def cache_clear_command(reporter: Reporter, cache_dir: Path | None) -> None:
    """Delete every cached entry; the next build converts and renders everything again."""
    removed = api.clear_cache(cache_dir or api.default_cache_dir())
    reporter.result(f"Cleared {removed.count} cached entries from {removed.location}.")


COMMANDS = (status_command, supplement_command, diff_command, cache_group)
"""Registered on the ``packbuilder`` group by :mod:`packbuilder.cli`."""
