"""One PDF from pack pages: the document structure around the copied pages.

:class:`PackWriter` numbers the pages, has them copied (:mod:`.pages`), writes
the outline (:mod:`.outline`), the merged form (:mod:`.forms`) and layers
(:mod:`.layers`), the page tree, the catalog with its page labels and the
document information, and turns a damaged paper into a :class:`DocumentError`
naming it.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from typing import Any

from pypdf import PdfReader
from pypdf.generic import NameObject

from ..exceptions import DocumentError, describe_error
from ..inputs.pdflimits import budget
from ..inputs.pdfread import READ_ERRORS, REPAIR_ADVICE, REPAIR_HINT, collect_pypdf_warnings
from .font import stamp_chars, stamp_font
from .forms import merge_forms
from .layers import merge_layers
from .links import LinkWriter
from .marks import page_labels
from .objects import ObjectWriter, Ref
from .outline import OutlineWriter
from .pages import PageCopier
from .sources import PageMap, note, page_tree, pdf_version, source_name, used_readers
from .spec import PackSpec
from .structure import StructureWriter
from .xmp import metadata_stream, xmp_packet

PRODUCER = "packbuilder (pypdf)"


class PackWriter:
    """Writes one PDF: the pages, stamps, outline, links, labels and metadata."""

    def __init__(self, spec: PackSpec, *, first_number: int, total: int):
        """``spec`` holds the pages to write, the first numbered ``first_number`` of ``total``."""
        self.spec = spec
        self.pages = spec.pages
        self.first_number = first_number
        self.total = total
        self.objects = ObjectWriter()
        self.page_map = PageMap()
        self.readers: list[PdfReader] = []
        self.current: PdfReader | None = None
        self.structure = StructureWriter(self.objects, self.page_map, self.pages, spec.sections)
        self.pdfua = False
        """Whether the file claims PDF/UA (every page's content tagged or an artifact)."""

    def build(self) -> bytes:
        """The PDF file; raises :class:`DocumentError` when a paper turns out to be damaged."""
        try:
            return self._build()
        except READ_ERRORS as exc:
            names = sorted({source_name(r) for r in self.readers})
            path = getattr(self.current, "path", None)
            raise DocumentError(
                f"the papers cannot be assembled: {describe_error(exc)}",
                where=str(path) if path else None,
                hint=f"one of these is damaged: {', '.join(names)}; {REPAIR_ADVICE}",
            ) from None

    def _build(self) -> bytes:
        objects = self.objects
        readers = self._index_readers()
        objects.put(b"%PDF-" + pdf_version(readers).encode() + b"\n%\xe2\xe3\xcf\xd3\n")

        catalog = objects.allocate()
        pages_root = objects.allocate()
        info = objects.allocate()
        font = objects.allocate()
        numbers = [objects.allocate() for _ in self.pages]
        for key, number in self.page_map.place(self.pages, numbers):
            objects.substitute(key, number)  # references to a page go to its first occurrence
        self.page_map.measure(self.pages)
        structure = self.structure
        with collect_pypdf_warnings() as warnings:
            structure.prepare()
            self._note_warnings(warnings, 0)
        form = merge_forms(objects, self.page_map, self.pages, structure.annotation_key)

        chars = stamp_chars(self.spec.stamp_format, self.spec.blank_text, *self._other_text())
        stamp_font().emit(objects, font, chars)
        links = LinkWriter(
            objects,
            self.page_map,
            self.spec.link_targets,
            form,
            structure=structure,
            page_label=lambda position: str(self.first_number + position),
        )
        copier = PageCopier(
            objects,
            self.page_map,
            links,
            parent=pages_root,
            font=font,
            stamp_text=self._stamp_text,
            blank_text=self.spec.blank_text,
            structure=structure,
        )
        with collect_pypdf_warnings() as warnings:
            self._copy_pages(copier, warnings)
            seen = len(warnings)
            outline = OutlineWriter(objects, self.page_map).write(self.spec.bookmarks)
            struct_root = structure.write(self.spec.metadata.language)
            objects.drain()
            self._note_warnings(warnings, seen)
        self.pdfua = structure.fully_tagged

        objects.emit(
            pages_root,
            {"/Type": NameObject("/Pages"), "/Kids": list(numbers), "/Count": len(self.pages)},
        )
        root = self._catalog(pages_root, outline, form.acroform)
        if struct_root is not None:
            root["/StructTreeRoot"] = struct_root
            root["/MarkInfo"] = {"/Marked": True}
        root["/Metadata"] = metadata = objects.allocate()
        objects.emit(metadata, metadata_stream(self._xmp()))
        objects.emit(catalog, root)
        objects.emit(info, self._info())
        objects.drain()
        return objects.finish(catalog, info)

    @staticmethod
    def _note_warnings(warnings: list[str], seen: int) -> None:
        for message in warnings[seen:]:
            note(None, message)

    def _xmp(self) -> bytes:
        meta = self.spec.metadata
        created = meta.created.isoformat() if meta.created is not None else ""
        return xmp_packet(meta, PRODUCER, pdfua=self.pdfua, created=created)

    def _index_readers(self) -> list[PdfReader]:
        """Map every reader's page objects, and stop references escaping to its page tree."""
        for reader in used_readers(self.pages, self.spec.bookmarks):
            self.readers.append(reader)
            for page_id in self.page_map.add(reader):
                self.objects.omit(reader, page_id)
            for idnum in page_tree(reader):
                self.objects.omit(reader, idnum)
        return self.readers

    def _number(self, position: int) -> tuple[int, int]:
        """The numbers page ``position`` is printed with (see :attr:`PackPage.number`)."""
        number = self.pages[position].number
        if number is None:
            return (self.first_number + position,) * 2
        return number

    def _stamp_text(self, position: int) -> str:
        first, last = self._number(position)
        if first != last:
            return self.spec.range_format.format(first=first, last=last)
        return self.spec.stamp_format.format(n=first, total=self.total)

    def _other_text(self) -> list[str]:
        """What the pages draw in the stamp font besides ``Page N`` and the blank pages' text:
        the stamp of a page printed with a range of numbers, the marks at the head of pages
        and the text of generated pages (all in the font's subset, or they show no glyphs)."""
        texts: list[str] = []
        for position, page in enumerate(self.pages):
            if page.number is not None:
                texts.append(self._stamp_text(position))
            if page.head:
                texts.append(page.head)
            texts += (block.text for block in page.blocks)
        return texts

    def _page_labels(self) -> dict[str, Any]:
        """Labels equal to the printed numbers: one decimal run, unless pages say otherwise."""
        if any(page.number is not None for page in self.pages):
            return page_labels([self._number(n) for n in range(len(self.pages))])
        labels: dict[str, Any] = {"/S": NameObject("/D")}
        if self.first_number != 1:
            labels["/St"] = self.first_number
        return {"/Nums": [0, labels]}

    def _copy_pages(self, copier: PageCopier, warnings: list[str]) -> None:
        """Write every page; pypdf's complaints about a paper become notes on its reader."""
        seen = 0
        for position, page in enumerate(self.pages):
            self.current = page.reader
            try:
                with budget(page.reader).working() if page.reader else nullcontext():
                    copier.copy(position, page)  # counted against the paper's time limit
                    self.objects.drain()
            except READ_ERRORS as exc:
                if page.reader is None:
                    raise
                path = getattr(page.reader, "path", None)
                what = getattr(page.reader, "what", None)
                of = f" of {what}" if what and what != str(path) else ""
                raise DocumentError(
                    f"page {page.index + 1}{of} cannot be copied ({describe_error(exc)})",
                    where=str(path) if path else None,
                    hint=REPAIR_HINT,
                ) from None
            if len(warnings) > seen:
                for message in warnings[seen:]:
                    note(page.reader, message)
                seen = len(warnings)

    def _catalog(
        self, pages_root: Ref, outline: Ref | None, acroform: dict[str, Any] | None
    ) -> dict[str, Any]:
        root: dict[str, Any] = {
            "/Type": NameObject("/Catalog"),
            "/Pages": Ref(pages_root),
            "/PageLabels": self._page_labels(),
            "/PageMode": NameObject("/UseOutlines" if outline else "/UseNone"),
            "/ViewerPreferences": {"/DisplayDocTitle": True},
        }
        if outline:
            root["/Outlines"] = outline
        if self.spec.metadata.language:
            root["/Lang"] = self.spec.metadata.language
        if acroform:
            root["/AcroForm"] = acroform
        layers = merge_layers(self.pages)
        if layers:
            root["/OCProperties"] = layers
        return root

    def _info(self) -> dict[str, Any]:
        meta = self.spec.metadata
        info: dict[str, Any] = {
            "/Title": meta.title,
            "/Subject": meta.subject,
            "/Author": meta.author,
            "/Creator": meta.creator,
            "/Producer": PRODUCER,
        }
        if meta.keywords:
            info["/Keywords"] = meta.keywords
        for name, value in meta.extra.items():
            info.setdefault(f"/{name}", value)
        if meta.created is not None:
            info["/CreationDate"] = info["/ModDate"] = pdf_date(meta.created)
        return info


def pdf_date(moment: dt.datetime) -> str:
    """A PDF date string, ``D:20220511100000+01'00'``."""
    text = moment.strftime("D:%Y%m%d%H%M%S")
    offset = moment.utcoffset()
    if offset is None:
        return text
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return text + "Z"
    sign = "+" if minutes > 0 else "-"
    minutes = abs(minutes)
    return f"{text}{sign}{minutes // 60:02d}'{minutes % 60:02d}'"
