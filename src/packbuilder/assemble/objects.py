"""The PDF object layer: copying source objects once with renumbering, and serialising.

:class:`ObjectWriter` writes objects in the order they are emitted. A
reference to a source object (a pypdf :class:`IndirectObject`) is given an
output number the first time it is met and the object is copied by
:meth:`ObjectWriter.drain`, once however many pages share it; an object whose
number is 0 is written as ``null`` (a source's page tree, which must not be
copied). Every dictionary and stream read from a paper is screened on its way
out (:func:`.scrub.screen`): no action, attached file or script it refers to
reaches the pack. Objects that are not streams are gathered into compressed
object streams (:mod:`.xref`); :meth:`ObjectWriter.finish` adds the
cross-reference stream, whose ``/ID`` is the MD5 of everything written, so the
same objects give the same bytes.
"""

from __future__ import annotations

import hashlib
import re
import weakref
import zlib
from io import BytesIO
from typing import Any

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from .refs import resolve
from .scrub import LEAVE_OUT, record, screen

__all__ = ["ObjectWriter", "Ref", "Stream", "flate", "literal", "name", "resolve", "text"]
from .xref import OBJECTS_PER_STREAM, object_stream, xref_stream

_PLAIN: weakref.WeakKeyDictionary[Any, dict[int, bytes]] = weakref.WeakKeyDictionary()
"""Per paper: its objects that refer to nothing, serialised (the same in every file)."""


class Ref(int):
    """A reference to an object of the output, by its number."""


class Raw(bytes):
    """A direct object of the output already serialised (written as it is)."""


class Stream:
    """A new stream object of the output: its dictionary and (encoded) data."""

    __slots__ = ("entries", "data")

    def __init__(self, entries: dict[str, Any], data: bytes):
        self.entries = entries
        self.data = data


_NAME_BYTES: dict[str, bytes] = {}


def name(value: str) -> bytes:
    """A PDF name (with or without its leading ``/``) as written in the file."""
    try:
        return _NAME_BYTES[value]
    except KeyError:
        encoded = NameObject(value if value.startswith("/") else "/" + value).renumber()
        if len(_NAME_BYTES) < 10000:
            _NAME_BYTES[value] = encoded
        return encoded


_ESCAPE = re.compile(rb"[()\\\r]")
_ESCAPES = {b"(": b"\\(", b")": b"\\)", b"\\": b"\\\\", b"\r": b"\\r"}


def literal(data: bytes) -> bytes:
    """``data`` as a PDF literal string, ``(...)``."""
    return b"(" + _ESCAPE.sub(lambda m: _ESCAPES[m.group()], data) + b")"


def text(value: str) -> bytes:
    """A text string (title, subject ...) as PDFDocEncoding or UTF-16BE with BOM."""
    return literal(TextStringObject(value).get_encoded_bytes())


def number(value: float) -> bytes:
    """A number as short as it can be written (three decimals at most)."""
    if value == int(value):
        return b"%d" % int(value)
    return (b"%.3f" % value).rstrip(b"0").rstrip(b".")


def flate(data: bytes) -> Stream:
    """A new stream holding ``data``, compressed."""
    return Stream({"/Filter": NameObject("/FlateDecode")}, zlib.compress(data, 9))


def _merged(entries: Any, extra: dict[str, Any]) -> dict[str, Any]:
    """A source object's entries with ``extra`` replacing them (None: the entry is removed)."""
    merged = {**dict(entries), **extra}
    return {key: value for key, value in merged.items() if value is not None}


class ObjectWriter:
    """The output file being written: numbering, the objects so far and their offsets."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.position = 0
        self.offsets: dict[int, int] = {}
        self.next_number = 1
        # (id(reader), object number) -> output number; 0 means "write null".
        self.memo: dict[tuple[int, int], int] = {}
        self.pending: list[tuple[int, IndirectObject]] = []
        # Entries replacing those of a source object when it is copied (None: removed).
        self.overrides: dict[tuple[int, int], dict[str, Any]] = {}
        self.source: Any = None  # the paper whose objects are being written (scrub.record)
        # Objects that are not streams, waiting for their object stream; and where each went.
        self.batch: list[tuple[int, bytes]] = []
        self.compressed: dict[int, tuple[int, int]] = {}

    def allocate(self) -> Ref:
        """A new object number."""
        number = self.next_number
        self.next_number += 1
        return Ref(number)

    def substitute(self, key: tuple[int, int], number: int, *, first: bool = False) -> None:
        """Write references to source object ``key`` (id of its reader, its number) as
        references to ``number`` (0: as ``null``); with ``first``, unless one was chosen."""
        if first:
            self.memo.setdefault(key, number)
        else:
            self.memo[key] = number

    def omit(self, reader: PdfReader, idnum: int) -> None:
        """Write references to source object ``idnum`` of ``reader`` as ``null``."""
        self.substitute((id(reader), idnum), 0)

    def put(self, data: bytes) -> None:
        """Append raw bytes to the file."""
        self.chunks.append(data)
        self.position += len(data)

    def _screen(self, obj: DictionaryObject) -> Any:
        """``obj`` as the pack may carry it (:func:`.scrub.screen`); what it lost is noted."""
        found: list[str] = []
        screened = screen(obj, found)
        for kind in found:
            record(self.source, kind)
        return screened

    def emit(self, number: int, obj: Any, extra: dict[str, Any] | None = None) -> None:
        """Write object ``number``: a new object, or a resolved source object (screened,
        :meth:`_screen`; a stream at once, anything else into the next object stream)."""
        if isinstance(obj, DictionaryObject):  # read from a paper
            screened = self._screen(obj)
            if screened is LEAVE_OUT:
                obj = None
            elif screened is not obj and not isinstance(obj, StreamObject):
                obj = screened
            elif screened is not obj:
                extra = {**{key: None for key in dict.keys(obj)}, **screened, **(extra or {})}
        if isinstance(obj, (Stream, StreamObject)):
            self.offsets[number] = self.position
            out: list[bytes] = [b"%d 0 obj\n" % number]
            if isinstance(obj, Stream):
                self._stream(obj.entries.items(), obj.data, out)
            else:
                entries: Any = dict.items(obj)
                if extra:
                    entries = _merged(entries, extra).items()
                data = obj.get_data() if type(obj).__name__ == "ContentStream" else obj._data
                self._stream(entries, data, out)
            self.put(b"".join(out))
            return
        if extra and isinstance(obj, dict):
            obj = _merged(dict.items(obj), extra)
        body: list[bytes] = []
        self.serialise(obj, body)
        self.emit_raw(number, b"".join(body))

    def emit_raw(self, number: int, body: bytes) -> None:
        """Write object ``number`` (not a stream), already serialised as ``body``."""
        self.batch.append((number, body))
        if len(self.batch) >= OBJECTS_PER_STREAM:
            self._flush()

    def _flush(self) -> None:
        """Write the objects waiting as one object stream."""
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        number = self.allocate()
        for index, (member, _body) in enumerate(batch):
            self.compressed[member] = (number, index)
        entries, data = object_stream(batch)
        self.emit(number, Stream(entries, data))

    def _stream(self, entries: Any, data: bytes, out: list[bytes]) -> None:
        out.append(b"<<")
        for key, value in entries:
            if key == "/Length":
                continue
            out.append(name(key))
            out.append(b" ")
            self.serialise(value, out)
        out.append(b"/Length %d>>\nstream\n" % len(data))
        out.append(data)
        out.append(b"\nendstream\nendobj\n")

    def reference(self, ref: IndirectObject) -> bytes:
        """How a reference to source object ``ref`` is written (it is copied when drained)."""
        return self._ref(ref)

    def _ref(self, ref: IndirectObject) -> bytes:
        key = (id(ref.pdf), ref.idnum)
        number = self.memo.get(key)
        if number is None:
            number = self.allocate()
            self.memo[key] = number
            self.pending.append((number, ref))
        if number == 0:
            return b"null"
        return b"%d 0 R" % number

    def serialise(self, obj: Any, out: list[bytes]) -> None:
        """Append the serialisation of a direct object to ``out``."""
        kind = type(obj)
        if kind is IndirectObject:
            out.append(self._ref(obj))
        elif kind is NameObject:
            out.append(name(obj))
        elif kind is NumberObject:
            out.append(b"%d" % obj)
        elif kind is Ref:
            out.append(b"%d 0 R" % obj)
        elif kind is Raw:
            out.append(obj)
        elif kind is FloatObject:
            out.append(obj.myrepr().encode())
        elif kind is ArrayObject or kind is list:
            out.append(b"[")
            first = True
            for item in obj:
                if not first:
                    out.append(b" ")
                first = False
                self.serialise(item, out)
            out.append(b"]")
        elif isinstance(obj, dict):
            if isinstance(obj, StreamObject):  # a stream must be indirect
                number = self.allocate()
                out.append(b"%d 0 R" % number)
                self.pending.append((number, obj))  # type: ignore[arg-type]
                return
            if isinstance(obj, DictionaryObject):  # read from a paper
                obj = self._screen(obj)
                if obj is LEAVE_OUT:
                    out.append(b"null")
                    return
            out.append(b"<<")
            for key, value in dict.items(obj):
                out.append(name(key))
                out.append(b" ")
                self.serialise(value, out)
            out.append(b">>")
        else:
            out.append(self._scalar(obj, kind))

    def _scalar(self, obj: Any, kind: type) -> bytes:
        if kind is TextStringObject:
            return literal(obj.get_encoded_bytes())
        if kind is ByteStringObject or kind is bytes:
            return b"<" + bytes(obj).hex().encode() + b">"
        if kind is BooleanObject:
            return b"true" if obj.value else b"false"
        if kind is bool:
            return b"true" if obj else b"false"
        if obj is None or kind is NullObject:
            return b"null"
        if isinstance(obj, IndirectObject):
            return self._ref(obj)
        if isinstance(obj, NameObject):
            return name(obj)
        if isinstance(obj, str):
            return text(obj)
        if isinstance(obj, int):
            return b"%d" % obj
        if isinstance(obj, float):
            return number(obj)
        if isinstance(obj, list):
            out: list[bytes] = []
            self.serialise(list(obj), out)
            return b"".join(out)
        buffer = BytesIO()  # any other pypdf object
        obj.write_to_stream(buffer)
        return buffer.getvalue()

    def drain(self) -> None:
        """Write the source objects referenced so far (and those they reference)."""
        pending = self.pending
        while pending:
            batch = pending[:]
            pending.clear()
            for number, ref in batch:
                if isinstance(ref, IndirectObject):
                    extra = self.overrides.get((id(ref.pdf), ref.idnum))
                    self.source = ref.pdf
                    if extra is None and self._copy_plain(number, ref):
                        continue
                    obj = ref.get_object()
                else:  # a stream that was (wrongly) a direct object
                    obj, extra = ref, None
                if obj is None:
                    obj = NullObject()
                self.emit(number, obj, extra)

    def _copy_plain(self, number: int, ref: IndirectObject) -> bool:
        """Copy a source object that is not a stream and refers to nothing (an element's
        attributes, a widths array...) as serialised once for every file written from its
        paper; False when it is not one (it is then written as any other)."""
        known = _PLAIN.setdefault(ref.pdf, {})
        body = known.get(ref.idnum)
        if body is None:
            obj = ref.get_object()
            if obj is None or isinstance(obj, StreamObject):
                return False
            out: list[bytes] = []
            self.serialise(obj, out)
            body = b"".join(out)
            if b" 0 R" not in body and b"null" not in body:  # references: this file's only
                known[ref.idnum] = body
        self.emit_raw(number, body)
        return True

    def finish(self, catalog: int, info: int) -> bytes:
        """The whole file: the objects, and the cross-reference stream with the ``/ID``."""
        self._flush()
        written = self.offsets.keys() | self.compressed.keys()
        for number in range(1, self.next_number):
            if number not in written:  # allocated but never written: cannot happen; stay valid
                self.emit(number, None)
        self._flush()
        digest = hashlib.md5(usedforsecurity=False)
        for chunk in self.chunks:
            digest.update(chunk)
        ident = digest.hexdigest().encode()
        trailer = b"/Root %d 0 R/Info %d 0 R/ID [<%s><%s>]" % (catalog, info, ident, ident)
        number = self.allocate()
        self.chunks.append(
            xref_stream(number, self.position, self.offsets, self.compressed, trailer)
        )
        return b"".join(self.chunks)
