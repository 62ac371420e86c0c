"""Reproducible PDF files: LibreOffice's output with its dates, identifiers and XMP fixed.

LibreOffice writes the time of conversion into /CreationDate, /ModDate and any
XMP packet, and a random /ID; :func:`make_reproducible` replaces them by a
given time and a hash of the content, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject

from ..exceptions import OutputError


def pdf_date(stamp: dt.datetime) -> str:
    """``D:20220503000000Z``."""
    return stamp.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")


def make_reproducible(source: Path, target: Path, stamp: dt.datetime, *, title: str) -> int:
    """Copy LibreOffice's PDF to ``target`` with fixed dates, identifiers and XMP; return pages.

    LibreOffice writes the time of conversion into /CreationDate, /ModDate
    and any XMP packet, and a random /ID; these are replaced by ``stamp`` and
    a hash of the PDF's content.
    """
    reader = PdfReader(source)
    writer = PdfWriter(clone_from=reader)
    info = {k: v for k, v in (reader.metadata or {}).items() if k in ("/Producer", "/Creator")}
    info.update({"/Title": title, "/CreationDate": pdf_date(stamp), "/ModDate": pdf_date(stamp)})
    writer.metadata = info
    digest = hashlib.sha256(pdf_date(stamp).encode())
    for page in reader.pages:
        digest.update(page.get_contents().get_data() if page.get_contents() else b"")
    identifier = ByteStringObject(digest.digest()[:16])
    writer._ID = ArrayObject([identifier, identifier])
    _fix_xmp(writer, stamp, digest.hexdigest())
    try:
        with target.open("wb") as handle:
            writer.write(handle)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return len(reader.pages)


_XMP_DATE = re.compile(rb"(<(xmp:(?:CreateDate|ModifyDate|MetadataDate))>)[^<]*(</\2>)")
_XMP_UUID = re.compile(rb"uuid:[0-9a-fA-F-]{36}")


def _fix_xmp(writer: PdfWriter, stamp: dt.datetime, digest: str) -> None:
    """Replace the dates and document/instance ids in an XMP packet, if there is one."""
    metadata = writer.root_object.get("/Metadata")
    if metadata is None:
        return
    stream = metadata.get_object()
    iso = stamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    data = _XMP_DATE.sub(lambda m: m.group(1) + iso + m.group(3), stream.get_data())
    uuid = f"uuid:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    stream.set_data(_XMP_UUID.sub(uuid.encode(), data))
