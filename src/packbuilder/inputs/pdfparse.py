"""A fast path for reading the plain objects of a PDF, giving what pypdf would give.

pypdf parses an object a byte at a time through its stream; on a large pack that
is about half of the assembly time. :func:`parse_object` reads the common case,
an object (dictionaries, arrays, names, numbers, references, booleans, null and
streams with a usable ``/Length``) written plainly, with one regular expression,
and builds the same pypdf objects pypdf's own parser builds. Anything else
(strings, names with ``#`` escapes, comments, a wrong ``/Length``, a header that
does not match the cross-reference table ...) raises :class:`Unsupported` and the
caller leaves the object to pypdf, which also does the repairing and warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
)

try:  # pypdf's parsing limits, which the fast path honours as pypdf does
    from pypdf._configuration import get_configuration
except ImportError:  # a pypdf without them: every object is left to pypdf
    get_configuration = None


class Unsupported(Exception):
    """The object is not one :func:`parse_object` reads; pypdf must."""


_END = rb"(?=[\x00\t\n\f\r\v ()<>\[\]{}/%])"  # what must follow a number or keyword
_TOKEN = re.compile(
    rb"[\x00\t\n\f\r ]*(?:"
    # pypdf's IndirectPattern (without a sign), within the 20 bytes it looks at.
    rb"(?P<ref>(\d+)\s+(\d+)\s+R)(?=[^a-zA-Z])"
    rb"|(?P<num>[+-]?(?:\d+\.?\d*|\.\d+))"
    + _END
    + rb"|(?P<name>/[^\s()<>\[\]{}/%#\x80-\xff]*)(?=[\s()<>\[\]{}/%])"
    rb"|(?P<dict><<)|(?P<array>\[)|(?P<enddict>>>)|(?P<endarray>\])"
    rb"|(?P<true>true)" + _END + rb"|(?P<false>false)" + _END + rb"|(?P<null>null)" + _END + rb")"
)
_HEADER = re.compile(rb"[\x00\t\n\f\r ]*(\d+)[\x00\t\n\f\r ]+(\d+)[\x00\t\n\f\r ]+obj")
_WHITESPACE = re.compile(rb"[\x00\t\n\f\r ]*")
_NAMES: dict[bytes, NameObject] = {}


def parse_object(
    buf: bytes,
    start: int,
    idnum: int,
    generation: int,
    pdf: Any,
    resolve_length: Callable[[IndirectObject], Any],
) -> Any:
    """Object ``idnum`` ``generation`` of ``pdf``, whose header is at ``start`` of ``buf``.

    ``resolve_length`` gives the object an indirect ``/Length`` refers to.
    Raises :class:`Unsupported` when pypdf must read the object instead.
    """
    if get_configuration is None:
        raise Unsupported
    header = _HEADER.match(buf, start)
    if header is None or int(header[1]) != idnum or int(header[2]) != generation:
        raise Unsupported
    configuration = get_configuration()
    limits = (
        configuration.dictionary_maximum_element_count,
        configuration.array_maximum_element_count,
    )
    obj, pos = _value(buf, header.end(), pdf, limits)
    if type(obj) is NameObject:  # not one shared with other objects: pypdf marks it
        return NameObject(str(obj))
    if type(obj) is DictionaryObject:
        pos = _WHITESPACE.match(buf, pos).end()  # type: ignore[union-attr]
        if buf.startswith(b"stream", pos):
            return _stream(buf, pos + 6, obj, resolve_length, configuration)
    return obj


def _value(buf: bytes, pos: int, pdf: Any, limits: tuple[int, int]) -> tuple[Any, int]:
    match = _TOKEN.match(buf, pos)
    if match is None:
        raise Unsupported
    kind = match.lastgroup
    end = match.end()
    if kind == "name":
        return _name(match["name"]), end
    if kind == "ref":
        if end - match.start("ref") > 19:  # pypdf would not see it as a reference
            raise Unsupported
        return IndirectObject(int(match[2]), int(match[3]), pdf), end
    if kind == "num":
        text = match["num"]
        return (FloatObject(text) if b"." in text else NumberObject(text)), end
    if kind == "dict":
        entries: dict[NameObject, Any] = {}
        while True:
            key = _TOKEN.match(buf, end)
            if key is None:
                raise Unsupported
            end = key.end()
            if key.lastgroup == "enddict":
                break
            if key.lastgroup != "name":
                raise Unsupported
            name = _name(key["name"])
            if name in entries:  # pypdf warns and keeps the first
                raise Unsupported
            entries[name], end = _value(buf, end, pdf, limits)
        if len(entries) > limits[0]:
            raise Unsupported
        result = DictionaryObject()
        result.update(entries)
        return result, end
    if kind == "array":
        items = ArrayObject()
        while True:
            match = _TOKEN.match(buf, end)
            if match is None:
                raise Unsupported
            if match.lastgroup == "endarray":
                end = match.end()
                break
            item, end = _value(buf, end, pdf, limits)
            items.append(item)
        if len(items) > limits[1]:
            raise Unsupported
        return items, end
    if kind == "true":
        return BooleanObject(True), end
    if kind == "false":
        return BooleanObject(False), end
    if kind == "null":
        return NullObject(), end
    raise Unsupported  # a closing bracket where a value should be


def _name(text: bytes) -> NameObject:
    try:
        return _NAMES[text]
    except KeyError:
        name = NameObject(text.decode("ascii"))
        if len(_NAMES) < 10000:
            _NAMES[text] = name
        return name


def _stream(
    buf: bytes,
    pos: int,
    entries: DictionaryObject,
    resolve_length: Callable[[IndirectObject], Any],
    configuration: Any,
) -> StreamObject:
    """The stream whose dictionary is ``entries`` and whose ``stream`` keyword ends at ``pos``."""
    while buf[pos : pos + 1] == b" ":
        pos += 1
    eol = buf[pos : pos + 1]
    if eol not in (b"\n", b"\r"):
        raise Unsupported
    pos += 1
    if eol == b"\r" and buf[pos : pos + 1] == b"\n":
        pos += 1
    length = entries.get("/Length")
    if isinstance(length, IndirectObject):
        length = resolve_length(length)
    if type(length) is not NumberObject or length < 0:
        raise Unsupported
    if length > configuration.maximum_declared_stream_length:
        raise Unsupported
    end = pos + length
    after = _WHITESPACE.match(buf, end).end()  # type: ignore[union-attr]
    if not buf.startswith(b"endstream", after):
        raise Unsupported
    data = dict(entries)
    data["__streamdata__"] = buf[pos:end]
    return StreamObject.initialize_from_dictionary(data)
