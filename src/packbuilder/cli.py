"""The ``packbuilder`` command: parse arguments, call the library, map errors to exit codes."""

from __future__ import annotations

import contextlib
import functools
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from . import __version__, api
from .convert import DEFAULT_TIMEOUT, default_cache_dir
from .datefmt import weekday_date
from .exceptions import ExitCode, PackbuilderError
from .lock import DEFAULT_WAIT

EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  1  internal error (a bug: run again with --debug and report it)
  2  the command line is wrong
  3  the meeting or plan definition is wrong (YAML, keys, dates, files)
  4  a paper cannot be read (damaged, encrypted, not a PDF)
  5  a Word template is broken or uses an unknown variable
  6  LibreOffice is missing, failed or timed out
  7  the outputs cannot be written (permissions, disk full)
  8  another build of the same meeting is running (see --wait)
  9  checks failed (with --strict)
  130 interrupted (Ctrl-C or SIGTERM); nothing was published
"""


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


GLOBAL_FLAGS = ("--debug", "-q", "--quiet", "-v", "--verbose")


class PackbuilderGroup(click.Group):
    """The top-level group: its flags may also be written after the command.

    ``packbuilder build M --quiet`` is what a clerk writing a cron line types;
    the flags are moved in front of the command rather than refused.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        end = args.index("--") if "--" in args else len(args)
        command_at = next((i for i, arg in enumerate(args[:end]) if arg in self.commands), end)
        moved = [arg for arg in args[command_at:end] if arg in GLOBAL_FLAGS]
        kept = [arg for arg in args[command_at:end] if arg not in GLOBAL_FLAGS]
        return super().parse_args(ctx, [*args[:command_at], *moved, *kept, *args[end:]])


@click.group(
    cls=PackbuilderGroup,
    epilog=EXIT_CODES_HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="packbuilder")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.option(
    "-q", "--quiet", is_flag=True, help="Print nothing but warnings and errors (for cron)."
)
@click.option("-v", "--verbose", is_flag=True, help="Show progress even when not at a terminal.")
@click.pass_context
def main(ctx: click.Context, debug: bool, quiet: bool, verbose: bool) -> None:
    """Build council meeting agenda packs from a YAML meeting definition.

    \b
    Typical use:
      packbuilder check meetings/osb-2022-05-11.yaml    # validate, build nothing
      packbuilder build meetings/osb-2022-05-11.yaml    # build/osb-2022-05-11/pack.pdf
      packbuilder status meetings/osb-2022-05-11.yaml   # deadline, papers to follow
      packbuilder watch meetings/osb-2022-05-11.yaml    # rebuild on every change

    See README.md for the YAML format and the template variables.
    """
    ctx.obj = Reporter(quiet, verbose, debug)


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


def resolve_cache_dir(cache_dir: Path | None, no_cache: bool) -> Path | None:
    """The cache folder a command uses: none with --no-cache, else --cache-dir or the default."""
    return None if no_cache else (cache_dir or default_cache_dir())


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
            help=f"Output folder (default: {default_output}). Replaced as a whole.",
        ),
        cache_dir_option,
        click.option("--no-cache", is_flag=True, help="Convert and fill every document again."),
        click.option(
            "--timeout",
            type=click.FloatRange(min=1),
            default=DEFAULT_TIMEOUT,
            show_default=True,
            help="Seconds LibreOffice may take for one run before it is stopped.",
        ),
        click.option(
            "--wait",
            type=click.FloatRange(min=0),
            default=DEFAULT_WAIT,
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


@main.command()
@meeting_argument
@build_options("build/<meeting file name>/")
@click.option(
    "--revision",
    type=click.IntRange(min=1),
    help="Mark the pack Revised with this revision number (overrides 'revision:' in MEETING).",
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
) -> None:
    """Build the agenda pack of MEETING (a .yaml file).

    Writes the pack, the front sheet (.docx and .pdf), one PDF per agenda
    item with papers, and manifest.json into the output folder. A failed
    build leaves the previous outputs untouched. After a rebuild it says
    what changed since the previous build (see also 'packbuilder diff').
    """
    options = build_options_from(
        reporter, output, cache_dir, no_cache, timeout, wait, revision=revision
    )
    report_build(reporter, api.build(meeting, options))


@main.command()
@meeting_argument
@click.pass_obj
@handle_errors
def check(reporter: Reporter, meeting: Path) -> None:
    """Validate MEETING without building anything.

    Reports every problem in the YAML with its file, line and key, and opens
    every paper: a PDF that is missing, damaged or protected by a password, a
    page selection beyond a PDF's last page, a Word paper that is not a real
    .docx. Loads every forward plan the meeting's tables are made from and
    opens every template the build would fill. Does not start LibreOffice.
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


from .cli_forward_plan import forward_plan  # noqa: E402
from .cli_late import COMMANDS, report_build  # noqa: E402
from .cli_watch import watch_command  # noqa: E402

main.add_command(forward_plan)
main.add_command(watch_command)
for _command in COMMANDS:
    main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()
