"""The ``packbuilder`` command: click only. Each command parses its arguments, calls one
function of :mod:`packbuilder.api` and maps the project's exceptions to exit codes
(:mod:`.common`). The commands: :mod:`.build` (build, check), :mod:`.late` (status,
supplement, diff, cache), :mod:`.watch`, :mod:`.web` (open), :mod:`.forward_plan`.
"""

from __future__ import annotations

import os

import click

from .. import __version__
from .build import build, check
from .common import EXIT_CODES_HELP, Reporter
from .forward_plan import forward_plan
from .late import COMMANDS
from .new import new_command
from .watch import watch_command
from .web import open_command

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
@click.option(
    "--soffice",
    metavar="PROGRAM",
    help="The LibreOffice program to use (default: $PACKBUILDER_SOFFICE, else soffice on "
    "PATH, else where LibreOffice's installers put it on Windows and macOS).",
)
@click.pass_context
def main(ctx: click.Context, debug: bool, quiet: bool, verbose: bool, soffice: str | None) -> None:
    """Build council meeting agenda packs from a YAML meeting definition.

    \b
    Typical use:
      packbuilder new my-council                        # start your own council's folder
      packbuilder check meetings/osb-2022-05-11.yaml    # validate, build nothing
      packbuilder build meetings/osb-2022-05-11.yaml    # into meetings/build/osb-2022-05-11/
      packbuilder status meetings/osb-2022-05-11.yaml   # deadline, papers to follow
      packbuilder watch meetings/osb-2022-05-11.yaml    # rebuild on every change
      packbuilder open meetings/osb-2022-05-11.yaml     # the built web agenda, in the browser

    The user guide (the meeting file, templates and their variables, late papers,
    the forward plan) is the docs/ folder of packbuilder's source: start with
    docs/index.md, or run 'mkdocs serve' there to read it in a browser.
    """
    if soffice:
        os.environ["PACKBUILDER_SOFFICE"] = soffice  # seen by every LibreOffice start
    ctx.obj = Reporter(quiet, verbose, debug)


for _command in (new_command, build, check, *COMMANDS, watch_command, open_command, forward_plan):
    main.add_command(_command)

__all__ = ["main"]
