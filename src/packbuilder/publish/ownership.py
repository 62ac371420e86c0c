"""Which folders and files are packbuilder's: the only ones it ever replaces or deletes.

A folder is packbuilder's only if its marker file says so in a way no other
program's file does: a pack's ``manifest.json`` carries ``"format":
"packbuilder-pack/1"`` (a manifest written before that field carries
``manifest_version`` 1, packbuilder's version, a pack ``kind`` and its
``outputs``), a forward plan's ``forward-plan.json`` ``"format":
"packbuilder-forward-plan/1"``. A ``manifest.json`` of a web app, a browser
extension or anything else is not packbuilder's, and a folder holding one is
refused, whatever else it holds.

The files packbuilder wrote are exactly those its marker lists (:func:`owned_files`):
a pack's manifest names every output it wrote under ``outputs``. When the
output folder holds nothing else, it is replaced in one swap; otherwise only
those files are replaced or removed, one by one (:func:`replace_files`), and
every other file in the folder is left where it is. A new output whose name
is taken by a file packbuilder did not write is refused before anything is
moved.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..exceptions import OutputError

MANIFEST = "manifest.json"
FORWARD_PLAN_SUMMARY = "forward-plan.json"
PACK_FORMAT = "packbuilder-pack/1"
PUBLIC_FORMAT = "packbuilder-public/1"
"""The public manifest's format: it describes what may be published and is never a marker
(a copy of a ``public/`` folder on a web server is not an output folder to build into)."""
FORWARD_PLAN_FORMAT = "packbuilder-forward-plan/1"
FORWARD_PLAN_FILES = frozenset(
    {FORWARD_PLAN_SUMMARY, "forward-plan.docx", "forward-plan.pdf", "forward-plan-changes.txt"}
)
"""Every file a forward plan edition writes (its summary names the .docx and .pdf)."""
_PACK_KINDS = frozenset({"Agenda", "Supplementary Agenda"})


def read_marker(path: Path) -> dict[str, Any] | None:
    """The JSON object in a marker file; None when it is missing, unreadable or not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_pack_manifest(data: Any) -> bool:
    """Whether a parsed ``manifest.json`` is a packbuilder pack's (new or older format)."""
    if not isinstance(data, dict):
        return False
    if "format" in data:
        return data["format"] == PACK_FORMAT and isinstance(data.get("outputs"), dict)
    return (
        data.get("manifest_version") == 1
        and isinstance(data.get("packbuilder"), str)
        and data.get("kind") in _PACK_KINDS
        and isinstance(data.get("outputs"), dict)
    )


def owned_files(folder: Path, marker: str) -> set[str] | None:
    """The files (relative, ``/``-separated) packbuilder wrote in ``folder``, marker
    included, as its marker lists them; None when the folder is not packbuilder's.

    A pack's marker is its full manifest, ``members/manifest.json`` (which lists every
    file the build wrote, in both folders), or ``manifest.json`` at the top in a folder
    written before the public/members split."""
    data = read_marker(folder / marker)
    if data is None:
        return None
    if Path(marker).name == MANIFEST:  # members/manifest.json, or at the top (older packs)
        if not is_pack_manifest(data):
            return None
        names = {str(name) for name in data["outputs"]}
        return {name for name in names if _plain(name)} | {marker}
    if marker == FORWARD_PLAN_SUMMARY and data.get("format") == FORWARD_PLAN_FORMAT:
        return set(FORWARD_PLAN_FILES)
    return None


def _plain(name: str) -> bool:
    """A relative name inside the folder (no ``..``, not absolute): a manifest edited to
    list ``../../home`` is not followed."""
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def entries(folder: Path) -> tuple[set[str], set[str]]:
    """The files (and links) and the folders under ``folder``, relative, ``/``-separated."""
    files: set[str] = set()
    folders: set[str] = set()
    for top, subfolders, names in os.walk(folder):
        base = Path(top).relative_to(folder)
        for name in names:
            files.add((base / name).as_posix())
        for name in list(subfolders):
            path = Path(top) / name
            if path.is_symlink():  # a link to a folder is an entry, not followed
                files.add((base / name).as_posix())
                subfolders.remove(name)
            else:
                folders.add((base / name).as_posix())
    return files, folders


def only_owned(folder: Path, owned: set[str]) -> bool:
    """Whether ``folder`` holds nothing but ``owned`` files and the folders holding them."""
    files, folders = entries(folder)
    parents = {p.as_posix() for name in owned for p in Path(name).parents if p.as_posix() != "."}
    return files <= owned and folders <= parents


def replace_files(staging: Path, folder: Path, owned: set[str], marker: str) -> None:
    """Publish ``staging`` into ``folder`` file by file, replacing or removing only the
    ``owned`` files; raise :class:`OutputError` (before moving anything) when a new output's
    name is taken by something packbuilder did not write, and :class:`OSError` when a
    rename fails (those done are undone)."""
    new = sorted(entries(staging)[0], key=lambda name: (name != marker, name))
    _refuse_collisions(new, folder, owned)
    undo: list[tuple[Path, Path]] = []
    made: list[Path] = []
    aside = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old-", dir=folder.parent))
    try:
        for name in new:
            _publish_one(staging, folder, aside, name, undo, made, marker)
        for name in sorted(owned - set(new)):
            if os.path.lexists(folder / name) and not (folder / name).is_dir():
                _move(folder / name, aside / name, undo, made)
    except OSError:
        for source, target in reversed(undo):
            with contextlib.suppress(OSError):
                os.rename(source, target)
        for path in reversed(made):
            with contextlib.suppress(OSError):
                path.rmdir()  # only folders this publishing made, once empty again
        shutil.rmtree(aside, ignore_errors=True)
        raise
    shutil.rmtree(aside, ignore_errors=True)
    _remove_emptied(folder, owned - set(new))


def _refuse_collisions(new: list[str], folder: Path, owned: set[str]) -> None:
    for name in new:
        target = folder / name
        for parent in reversed(Path(name).parents[:-1]):
            place = folder / parent
            if os.path.lexists(place) and (place.is_symlink() or not place.is_dir()):
                raise _taken(folder, parent.as_posix())
        if os.path.lexists(target) and (name not in owned or target.is_dir()):
            raise _taken(folder, name)


def _taken(folder: Path, name: str) -> OutputError:
    return OutputError(
        f"{folder / name} is in the way of an output and packbuilder did not write it",
        hint="move it out of the output folder, or choose another folder with --output; "
        "packbuilder replaces only the files it wrote",
    )


def _publish_one(
    staging: Path,
    folder: Path,
    aside: Path,
    name: str,
    undo: list[tuple[Path, Path]],
    made: list[Path],
    marker: str,
) -> None:
    """Move one new output into place, the old one (if any) set aside."""
    target = folder / name
    _make_parents(target, folder, made)
    if name == marker and _link_aside(target, aside / name):
        os.replace(staging / name, target)  # the marker is replaced in one step
        undo.append((aside / name, target))
        return
    if os.path.lexists(target):
        _move(target, aside / name, undo, made)
    _move(staging / name, target, undo, made)


def _move(source: Path, target: Path, undo: list[tuple[Path, Path]], made: list[Path]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.rename(source, target)
    undo.append((target, source))


def _make_parents(target: Path, folder: Path, made: list[Path]) -> None:
    missing = [p for p in target.parents if p != folder and folder in p.parents]
    for parent in reversed(missing):
        if not parent.exists():
            parent.mkdir()
            made.append(parent)


def _link_aside(path: Path, aside: Path) -> bool:
    """Give the file ``path`` a second name ``aside``; False if it is not a plain file or
    the file system cannot (then it is set aside by renaming)."""
    if path.is_symlink() or not path.is_file():
        return False
    try:
        os.link(path, aside)
    except OSError:
        return False
    return True


def _remove_emptied(folder: Path, removed: set[str]) -> None:
    """Remove the folders that held removed outputs, if nothing else is left in them."""
    parents = {p for name in removed for p in Path(name).parents if p.as_posix() != "."}
    for parent in sorted(parents, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            (folder / parent).rmdir()


def clear_aside(aside: Path, owned: set[str], folder: Path) -> None:
    """Delete a set-aside output folder's own files; move anything else found in it (put
    there while the build ran) back into ``folder``; remove it if nothing is left."""
    files, _folders = entries(aside)
    for name in files & owned:
        with contextlib.suppress(OSError):
            (aside / name).unlink()
    for name in sorted(files - owned):
        back = folder / name
        if not os.path.lexists(back):
            with contextlib.suppress(OSError):
                back.parent.mkdir(parents=True, exist_ok=True)
                os.rename(aside / name, back)
    for top, _subfolders, _names in sorted(os.walk(aside), key=lambda t: -len(t[0])):
        with contextlib.suppress(OSError):
            Path(top).rmdir()
