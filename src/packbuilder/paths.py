"""How paths are shown in messages and recorded in outputs.

Shared by every stage: a message names a file as the clerk wrote it (relative
to the current folder when below it), a manifest records it relative to the
meeting's folder.
"""

from __future__ import annotations

import os
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
"""How a manifest names a file shipped inside packbuilder (``(packbuilder)/templates/...``)."""


def relative(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` in forward-slash form (absolute if on another drive).

    A file shipped inside packbuilder (a default template) is named
    ``(packbuilder)/...`` wherever packbuilder is installed.
    """
    try:
        return f"{PACKAGED}/{Path(path).resolve().relative_to(PACKAGE_DIR).as_posix()}"
    except (ValueError, OSError, RuntimeError):
        pass
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:
        return path.as_posix()
