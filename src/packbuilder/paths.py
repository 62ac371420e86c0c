"""How paths are shown in messages and recorded in outputs.

Shared by every stage: a message names a file as the clerk wrote it (relative
to the current folder when below it), a manifest records it relative to the
meeting's folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def display_path(path: Path | str, base: Path | None = None) -> str:
    """``path`` as messages show it: relative to ``base`` (default: the current folder)
    when it is below it, else as given. A symbolic link is named, not its target."""
    try:
        return str(absolute_path(Path(path)).relative_to((base or Path.cwd()).resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


def absolute_path(path: Path) -> Path:
    """``path`` made absolute with its folders resolved and its last part kept as written.

    A paper that is a symbolic link (git-annex makes them: ``budget.pdf ->
    .git/annex/objects/.../SHA256E-s1234--abc``) keeps its own name, so it is
    judged and named by the name the clerk wrote. Raises what
    :meth:`Path.resolve` raises (RuntimeError for a loop in Python 3.11).
    """
    if path.name in ("", ".", ".."):
        return path.resolve()
    return path.parent.resolve() / path.name


PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGED = "(packbuilder)"
OUTSIDE = "(outside)"
"""How a manifest names a file outside the meeting's folder: ``(outside)/<its name>``."""
"""How a manifest names a file shipped inside packbuilder (``(packbuilder)/templates/...``)."""


def recorded_path(path: Path, base: Path) -> str:
    """How a manifest names ``path``: relative to ``base`` (the meeting's folder) in
    forward-slash form when it is inside it; ``(packbuilder)/templates/...`` for a file
    shipped inside packbuilder (a default template), wherever it is installed; else
    ``(outside)/<its name>``: a manifest never records a path outside the meeting's folder."""
    try:
        return f"{PACKAGED}/{Path(path).resolve().relative_to(PACKAGE_DIR).as_posix()}"
    except (ValueError, OSError, RuntimeError):
        pass
    try:
        text = Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # on another drive
        return f"{OUTSIDE}/{Path(path).name}"
    if text == ".." or text.startswith("../") or os.path.isabs(text):
        return f"{OUTSIDE}/{Path(path).name}"
    return text


def recorded_paths(paths: Iterable[Path], base: Path) -> dict[Path, str]:
    """:func:`recorded_path` of each of ``paths``, made unique: a second file outside the
    meeting's folder with the same name is ``(outside)/2/<name>``, in the order given."""
    names: dict[Path, str] = {}
    used: set[str] = set()
    for path in paths:
        name = recorded_path(path, base)
        number = 2
        while name in used:
            name = f"{OUTSIDE}/{number}/{Path(path).name}"
            number += 1
        used.add(name)
        names[path] = name
    return names
