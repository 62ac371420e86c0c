"""What every command shares: progress and results (:class:`Reporter`), errors mapped to exit
codes (:func:`handle_errors`), the options of the building commands, and the report of a build."""

from __future__ import annotations

import contextlib
import functools
import signal
import sys
import textwrap
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from .. import api
from ..exceptions import EXIT_CODES, ExitCode, PackbuilderError

EXIT_CODES_HELP = "\b\nExit codes:\n" + "\n".join(
    textwrap.fill(meaning, 78, initial_indent=f"  {int(code):<4}", subsequent_indent=" " * 6)
    for code, meaning in EXIT_CODES.items()
)
"""The exit codes as ``packbuilder --help`` lists them (from :data:`EXIT_CODES`)."""


class Reporter:
    """Progress to stderr at a terminal (or with --verbose); silence in cron."""

    def __init__(self, quiet: bool, verbose: bool, debug: bool):
        self.quiet, self.debug = quiet, debug
        self.show_progress = not quiet and (verbose or sys.stderr.isatty())
        self.started = time.monotonic()

    def progress(self, message: str) -> None:
        """One line of progress, with the seconds since the command started."""
        if self.show_progress:
            elapsed = time.monotonic() - self.started
            click.echo(f"  [{elapsed:5.1f} s] {message}", err=True)

    def result(self, message: str) -> None:
        if not self.quiet:
            click.echo(message)

    def warning(self, message: str) -> None:
        """Something the clerk should check; shown even with --quiet (cron mails it)."""
        click.echo(f"warning: {message}", err=True)


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``1 page``, ``2 pages``: a count and its noun, for messages."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command, turning packbuilder errors into a message and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(ctx.find_root().params.get("debug"))
        try:
            with _sigterm_as_interrupt():
                return command(*args, **kwargs)
        except PackbuilderError as exc:
            if debug:
                traceback.print_exc()
            click.echo(f"error: {exc}", err=True)
            ctx.exit(int(exc.exit_code))
        except KeyboardInterrupt:
            click.echo(
                "interrupted: nothing was published; the previous outputs are intact", err=True
            )
            ctx.exit(int(ExitCode.INTERRUPTED))
        except click.exceptions.Exit:
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if debug:
                traceback.print_exc()
            click.echo(
                f"internal error: {type(exc).__name__}: {exc}\n"
                "  This is a bug in packbuilder. Run the same command with --debug and "
                "report the output.",
                err=True,
            )
            ctx.exit(int(ExitCode.INTERNAL_ERROR))

    return wrapper


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM (a CI timeout, systemd stop, kill) like Ctrl-C: stop LibreOffice, publish
    nothing, exit 130. Without this the process would die at once and leave them behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def meeting_argument(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.argument("meeting", type=click.Path(exists=True, dir_okay=False, path_type=Path))(
        command
    )


cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The cache folder (default: $PACKBUILDER_CACHE_DIR, else $XDG_CACHE_HOME/packbuilder, "
    "else ~/.cache/packbuilder).",
)


replace_option = click.option(
    "--replace",
    is_flag=True,
    help="Replace the pack of another meeting if the output folder holds one "
    "(without it, such a build stops with exit code 7).",
)


def resolve_cache_dir(cache_dir: Path | None, no_cache: bool) -> Path | None:
    """The cache folder a command uses: none with --no-cache, else --cache-dir or the default."""
    return None if no_cache else (cache_dir or api.default_cache_dir())


def build_options(default_output: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options every building command shares: output, cache, timeout, lock wait.

    The command receives them as ``output``, ``cache_dir``, ``no_cache``,
    ``timeout`` and ``wait``; :func:`build_options_from` turns them into
    :class:`api.BuildOptions`.
    """
    options = [
        click.option(
            "-o",
            "--output",
            type=click.Path(file_okay=False, path_type=Path),
            help=f"Output folder (default: {default_output}). Only the files packbuilder "
            "wrote there are replaced; a clerk's own files stay.",
        ),
        cache_dir_option,
        click.option("--no-cache", is_flag=True, help="Convert and fill every document again."),
        click.option(
            "--timeout",
            type=click.FloatRange(min=1),
            default=api.DEFAULT_TIMEOUT,
            show_default=True,
            help="Seconds LibreOffice may take for one run before it is stopped.",
        ),
        click.option(
            "--wait",
            type=click.FloatRange(min=0),
            default=api.DEFAULT_WAIT,
            show_default=True,
            help="Seconds to wait for another build of the same output folder to finish.",
        ),
    ]

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def build_options_from(
    reporter: Reporter,
    output: Path | None,
    cache_dir: Path | None,
    no_cache: bool,
    timeout: float,
    wait: float,
    **extra: Any,
) -> api.BuildOptions:
    """:class:`api.BuildOptions` from the shared options (see :func:`build_options`)."""
    return api.BuildOptions(
        output_dir=output,
        cache_dir=resolve_cache_dir(cache_dir, no_cache),
        timeout=timeout,
        wait=wait,
        progress=reporter.progress,
        **extra,
    )


def report_build(reporter: Reporter, result: api.BuildResult, prefix: str = "") -> None:
    """What every building command prints: warnings, the built line, what changed."""
    for warning in result.warnings:
        reporter.warning(str(warning))
    discarded = cache_discarded(result)
    if discarded:
        reporter.warning(discarded)
    reporter.result(prefix + built_line(result))
    report_changes(reporter, result)


def cache_discarded(result: api.BuildResult) -> str | None:
    """That damaged cache entries were discarded (and their documents made again), if any."""
    entries = [*result.conversions.discarded, *result.renders.discarded]
    if not entries:
        return None
    what = (
        f"a damaged cache entry was discarded ({entries[0]})"
        if len(entries) == 1
        else f"{len(entries)} damaged cache entries were discarded (in {entries[0].parent.parent})"
    )
    return (
        f"{what} and made again; the pack is not affected. If this happens again, check the "
        "disk the cache is on, or empty the cache with: packbuilder cache clear"
    )


def report_changes(reporter: Reporter, result: api.BuildResult) -> None:
    """After a rebuild, print what changed since the previous build, or that nothing did."""
    changes = api.changes_since_previous(result)
    if changes is None:
        return
    if changes.changed:
        reporter.result("\n" + changes.text().rstrip())
    else:
        reporter.result("No changes to the items, papers or page numbers since the last build.")


def built_line(result: api.BuildResult) -> str:
    """``Built build/x/public/pack.pdf (116 pages; members/pack.pdf the same) in 0.2 s;
    converted ..., filled ...``, or, with exempt business, both packs named."""
    stats, renders = result.conversions, result.renders
    revision = result.meeting.revision
    revised = f", revision {revision}" if revision is not None else ""
    if not result.withheld:
        packs = (
            f"{result.pack} ({counted(result.pages, 'page')}{revised}; "
            f"{result.members_pack.parent.name}/{result.members_pack.name} the same)"
        )
    else:
        packs = (
            f"{result.members_pack} ({counted(result.pages, 'page')}{revised}, exempt pages "
            f"marked NOT FOR PUBLICATION) and {result.pack} "
            f"({counted(result.public_pages, 'page')}: "
            f"{counted(result.withheld, 'exempt paper or appendix', 'exempt papers or appendices')}"
            " left out, a page in place of each)"
        )
    return (
        f"Built {packs} in {result.seconds:.1f} s; converted {len(stats.converted)} "
        f"document(s), {len(stats.cached)} from cache; filled {len(renders.rendered)} "
        f"template(s), {len(renders.reused)} from cache."
    )
