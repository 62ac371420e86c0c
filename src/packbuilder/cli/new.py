"""``packbuilder new``: start a council's own folder, ready to build."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api
from .common import Reporter, handle_errors


@click.command("new")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--committee",
    default="Overview and Scrutiny Committee",
    show_default=True,
    help="The committee's name, as the agenda prints it.",
)
@click.option("--council", default="Example Council", show_default=True, help="The council's name.")
@click.pass_obj
@handle_errors
def new_command(reporter: Reporter, folder: Path, committee: str, council: str) -> None:
    """Start a council folder in FOLDER (new or empty): a committee file to fill in, a
    first meeting that builds as it is, the default Word templates to rebrand, a papers
    folder and a README of next steps.

    \b
    Then:
      packbuilder build FOLDER/meetings/<first meeting>.yaml
    """
    made = api.new_council(folder, committee=committee, council=council)
    reporter.result(
        f"Made {made.folder}/: fill in {made.committee}, then build the first meeting with\n"
        f"  packbuilder build {made.meeting}\n"
        f"Next steps are in {made.folder / 'README.txt'}."
    )
