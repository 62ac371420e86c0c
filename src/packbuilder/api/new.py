"""The ``new`` front door: a small, working council folder to start from.

Writes a committee file to fill in, a first meeting that builds as it is, the
default templates copied for the council to rebrand, a ``papers/`` folder and a
README of next steps (the text of each is in ``packbuilder/starter/``). An
existing folder is only used when it is empty: nothing is ever overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..datefmt import weekday_date
from ..dates import is_working_day, latest_publication_date, today
from ..exceptions import OutputError
from ..load.templates import PACKAGE_TEMPLATES, TEMPLATE_NAMES
from ..model.meeting import DayCounting
from ..paths import PACKAGE_DIR
from ..publish.manifest import slugify

STARTER = PACKAGE_DIR / "starter"
GUIDE = "the docs/ folder of packbuilder's source (start with docs/index.md)"


@dataclass(frozen=True)
class NewCouncil:
    """What :func:`new_council` wrote."""

    folder: Path
    committee: Path
    meeting: Path
    files: tuple[Path, ...]


def new_council(
    folder: Path | str,
    *,
    committee: str = "Overview and Scrutiny Committee",
    council: str = "Example Council",
    on: dt.date | None = None,
) -> NewCouncil:
    """Write a starter council folder into ``folder`` (new, or empty).

    The first meeting is four weeks after ``on`` (default: today), published on
    the last day that meets the committee file's deadline (5 clear working days).
    """
    folder = Path(folder)
    _check_free(folder)
    meeting_day = (on or today()) + dt.timedelta(days=28)
    stem = f"{meeting_day.isoformat()}-{slugify(committee, 40)}"
    meeting_path = folder / "meetings" / f"{stem}.yaml"
    shown = meeting_path.as_posix()
    values = {
        "committee": json.dumps(committee, ensure_ascii=False),
        "council": json.dumps(council, ensure_ascii=False),
        "weekday": weekday_date(meeting_day),
        "date": meeting_day.isoformat(),
        "published": _publication_day(meeting_day).isoformat(),
        "meeting_path": shown,
        "meeting_name": meeting_path.name,
        "meeting_stem": stem,
        "guide": GUIDE,
    }
    written = [
        _fill("committee.yaml", folder / "committee.yaml", values),
        _fill("meeting.yaml", meeting_path, values),
        _fill("README.txt", folder / "README.txt", values),
    ]
    (folder / "meetings" / "papers").mkdir(parents=True, exist_ok=True)
    for filename in TEMPLATE_NAMES.values():
        target = folder / "templates" / filename
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PACKAGE_TEMPLATES / filename, target)
        written.append(target)
    return NewCouncil(folder, folder / "committee.yaml", meeting_path, tuple(written))


def _publication_day(meeting_day: dt.date) -> dt.date:
    """The last working day on which the agenda can be published and still be open to
    inspection 5 clear working days before the meeting (the starter committee's rule)."""
    day = latest_publication_date(meeting_day, 5, DayCounting.WORKING)
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _check_free(folder: Path) -> None:
    """Refuse a folder that holds anything: a starter never overwrites a clerk's files."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(
            f"{folder} is a file, not a folder", hint="name a new folder, e.g. 'my-council'"
        )
    if folder.is_dir() and any(folder.iterdir()):
        raise OutputError(
            f"{folder} already holds files; a new council folder is only made in a new or "
            "empty folder, so that nothing of yours is overwritten",
            hint="name a new folder, e.g. packbuilder new my-council",
        )


def _fill(name: str, target: Path, values: dict[str, str]) -> Path:
    text = (STARTER / name).read_text(encoding="utf-8").format(**values)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: {exc.strerror or exc}",
            hint="choose a folder you can write to",
        ) from exc
    return target
