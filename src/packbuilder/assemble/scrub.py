"""The last line of defence: what no object copied from a paper may carry into the pack.

The allow-list (:mod:`.allowlist`) decides what a page keeps, but what it
keeps (its resources, a form's appearance, a layer) refers to other objects,
and the writer copies whatever they refer to. :func:`screen` is applied to
every dictionary and stream copied from a paper (:class:`.objects.ObjectWriter`),
at any depth, and leaves out:

* an action (a dictionary whose ``/S``, followed if indirect, is an action
  type): the only actions in the pack are those :mod:`.allowlist` writes anew;
* a file specification or an embedded file (``/Type /Filespec``,
  ``/Type /EmbeddedFile``, or a dictionary holding ``/EF`` or ``/RF``): no
  attached file reaches the pack, wherever it was hidden;
* the entries :data:`DROPPED_KEYS`: scripts (``/JS``, a 3D stream's
  ``/OnInstantiate``), triggers (``/AA``), associated files (``/AF``), XMP
  metadata (``/Metadata``, which may hold ``C:\\Users\\...`` paths), application
  data (``/PieceInfo``) and thumbnails (``/Thumb``).

The dictionaries packbuilder writes itself are plain ``dict``; only pypdf's
objects (read from a paper) are screened.
"""

from __future__ import annotations

import contextlib
import weakref
from typing import Any

from pypdf.generic import DictionaryObject

from .allowlist import ACTION_KINDS, ATTACHMENT, JAVASCRIPT, OTHER_ACTIONS
from .refs import resolve

ACTION_TYPES = frozenset(
    {*ACTION_KINDS, "/GoTo", "/URI", "/Thread", "/Hide", "/Named", "/SetOCGState", "/Trans"}
)
DROPPED_KEYS = frozenset(
    {"/JS", "/OnInstantiate", "/AA", "/AF", "/Metadata", "/PieceInfo", "/Thumb", "/EmbeddedFiles"}
)
_LOOKED_AT = DROPPED_KEYS | {"/S", "/Type", "/EF", "/RF"}
_FILE_TYPES = frozenset({"/Filespec", "/EmbeddedFile"})
_KINDS = {
    "/JS": JAVASCRIPT,
    "/OnInstantiate": JAVASCRIPT,
    "/AA": OTHER_ACTIONS,
    "/AF": ATTACHMENT,
    "/EmbeddedFiles": ATTACHMENT,
}
"""How the warning names what was dropped (XMP, PieceInfo and thumbnails go quietly)."""

LEAVE_OUT = object()
"""What :func:`screen` returns for an object to write as ``null``."""


def screen(obj: Any, found: list[str] | None = None) -> Any:
    """``obj`` as the pack may carry it: itself, a copy without :data:`DROPPED_KEYS`, or
    :data:`LEAVE_OUT`. What was left out is added to ``found`` (as the warning names it)."""
    if not isinstance(obj, DictionaryObject) or _LOOKED_AT.isdisjoint(dict.keys(obj)):
        return obj
    kind = _left_out_whole(obj)
    if kind is not None:
        if found is not None:
            found.append(kind)
        return LEAVE_OUT
    dropped = [key for key in dict.keys(obj) if key in DROPPED_KEYS]
    if not dropped:
        return obj
    if found is not None:
        found.extend(_KINDS[key] for key in dropped if key in _KINDS)
    return {key: value for key, value in dict.items(obj) if key not in DROPPED_KEYS}


def _left_out_whole(obj: DictionaryObject) -> str | None:
    """Why the whole object is left out (an action, a file), or None."""
    if "/EF" in obj or "/RF" in obj:
        return ATTACHMENT
    kind = resolve(dict.get(obj, "/Type"))
    if kind in _FILE_TYPES:
        return ATTACHMENT
    action = dict.get(obj, "/S")
    if action is not None:
        action = resolve(action)
        if action in ACTION_TYPES:
            return ACTION_KINDS.get(action, OTHER_ACTIONS)
    return None


_FOUND: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def record(reader: Any, kind: str) -> None:
    """Remember that screening left ``kind`` out of an object of ``reader``'s paper."""
    if reader is not None:
        with contextlib.suppress(TypeError):  # not weakly referable: nothing to report
            _FOUND.setdefault(reader, set()).add(kind)


def found_in(reader: Any) -> set[str]:
    """What screening has left out of the paper ``reader`` reads, so far (kinds)."""
    return set(_FOUND.get(reader, ()))
