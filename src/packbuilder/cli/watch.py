"""``packbuilder watch``: rebuild on every change, with LibreOffice kept running.

The loop is :class:`packbuilder.api.Watcher`; this module prints what it
reports, keeps one :class:`~packbuilder.api.OfficeServer` for all
its rebuilds and stops cleanly on Ctrl-C.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .. import api
from ..exceptions import BuildInterrupted, PackbuilderError
from ..paths import display_path
from .common import (
    Reporter,
    build_options,
    build_options_from,
    handle_errors,
    meeting_argument,
    replace_option,
    report_build,
)

NO_UNO = (
    "LibreOffice's Python bridge (python3-uno) is not installed, so each rebuild starts "
    "LibreOffice afresh (about a second slower); install it with: "
    "sudo apt-get install python3-uno"
)


def _now() -> str:
    return dt.datetime.now().strftime("%H:%M:%S")


def _names(paths: list[Path], limit: int = 3) -> str:
    shown = ", ".join(display_path(path) for path in paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


def events_for(reporter: Reporter, meeting: Path) -> api.Events:
    """Print what the watcher reports: as ``build`` does, and errors as the CLI does."""

    def built(result: api.BuildResult) -> None:
        report_build(reporter, result, prefix=f"[{_now()}] ")

    def failed(error: PackbuilderError) -> None:
        click.echo(f"[{_now()}] error: {error}", err=True)
        reporter.result(f"Still watching {meeting}; save a fix to rebuild.")

    return api.Events(
        changed=lambda paths: reporter.result(f"\n[{_now()}] {_names(paths)} changed; rebuilding"),
        built=built,
        failed=failed,
        note=lambda message: reporter.result(f"[{_now()}] {message}"),
    )


@click.command("watch")
@meeting_argument
@build_options("build/<meeting file name>/ beside MEETING")
@replace_option
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=api.DEFAULT_INTERVAL,
    show_default=True,
    help="Seconds between checks of the files.",
)
@click.pass_obj
@handle_errors
def watch_command(
    reporter: Reporter,
    meeting: Path,
    output: Path | None,
    cache_dir: Path | None,
    no_cache: bool,
    timeout: float,
    wait: float,
    replace: bool,
    interval: float,
) -> None:
    """Build MEETING's pack, then rebuild it whenever one of its files changes.

    Watches the meeting file, its committee file, the templates, every paper
    (also those of items still To Follow) and the forward plan's files. After
    each rebuild it prints what changed, as 'packbuilder build' does. A
    rebuild that fails prints its error and the previous pack stays; it keeps
    watching. LibreOffice is kept running between rebuilds (with python3-uno
    installed), so a late Word paper is in the pack in a second or so.
    Stop with Ctrl-C (exit code 0).
    """
    office = api.OfficeServer() if api.OfficeServer.available() else None
    if office is None:
        reporter.warning(NO_UNO)
    options = build_options_from(
        reporter, output, cache_dir, no_cache, timeout, wait, office=office, replace=replace
    )
    watcher = api.Watcher(meeting, options, events_for(reporter, meeting), interval=interval)
    reporter.result(f"Watching {meeting} (Ctrl-C to stop)")
    try:
        watcher.run()
    except BuildInterrupted as exc:
        click.echo(str(exc), err=True)
    except KeyboardInterrupt:
        if watcher.building:
            click.echo("interrupted: the rebuild in progress was not published", err=True)
    finally:
        if office is not None:
            office.close()
    reporter.result(f"Stopped watching {meeting}.")
