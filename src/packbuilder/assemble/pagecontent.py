"""A page's content, inflated once within the paper's limits, and what it tells.

:func:`page_content` decodes a page's content streams through the paper's
budget (:mod:`packbuilder.inputs.pdflimits`) and returns what the pack needs from
them: the resource names the content uses (to leave out the rest), whether
its syntax ends cleanly, and text it covers up (a failed redaction). The
result is kept per paper by the content streams' object numbers, so 100
pages sharing one stream inflate it once, for the pack and every item PDF.
"""

from __future__ import annotations

import weakref
import zlib
from dataclasses import dataclass
from typing import Any

from pypdf.errors import LimitReachedError
from pypdf.filters import decode_stream_data
from pypdf.generic import EncodedStreamObject, StreamObject

from ..inputs.pdflimits import budget
from ..inputs.pdfread import READ_ERRORS
from .content import unterminated
from .contentscan import Cover, covered_text, used_names
from .refs import resolve


@dataclass(frozen=True)
class PageContent:
    """What a page's content says (``names`` None when it was not, or could not be, read)."""

    names: frozenset[str] | None  # the resource names it uses; None: unknown (keep them all)
    damage: str | None  # what its syntax ends inside of (see .content.unterminated)
    covers: tuple[Cover, ...] | None  # text it covers with a filled rectangle (None: not looked)
    problem: str | None = None  # why a stream could not be decoded


_EMPTY = PageContent(frozenset(), None, ())
_CACHE: weakref.WeakKeyDictionary[Any, dict[tuple[int, ...], PageContent]] = (
    weakref.WeakKeyDictionary()
)


def page_content(
    reader: Any, streams: list[StreamObject], index: int, *, full: bool = True
) -> PageContent:
    """What the content ``streams`` of page ``index`` (0-based) of ``reader`` say.

    ``full`` False (the writer's question) is answered from what an earlier full
    reading found (a build checks every paper before writing it), else cheaply: the
    content is read only when it is plain Flate or not encoded (other filters are
    decoded in Python, slowly), and covered text is not looked for.
    """
    if not streams:
        return _EMPTY
    numbers = [getattr(s.indirect_reference, "idnum", None) for s in streams]
    key = tuple(n for n in numbers if n is not None) if None not in numbers else None
    kept = _CACHE.setdefault(reader, {})
    found = kept.get(key) if key is not None else None
    if found is not None and (found.covers is not None or not full):
        return found
    if not full and not all(_cheap(stream) for stream in streams):
        return PageContent(None, None, None)
    result = _read(reader, streams, index, full)
    if key is not None:
        kept[key] = result
    return result


def _read(reader: Any, streams: list[StreamObject], index: int, full: bool) -> PageContent:
    parts: list[bytes] = []
    for stream in streams:
        data, problem = decode(reader, stream, f"the content of page {index + 1}")
        if data is None:
            return PageContent(None, None, (), problem)
        parts.append(data)
    data = parts[0] if len(parts) == 1 else b"\n".join(parts)
    covers = tuple(covered_text(data)) if full else None
    return PageContent(used_names(data), unterminated(data), covers)


def _cheap(stream: StreamObject) -> bool:
    """Whether a stream decodes fast: plain Flate (zlib, in C), or not encoded at all."""
    if not isinstance(stream, EncodedStreamObject):
        return True
    filters = _filters(stream)
    plain = filters == ["/FlateDecode"] and dict.get(stream, "/DecodeParms") is None
    return not filters or plain


def decode(
    reader: Any, stream: StreamObject, what: str, *, keep: bool = True
) -> tuple[bytes | None, str | None]:
    """The decoded data of a stream within the paper's limits, or None and why not.

    Plain Flate (the usual) is inflated here, counted as it goes; other filters
    are decoded by pypdf (within its own limits) and counted after. With ``keep``
    False a Flate stream is only measured (its data is not returned).
    """
    paper = budget(reader)
    filters = _filters(stream)
    try:
        if not isinstance(stream, EncodedStreamObject):
            return stream.get_data(), None
        if not filters:
            return stream._data, None
        if filters == ["/FlateDecode"] and dict.get(stream, "/DecodeParms") is None:
            return paper.inflate(stream._data, what, keep=keep), None
        data = decode_stream_data(stream)
    except LimitReachedError:
        paper.count(paper.limits.stream_bytes + 1, what)  # raises, naming the paper
        raise  # pragma: no cover - count raised
    except (*READ_ERRORS, zlib.error, NotImplementedError) as exc:
        return None, f"{what} cannot be decoded ({exc})"
    paper.count(len(data), what)
    return data, None


def _filters(stream: StreamObject) -> list[str]:
    """A stream's filters, as a list of names (empty when it has none)."""
    value = resolve(dict.get(stream, "/Filter"))
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [str(resolve(item)) for item in items]


_RESOURCE_GROUPS = (
    "/ExtGState",
    "/ColorSpace",
    "/Pattern",
    "/Shading",
    "/XObject",
    "/Font",
    "/Properties",
)


def used_resources(raw: Any, names: frozenset[str] | None) -> Any:
    """A page's resources as its form XObject keeps them: only the entries whose names the
    content uses (all of them when the content could not be read, ``names`` None)."""
    resources = resolve(raw)
    if not isinstance(resources, dict):
        return {}
    if names is None:
        return raw
    kept: dict[str, Any] = {}
    for group in _RESOURCE_GROUPS:
        entries = resolve(dict.get(resources, group))
        if isinstance(entries, dict):
            used = {key: value for key, value in dict.items(entries) if key in names}
            if used:
                kept[group] = used
    procsets = dict.get(resources, "/ProcSet")
    if procsets is not None:
        kept["/ProcSet"] = procsets
    return kept
