"""``packbuilder forward-plan``: build and check the Executive Forward Work Programme.

Made for cron: no prompts, ``--quiet`` prints nothing but errors, and the
exit code says what happened (0 built, 3 the plan is wrong, 9 checks failed
with ``--strict``; see ``packbuilder --help``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from .. import api
from ..datefmt import day_month_year
from ..dates import FIRST_YEAR, LAST_YEAR
from ..exceptions import ChecksFailedError
from ..model.forwardplan import MAX_MONTHS
from .common import Reporter, build_options, counted, handle_errors, resolve_cache_dir

DEFAULT_OUTPUT = Path("build") / "forward-plan"

_plan_argument = click.argument("plan", type=click.Path(exists=True, path_type=Path))


def _date_in_range(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Refuse an --as-of outside the years dates may be in (as the plan's own dates)."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise click.BadParameter(f"the year must be from {FIRST_YEAR} to {LAST_YEAR}")
    return value


_as_of_option = click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    callback=_date_in_range,
    help="The edition's date, YYYY-MM-DD (default: the plan's as_of, SOURCE_DATE_EPOCH, today).",
)
_months_option = click.option(
    "--months",
    type=click.IntRange(min=1, max=MAX_MONTHS),
    help="How many months ahead the edition covers (default: the plan's months, else 4).",
)


@click.group("forward-plan")
def forward_plan() -> None:
    """Build and check the Executive Forward Work Programme (the forward plan).

    \b
    Weekly, from cron:
      packbuilder --quiet forward-plan build meetings/forward-plan/plan.yaml --output /srv/www/fwp
    """


def _as_date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


def _report_findings(findings: list[Any], reporter: Reporter, *, strict_hint: bool) -> None:
    """The legal checks' findings, as warnings: shown even with --quiet (cron mails them)."""
    if not findings:
        return
    lines = [f"{len(findings)} finding(s) of the legal checks:"]
    lines += [f"  - {finding}" for finding in findings]
    if strict_hint:
        lines.append("  (published anyway; with --strict these fail the build with exit code 9)")
    reporter.warning("\n".join(lines))


@forward_plan.command("build")
@_plan_argument
@_as_of_option
@_months_option
@build_options(str(DEFAULT_OUTPUT))
@click.option(
    "--previous",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Last edition's summary JSON (default: forward-plan.json in the output folder).",
)
@click.option("--strict", is_flag=True, help="Fail (exit 9, nothing written) on any finding.")
@click.pass_obj
@handle_errors
def build_command(
    reporter: Reporter,
    plan: Path,
    as_of: dt.datetime | None,
    months: int | None,
    output: Path | None,
    cache_dir: Path | None,
    no_cache: bool,
    timeout: float,
    wait: float,
    previous: Path | None,
    strict: bool,
) -> None:
    """Build the edition of PLAN (plan.yaml, a folder of .yaml files, or a .csv).

    Writes forward-plan.docx, forward-plan.pdf, forward-plan.json (the
    summary) and forward-plan-changes.txt into the output folder, which is
    replaced as a whole; a failed build leaves the previous edition untouched.
    """
    result = api.build_forward_plan(
        plan,
        output or DEFAULT_OUTPUT,
        as_of=_as_date(as_of),
        months=months,
        previous=previous,
        strict=strict,
        cache_dir=resolve_cache_dir(cache_dir, no_cache),
        timeout=timeout,
        progress=reporter.progress,
        wait=wait,
    )
    edition = result.edition
    reporter.result(
        f"Built {result.pdf} ({counted(result.pages, 'page')}): "
        f"{counted(len(edition.entries), 'entry', 'entries')} due "
        f"{day_month_year(edition.window.start)} to {day_month_year(edition.window.end)}, "
        f"in {result.seconds:.1f} s."
    )
    reporter.result(result.changes.text())
    _report_findings(result.findings, reporter, strict_hint=True)


@forward_plan.command("check")
@_plan_argument
@_as_of_option
@_months_option
@click.pass_obj
@handle_errors
def check_command(
    reporter: Reporter, plan: Path, as_of: dt.datetime | None, months: int | None
) -> None:
    """Validate PLAN and run the legal checks on its edition, without building.

    Exits 9 when a check finds a problem (28 clear days' notice of a key
    decision, or an item regulation 9 requires), 3 when the plan is invalid.
    """
    loaded, edition, findings = api.check_plan(plan, _as_date(as_of), months)
    keys = sum(1 for entry in edition.entries if entry.is_key)
    summary = (
        f"{plan}: {len(loaded.entries)} entries; the edition of {day_month_year(edition.as_of)} "
        f"lists {len(edition.entries)} ({keys} key decisions) in {len(edition.groups)} "
        f"portfolio group{'s' if len(edition.groups) != 1 else ''}"
    )
    if findings:
        raise ChecksFailedError(
            f"{summary}; {len(findings)} finding(s):\n"
            + "\n".join(f"  - {finding}" for finding in findings),
            hint="correct the dates or records in the plan; see SI 2012/2089 regs 9-11",
        )
    reporter.result(f"{summary}: OK.")
