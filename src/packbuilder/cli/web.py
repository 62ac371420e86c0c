"""``packbuilder open``: the built web agenda of a meeting, in the default browser."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api
from .common import Reporter, handle_errors, meeting_argument


def show_web_agenda(reporter: Reporter, meeting: Path, output: Path | None) -> None:
    """Open the meeting's built ``public/index.html``; say where it is either way."""
    page, opened = api.open_web_agenda(meeting, output)
    if opened:
        reporter.result(f"Opened {page} in the web browser.")
    else:
        reporter.warning(f"no web browser could be started here; open {page.as_uri()} in one")


@click.command("open")
@meeting_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="The pack's output folder (default: build/<meeting>/ beside MEETING).",
)
@click.pass_obj
@handle_errors
def open_command(reporter: Reporter, meeting: Path, output: Path | None) -> None:
    """Open the built web agenda of MEETING (public/index.html) in the default browser.

    The page lists the items with their pages and a link to each published PDF, the
    calendar entry (meeting.ics) and the open data (meeting.json). Build the meeting
    first with 'packbuilder build MEETING'.
    """
    show_web_agenda(reporter, meeting, output)
