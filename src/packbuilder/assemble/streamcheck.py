"""Measure every stream a paper's chosen pages bring into the pack, within its limits.

Before a paper is used, :func:`check_streams` follows what the pack will copy
from each chosen page (its content, the resources the content uses, the
appearances of the annotations it keeps, and everything those refer to, but
not what the pack leaves out: actions, attached files, metadata...) and
measures each stream once through the paper's budget (:mod:`packbuilder.inputs.pdflimits`):

* a picture by the size its width, height, colours and bits declare, without
  decoding it (a viewer decodes that much);
* anything else (content, fonts, drawings, colour profiles) by inflating it,
  keeping nothing.

A stream over a limit, or a paper over its total or its time, is a
:class:`~packbuilder.inputs.pdflimits.LimitError` naming the paper, the page and
what to do. A stream already measured (shared by several pages, or met by an
earlier check of the same paper) is not inflated again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from ..inputs.pdflimits import PaperBudget, budget
from .allowlist import OMIT, annotation_verdict
from .pagecontent import decode, page_content, used_resources
from .refs import resolve
from .scrub import DROPPED_KEYS, LEAVE_OUT, screen

_NOT_FOLLOWED = DROPPED_KEYS | {"/Parent", "/P", "/Pg", "/Dest", "/D", "/Annots", "/Length"}
"""Keys not followed: left out of the pack, or pointing back at pages (not copied here)."""
_COMPONENTS = {
    "/DeviceGray": 1,
    "/CalGray": 1,
    "/G": 1,
    "/DeviceRGB": 3,
    "/CalRGB": 3,
    "/Lab": 3,
    "/RGB": 3,
    "/DeviceCMYK": 4,
    "/CMYK": 4,
    "/Indexed": 1,
    "/I": 1,
    "/Separation": 1,
    "/Pattern": 1,
}
_TICK = 200
"""Objects followed between two looks at the clock."""


def check_streams(reader: PdfReader, indices: Iterable[int], *, keep_markup: bool = False) -> None:
    """Measure the streams pages ``indices`` bring into the pack; raise past a limit."""
    paper = budget(reader)
    with paper.working():
        for index in sorted(set(indices)):
            page = reader.pages[index]
            raw = resolve(dict.get(page, "/Contents"))
            items = raw if isinstance(raw, list) else [raw]
            streams = [s for s in (resolve(i) for i in items) if isinstance(s, StreamObject)]
            content = page_content(reader, streams, index)
            roots: list[Any] = [used_resources(dict.get(page, "/Resources"), content.names)]
            roots.append(dict.get(page, "/Group"))
            annots = resolve(dict.get(page, "/Annots"))
            for annot in (resolve(a) for a in annots) if isinstance(annots, list) else ():
                if isinstance(annot, dict):
                    verdict, _problems = annotation_verdict(annot, keep_markup=keep_markup)
                    if verdict != OMIT:
                        roots.append(dict.get(annot, "/AP"))
                        roots.append(dict.get(annot, "/MK"))
            _Walk(reader, paper, index).run(roots)


class _Walk:
    """One page's walk through the objects the pack copies from it."""

    def __init__(self, reader: PdfReader, paper: PaperBudget, index: int):
        self.reader = reader
        self.paper = paper
        self.where = f"page {index + 1}"
        self.seen: set[int] = set()
        self.steps = 0

    def run(self, roots: list[Any]) -> None:
        stack = list(roots)
        while stack:
            value = stack.pop()
            if isinstance(value, IndirectObject):
                if value.idnum in self.seen:
                    continue
                self.seen.add(value.idnum)
                number = value.idnum
                value = resolve(value)
            else:
                number = None
            self.steps += 1
            if self.steps % _TICK == 0:
                self.paper.check_time()
            if isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, dict):
                stack.extend(self._children(value, number))

    def _children(self, value: dict, number: int | None) -> list[Any]:
        """What a dictionary or stream refers to, after measuring it if it is a stream."""
        if resolve(dict.get(value, "/Type")) in ("/Page", "/Pages"):
            return []
        if screen(value) is LEAVE_OUT:
            return []
        if isinstance(value, StreamObject):
            if number is not None and number in self.paper.sizes:
                return []  # measured before, with what it refers to
            size = self._measure(value)
            if number is not None:
                self.paper.sizes[number] = size
        return [v for k, v in dict.items(value) if k not in _NOT_FOLLOWED]

    def _measure(self, stream: StreamObject) -> int:
        """A stream's decoded size: declared for a picture, inflated for anything else."""
        if resolve(dict.get(stream, "/Subtype")) == "/Image":
            size = _picture_size(stream)
            self.paper.picture(size, f"a picture on {self.where}")
            return size
        kind = resolve(dict.get(stream, "/Subtype"))
        what = "a drawing" if kind == "/Form" else "a font or other stream"
        data, _problem = decode(self.reader, stream, f"{what} used on {self.where}", keep=False)
        return len(data) if data else 0


def _picture_size(image: StreamObject) -> int:
    """The bytes a picture declares it decodes to (width x height x colours x bits)."""
    width, height = resolve(dict.get(image, "/Width")), resolve(dict.get(image, "/Height"))
    if not isinstance(width, int) or not isinstance(height, int) or width < 0 or height < 0:
        return 0
    if resolve(dict.get(image, "/ImageMask")) is True:
        bits, components = 1, 1
    else:
        bits = resolve(dict.get(image, "/BitsPerComponent"))
        bits = bits if isinstance(bits, int) and 0 < bits <= 32 else 8
        components = _components(dict.get(image, "/ColorSpace"))
    return math.ceil(width * components * bits / 8) * height


def _components(raw: Any) -> int:
    """How many colour components a colour space has (4, the most, when it is not known)."""
    space = resolve(raw)
    if isinstance(space, list) and space:
        family = resolve(space[0])
        if family == "/ICCBased" and len(space) > 1:
            profile = resolve(space[1])
            count = resolve(dict.get(profile, "/N")) if isinstance(profile, dict) else None
            return count if isinstance(count, int) and 0 < count <= 32 else 4
        if family == "/DeviceN" and len(space) > 1:
            names = resolve(space[1])
            return len(names) if isinstance(names, list) and names else 4
        space = family
    return _COMPONENTS.get(str(space), 4) if isinstance(space, str) else 4
