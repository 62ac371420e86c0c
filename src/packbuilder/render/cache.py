"""Rendered Word documents, cached by a hash of everything that goes into them.

Filling a template (docxtpl: Jinja over the document XML) takes a tenth of a
second per document, which is most of a rebuild with nothing changed. A
render's key is the hash of:

- every part of the opened template, as it stands just before rendering
  (so the template file, and any style or hyperlink added to it before
  filling, are covered) and their relationships;
- the template variables (the context), written out canonically; a context
  holding a value of a type this module does not know is never cached;
- the document title and language set on the result;
- packbuilder's version and a fingerprint of its own source code, and the
  versions of docxtpl, python-docx, Jinja2 and lxml.

The parts are hashed on their own first (:func:`template_digest`), so a
build session (:mod:`packbuilder.inputs.session`) can keep that digest for a
template file it has read with the same SHA-256 and compute the key without
opening the template again (:func:`key_for`).

So a cached document is served only for exactly the same input and code;
anything else is rendered again. The cache is on while a build runs
(:func:`using`), in the ``docx/`` folder of the build's cache folder beside
the converted PDFs in ``pdf/``. Each entry carries the SHA-256 of its bytes
and is checked when it is read (:func:`packbuilder.convert.cachedir.read_entry`): a
damaged entry is discarded, said so, and the template filled again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate, Listing, RichText

from .. import __version__
from ..convert.cachedir import Entry, read_entry, write_entry

RENDER_FORMAT = "3"  # 3: entries carry their SHA-256 (cachedir)
_PACKAGE_DIR = Path(__file__).resolve().parent
_LIBRARIES = ("docxtpl", "python-docx", "jinja2", "lxml")


class Uncacheable(Exception):
    """The context holds a value whose effect on the output this module cannot vouch for."""


@dataclass
class RenderStats:
    """Which templates were filled, and which renders were served from the cache."""

    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    discarded: list[Path] = field(default_factory=list)  # damaged cache entries deleted


class RenderCache:
    """Rendered .docx files on disk keyed by :func:`render_key`; ``root=None`` keeps none.

    ``progress`` hears of a damaged entry when it is discarded.
    """

    def __init__(self, root: Path | None, *, progress: Callable[[str], None] | None = None):
        self.root = root / "docx" if root else None
        self.stats = RenderStats()
        self.progress = progress or (lambda message: None)

    def fetch(self, key: str, out: Path) -> bool:
        """Copy the cached render for ``key`` to ``out``, verified; False when there is none
        (or it was damaged: then it is deleted, and the template must be filled again)."""
        if self.root is None:
            return False
        entry = self.root / f"{key}.docx"
        found = read_entry(entry, out)
        if found is Entry.DAMAGED:
            self.stats.discarded.append(entry)
            self.progress(
                f"A damaged cache entry was discarded ({entry}); filling its template again"
            )
        return found is Entry.HIT

    def store(self, key: str, docx: Path) -> None:
        """Keep a copy of ``docx`` under ``key``, atomically; a cache that cannot be
        written never fails the build."""
        if self.root is not None:
            write_entry(docx, self.root / f"{key}.docx")


_ACTIVE: ContextVar[RenderCache | None] = ContextVar("packbuilder_render_cache", default=None)


def active() -> RenderCache | None:
    """The render cache of the build running in this context, if any."""
    return _ACTIVE.get()


@contextlib.contextmanager
def using(render_cache: RenderCache) -> Iterator[RenderCache]:
    """Make ``render_cache`` the one :mod:`packbuilder.render` uses inside the ``with``."""
    token = _ACTIVE.set(render_cache)
    try:
        yield render_cache
    finally:
        _ACTIVE.reset(token)


def render_key(
    tpl: DocxTemplate, context: dict[str, Any], *, title: str | None, language: str | None
) -> str:
    """The cache key of filling ``tpl`` (opened, not yet rendered) with ``context``.

    Raises :class:`Uncacheable` when the context holds a value of an unknown
    type or the template has image or media replacements queued.
    """
    return key_for(template_digest(tpl), context, title=title, language=language)


def template_digest(tpl: DocxTemplate) -> str:
    """The hash of every part of the opened ``tpl`` as it stands, and their relationships.

    Raises :class:`Uncacheable` when the template is not opened or has image
    or media replacements queued.
    """
    if tpl.docx is None or any(
        (tpl.crc_to_new_media, tpl.crc_to_new_embedded, tpl.zipname_to_replace, tpl.pics_to_replace)
    ):
        raise Uncacheable("the template is not opened, or has replacements queued")
    digest = hashlib.sha256()
    for part in sorted(tpl.docx.part.package.iter_parts(), key=lambda p: str(p.partname)):
        digest.update(str(part.partname).encode() + b"\0")
        digest.update(part.blob)
        for rel_id, rel in sorted(part.rels.items()):
            digest.update(f"\0{rel_id}|{rel.reltype}|{rel.target_ref}|{rel.is_external}".encode())
        digest.update(b"\0")
    return digest.hexdigest()


def key_for(parts: str, context: dict[str, Any], *, title: str | None, language: str | None) -> str:
    """The cache key of filling a template whose :func:`template_digest` is ``parts``.

    Raises :class:`Uncacheable` when the context holds a value of an unknown type.
    """
    payload = json.dumps(
        {"context": canonical(context), "title": title, "language": language},
        sort_keys=True,
        ensure_ascii=False,
    )
    digest = hashlib.sha256(f"{RENDER_FORMAT}|{code_fingerprint()}\0{parts}\0".encode())
    digest.update(payload.encode())
    return digest.hexdigest()


def canonical(value: Any) -> Any:
    """``value`` as plain JSON data that tells apart everything Jinja could print differently."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, RichText | Listing):
        return {type(value).__name__: str(value)}
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise Uncacheable("a mapping with keys that are not text")
        return {"dict": {key: canonical(item) for key, item in value.items()}}
    if isinstance(value, list | tuple):
        return {type(value).__name__: [canonical(item) for item in value]}
    raise Uncacheable(f"a value of type {type(value).__name__}")


@cache
def code_fingerprint() -> str:
    """packbuilder's version, a hash of its source files, and the rendering libraries' versions."""
    digest = hashlib.sha256(f"packbuilder {__version__}\0".encode())
    for path in sorted(_PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "?"
        digest.update(f"\0{name} {version}".encode())
    return digest.hexdigest()
