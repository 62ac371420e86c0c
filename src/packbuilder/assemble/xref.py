"""Compressed object streams and the cross-reference stream that indexes them (PDF 1.5).

A tagged pack holds tens of thousands of small dictionaries (structure
elements, their attributes, marked-content references) that compress about
ten to one. :class:`~.objects.ObjectWriter` gathers every object that is not a
stream in batches of :data:`OBJECTS_PER_STREAM`, each written as one
Flate-compressed ``/ObjStm`` (:func:`object_stream`), and ends the file with
a cross-reference stream (:func:`xref_stream`) instead of a table, since
objects inside object streams can only be found through one.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping, Sequence

from pypdf.generic import NameObject

OBJECTS_PER_STREAM = 200
_ENTRY = struct.Struct(">BIH")
"""A cross-reference stream entry: type (0 free, 1 at an offset, 2 in an object stream),
offset or object stream number, generation or index in the object stream (``/W [1 4 2]``)."""


def object_stream(batch: Sequence[tuple[int, bytes]]) -> tuple[dict, bytes]:
    """The entries and compressed data of an object stream holding ``batch``
    (object number, serialised object) in order."""
    pairs: list[bytes] = []
    offset = 0
    for number, body in batch:
        pairs.append(b"%d %d" % (number, offset))
        offset += len(body) + 1
    header = b" ".join(pairs) + b"\n"
    data = header + b"\n".join(body for _number, body in batch)
    entries = {
        "/Type": NameObject("/ObjStm"),
        "/N": len(batch),
        "/First": len(header),
        "/Filter": NameObject("/FlateDecode"),
    }
    return entries, zlib.compress(data, 6)


def xref_stream(
    number: int,
    offset: int,
    offsets: Mapping[int, int],
    compressed: Mapping[int, tuple[int, int]],
    trailer: bytes,
) -> bytes:
    """The cross-reference stream, object ``number`` at ``offset``, then ``startxref``.

    ``offsets`` are the file positions of objects written on their own,
    ``compressed`` the (object stream, index) of the others; ``trailer`` holds the
    trailer's entries (``/Root``, ``/Info``, ``/ID``) as written.
    """
    rows = bytearray(_ENTRY.pack(0, 0, 65535))
    for n in range(1, number):
        if n in offsets:
            rows += _ENTRY.pack(1, offsets[n], 0)
        else:
            stream, index = compressed[n]
            rows += _ENTRY.pack(2, stream, index)
    rows += _ENTRY.pack(1, offset, 0)
    data = zlib.compress(bytes(rows), 6)
    return b"%d 0 obj\n<</Type /XRef/Size %d/W [1 4 2]%s/Filter /FlateDecode/Length %d>>\n" % (
        number,
        number + 1,
        trailer,
        len(data),
    ) + b"stream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % (data, offset)
