"""Actions a published pack must not carry, and what a paper loses in the pack.

A paper's links, annotations, form fields and pages may carry actions: most
are harmless (go to a page, open a web address), but some are unsafe in a
document published to the public or broken once the paper is merged:

* ``/Launch`` (start a program or open a file: ``cmd.exe``...) and
  ``/JavaScript``: removed, wherever they are (an annotation's ``/A`` and
  ``/AA``, a page's ``/AA``, an action's ``/Next``);
* ``/GoToR`` and ``/GoToE`` to a file given by a name rather than a web
  address (``annex.pdf``, relative to a paper that is no longer beside it),
  or to a file attached to the paper (attachments are not carried over):
  removed too.

:func:`clean_action` and :func:`clean_triggers` give the action (or the
``/AA`` dictionary) without them; :func:`left_out` lists what the pack leaves
out of a paper's pages (removed actions and attachments), for the warning the
clerk sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pypdf import PdfReader

from ..inputs.pdfread import READ_ERRORS
from .objects import resolve

JAVASCRIPT = "JavaScript"
LAUNCH = "links that start a program or open a file"
OTHER_FILE = "links to other files"
ATTACHMENT = "attached files"

_MAX_CHAIN = 20
"""Longer ``/Next`` chains of actions are cut."""

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

Problem = tuple[str, str]
"""(what kind of thing was removed, a detail such as the file it names, or "")."""


def file_name(spec: Any) -> str:
    """The file a file specification names ("" when it names none)."""
    spec = resolve(spec)
    if isinstance(spec, dict):
        for key in ("/UF", "/F", "/Unix", "/DOS", "/Mac"):
            found = file_name(dict.get(spec, key))
            if found:
                return found
        return ""
    if isinstance(spec, bytes):
        return spec.decode("latin-1")
    return str(spec) if isinstance(spec, str) else ""


def _is_url(spec: Any) -> bool:
    spec = resolve(spec)
    if isinstance(spec, dict) and dict.get(spec, "/FS") == "/URL":
        return True
    return bool(_URL.match(file_name(spec)))


def action_problem(action: Any) -> Problem | None:
    """Why this one action (not its ``/Next``) must not be in the pack, or None."""
    if not isinstance(action, dict):
        return None
    kind = dict.get(action, "/S")
    if kind == "/JavaScript":
        return JAVASCRIPT, ""
    if kind == "/Launch":
        spec = dict.get(action, "/F")
        if spec is None:
            spec = dict.get(resolve(dict.get(action, "/Win")) or {}, "/F")
        return LAUNCH, file_name(spec)
    if kind in ("/GoToR", "/GoToE"):
        spec = dict.get(action, "/F")
        if spec is None or not _is_url(spec):
            return OTHER_FILE, file_name(spec) if spec is not None else "attached to the paper"
    return None


def clean_action(raw: Any, depth: int = 0) -> tuple[Any, list[Problem]]:
    """The action ``raw`` without what must not be in the pack, and what that was.

    Returns ``raw`` itself when nothing is removed, None when the action itself
    goes, and a new dictionary when only (part of) its ``/Next`` chain goes.
    """
    try:
        action = resolve(raw)
        problem = action_problem(action)
        if problem is not None:
            return None, [problem]
        if not isinstance(action, dict) or depth > _MAX_CHAIN:
            return raw, []
        following = dict.get(action, "/Next")
        if following is None:
            return raw, []
        resolved = resolve(following)
        items = resolved if isinstance(resolved, list) else [following]
        kept: list[Any] = []
        problems: list[Problem] = []
        for item in items:
            cleaned, found = clean_action(item, depth + 1)
            problems.extend(found)
            if cleaned is not None:
                kept.append(cleaned)
    except READ_ERRORS:
        return None, []
    if not problems:
        return raw, []
    entries = {k: v for k, v in dict.items(action) if k != "/Next"}
    if kept:
        entries["/Next"] = kept if isinstance(resolved, list) else kept[0]
    return entries, problems


def clean_triggers(raw: Any) -> tuple[Any, list[Problem]]:
    """An additional-actions dictionary (``/AA``) without what must not be in the pack.

    Returns ``raw`` itself when nothing is removed, None when nothing is left.
    """
    triggers = resolve(raw)
    if not isinstance(triggers, dict):
        return raw, []
    entries: dict[str, Any] = {}
    problems: list[Problem] = []
    for trigger, action in dict.items(triggers):
        cleaned, found = clean_action(action)
        problems.extend(found)
        if cleaned is not None:
            entries[trigger] = cleaned
    if not problems:
        return raw, []
    return (entries or None), problems


def clean_entries(entries: Any) -> tuple[dict[str, Any], list[Problem]]:
    """Replacements for the ``/A`` and ``/AA`` of an annotation, field or page.

    The result maps each entry to change to its new value (None: remove it);
    it is empty when nothing must go.
    """
    changes: dict[str, Any] = {}
    problems: list[Problem] = []
    if not isinstance(entries, dict):
        return changes, problems
    for key, clean in (("/A", clean_action), ("/AA", clean_triggers)):
        raw = dict.get(entries, key)
        if raw is None:
            continue
        cleaned, found = clean(raw)
        if found:
            changes[key] = cleaned
            problems.extend(found)
    return changes, problems


def left_out(reader: PdfReader, indices: Iterable[int]) -> list[tuple[str, str, int | None]]:
    """What the pack leaves out of pages ``indices`` of a paper: (kind, detail, page index).

    The page index is None for the paper's own attached files (not on a page).
    """
    found: list[tuple[str, str, int | None]] = []
    try:
        for index in sorted(set(indices)):
            page = reader.pages[index]
            found.extend((kind, detail, index) for kind, detail in clean_entries(page)[1])
            annots = resolve(dict.get(page, "/Annots"))
            for raw in annots if isinstance(annots, list) else []:
                annot = resolve(raw)
                if not isinstance(annot, dict):
                    continue
                if dict.get(annot, "/Subtype") == "/FileAttachment":
                    found.append((ATTACHMENT, file_name(dict.get(annot, "/FS")), index))
                found.extend((kind, detail, index) for kind, detail in clean_entries(annot)[1])
        found.extend((ATTACHMENT, name, None) for name in embedded_files(reader))
    except READ_ERRORS:
        pass
    return found


def embedded_files(reader: PdfReader) -> list[str]:
    """The names of the files attached to a paper as a whole (``/Names /EmbeddedFiles``)."""
    root = resolve(dict.get(reader.trailer, "/Root"))
    names = resolve(dict.get(root, "/Names")) if isinstance(root, dict) else None
    tree = resolve(dict.get(names, "/EmbeddedFiles")) if isinstance(names, dict) else None
    found: list[str] = []
    stack = [tree]
    visited = 0
    while stack and visited < 10000:
        node = resolve(stack.pop())
        visited += 1
        if not isinstance(node, dict):
            continue
        pairs = resolve(dict.get(node, "/Names"))
        if isinstance(pairs, list):
            for key, spec in zip(pairs[::2], pairs[1::2], strict=False):
                found.append(file_name(spec) or file_name(key))
        kids = resolve(dict.get(node, "/Kids"))
        if isinstance(kids, list):
            stack.extend(reversed(kids))
    return found
