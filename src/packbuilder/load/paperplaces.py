"""Where papers may come from: the meeting's folder tree, unless the committee says otherwise.

A meeting's papers are the files in the folder of its meeting file and the
folders below it. A paper reached any other way (an absolute path such as
``/home/jsmith/Downloads/x.pdf`` or ``C:\\Users\\...``, a path that climbs out
with ``..``, or a symbolic link whose target is elsewhere) could put into a
published pack a file nobody meant for it, and its path would tell the world
how the council's disks are laid out. :func:`check_paper_places` reports each
such paper as a definition problem naming its file and line, unless it lies
in one of the committee's ``paper_folders:``.

A link into the repository's own git-annex store (``.git/annex/objects/`` of
a folder holding the meeting folder) is the file itself, kept by git-annex,
and is accepted.

:func:`recorded_path` is how the manifest names a file: relative to the
meeting's folder when it is inside it, else only ``(outside)/<name>``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..model.meeting import AgendaItem, Document, FileSource
from ..paths import display_path


def check_paper_places(
    items: Iterable[AgendaItem], meeting_dir: Path, allowed: Iterable[Path], problems: list[str]
) -> None:
    """Add a problem for every file paper outside ``meeting_dir`` and the ``allowed`` folders."""
    folders = [_real(f) for f in allowed]
    home = _real(meeting_dir)
    for item in items:
        for paper in item.papers:
            for document in paper.documents:
                problem = _place_problem(document, home, folders)
                if problem is not None:
                    problems.append(problem)


def _place_problem(document: Document, home: Path, folders: list[Path]) -> str | None:
    """The problem with where a document's file is, or None when it may be used."""
    source = document.source
    if not isinstance(source, FileSource):
        return None
    written = source.path  # folders resolved, its own name kept (schema.absolute_path)
    target = _real(written)
    if any(_inside(target, folder) for folder in (home, *folders)):
        return None
    if _inside(written, home) and _annexed(target, home):
        return None
    fix = (
        "move the file into the meeting's folder (or a folder below it) and name it from "
        "there, or, if papers really are kept elsewhere, list that folder under "
        "'paper_folders:' in the committee file"
    )
    if _inside(written, home):
        return (
            f"{document.origin}: {display_path(written)} is a link to {target}, outside the "
            f"meeting's folder {display_path(home)} — copy the file itself there, or {fix}"
        )
    return (
        f"{document.origin}: the paper {display_path(written)} is outside the meeting's "
        f"folder {display_path(home)} — {fix}"
    )


def _real(path: Path) -> Path:
    """``path`` with every link followed (as far as it exists)."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):
        return path


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _annexed(target: Path, home: Path) -> bool:
    """Whether ``target`` is in the git-annex store of a folder holding ``home``."""
    for folder in (home, *home.parents):
        if _inside(target, folder / ".git" / "annex" / "objects"):
            return True
    return False
