"""Bounded work on a paper: how much packbuilder inflates from it, and for how long.

A PDF's streams are compressed, and a few kilobytes of Flate can inflate to
gigabytes (a "decompression bomb"): a paper made that way would take the
build's memory and time, and every reader's who opened the pack. Every
stream packbuilder inflates from a paper goes through :meth:`PaperBudget.inflate`,
which stops as soon as a limit is passed:

* :attr:`Limits.stream_bytes` (default 100 MB): one stream once inflated (a
  page's content, a font, a drawing);
* :attr:`Limits.picture_bytes` (default 500 MB): one picture once decoded, as
  its width, height and colours declare it (pictures are not inflated: a
  viewer decodes what they declare, and a full A4 page scanned in colour at
  600 dpi is about 105 MB);
* :attr:`Limits.paper_bytes` (default 500 MB): all the streams packbuilder
  inflates from one paper;
* :attr:`Limits.paper_seconds` (default 60 s): the time spent checking and
  copying one paper's pages.

Each stream is inflated once per paper however many pages share it (its
inflated size is remembered by object number). A paper over a limit is a
:class:`LimitError` (exit code 4) naming the paper, the page and what to do.
The committee file raises the limits (``limits: {stream_mb: 200, picture_mb: 1000,
paper_mb: 1000, paper_seconds: 300}``); :func:`set_limits` gives a paper its limits.
"""

from __future__ import annotations

import contextlib
import time
import weakref
import zlib
from collections.abc import Iterator
from typing import Any

from ..exceptions import DocumentError
from ..model.limits import DEFAULT_LIMITS, MB, Limits

_CHUNK = 1 << 20
"""Bytes inflated at a time, so a limit is noticed within a megabyte of being passed."""


REEXPORT = (
    "ask the author to export the PDF again, or open it in a PDF viewer and print it to a new "
    "PDF ('Microsoft Print to PDF' or 'Save as PDF'), and use that file"
)


class LimitError(DocumentError):
    """A paper needs more work (inflated bytes, seconds) than its limits allow."""


def _raise_hint(key: str, value: str) -> str:
    return (
        f"{REEXPORT}; if the paper really is that large, raise the limit in the committee "
        f"file: 'limits: {{{key}: {value}}}'"
    )


class PaperBudget:
    """What one paper has cost so far: bytes inflated, seconds spent, streams measured."""

    def __init__(self, reader: Any, limits: Limits = DEFAULT_LIMITS):
        self.path = getattr(reader, "path", None)
        self.name = str(getattr(reader, "what", None) or self.path or "a paper")
        self.limits = limits
        self.inflated = 0
        self.seconds = 0.0
        self._since: float | None = None  # when the work being timed began
        self.sizes: dict[int, int] = {}
        """Inflated size of each stream measured, by object number (each inflated once)."""

    def reset(self, limits: Limits) -> None:
        """Start a new build's count; the sizes measured are kept unless the limits changed."""
        if limits != self.limits:
            self.sizes.clear()
        self.limits = limits
        self.inflated = 0
        self.seconds = 0.0

    @contextlib.contextmanager
    def working(self) -> Iterator[None]:
        """Count the time spent in the block against the paper's time limit."""
        if self._since is not None:  # already inside: the outer block counts it
            yield
            return
        self._since = time.monotonic()
        try:
            yield
        finally:
            self.seconds += time.monotonic() - self._since
            self._since = None
        self.check_time()

    def check_time(self) -> None:
        """Raise :class:`LimitError` once the paper has taken longer than its limit."""
        spent = self.seconds
        if self._since is not None:
            spent += time.monotonic() - self._since
        limit = self.limits.paper_seconds
        if spent > limit:
            raise LimitError(
                f"checking and copying this paper took more than {limit:g} s, the most "
                "packbuilder spends on one paper; it may be damaged, or made to exhaust the "
                "computers that open it",
                where=self._where(),
                hint=_raise_hint("paper_seconds", f"{max(limit * 5, 300):g}"),
            )

    def count(self, size: int, what: str) -> None:
        """Add ``size`` inflated bytes of ``what`` to the paper's total; raise past a limit."""
        if size > self.limits.stream_bytes:
            raise self._too_large(what, self.limits.stream_bytes, "for one stream", "stream_mb")
        self.inflated += size
        if self.inflated > self.limits.paper_bytes:
            raise self._too_large(
                f"its streams (up to {what})", self.limits.paper_bytes, "for one paper", "paper_mb"
            )

    def picture(self, size: int, what: str) -> None:
        """Check the size a picture declares (it is not inflated) against its limit."""
        if size > self.limits.picture_bytes:
            raise self._too_large(what, self.limits.picture_bytes, "for one picture", "picture_mb")

    def inflate(self, data: bytes, what: str, *, keep: bool = True) -> bytes:
        """``data`` (Flate) inflated, within the limits (``keep`` False: only measured, and
        nothing returned); raises :class:`zlib.error` when the data is damaged from the
        start (the bytes inflated before damage are returned)."""
        inflater = zlib.decompressobj()
        out = bytearray()  # grown in place: no second copy of a large stream
        size = 0
        pending = data
        limit = self.limits.stream_bytes
        while pending:
            try:
                piece = inflater.decompress(pending, _CHUNK)
            except zlib.error:
                if not size:
                    raise
                break  # damaged part way: keep what inflated, as viewers do
            size += len(piece)
            if size > limit:
                raise self._too_large(what, limit, "for one stream", "stream_mb")
            if keep:
                out += piece
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
            self.check_time()
        self.count(size, what)
        return out  # type: ignore[return-value]  # a bytearray serves wherever bytes do

    def _too_large(self, what: str, limit: int, per: str, key: str) -> LimitError:
        return LimitError(
            f"{what} would take more than {limit // MB:,} MB once decompressed, the most "
            f"packbuilder accepts {per}; it may be a 'decompression bomb', made to exhaust "
            "the computers that open it",
            where=self._where(),
            hint=_raise_hint(key, f"{max(limit // MB * 2, 200)}"),
        )

    def _where(self) -> str:
        return str(self.path) if self.path else self.name


_BUDGETS: weakref.WeakKeyDictionary[Any, PaperBudget] = weakref.WeakKeyDictionary()


def budget(reader: Any) -> PaperBudget:
    """The budget of the paper ``reader`` reads (the default limits until set)."""
    found = _BUDGETS.get(reader)
    if found is None:
        found = _BUDGETS[reader] = PaperBudget(reader)
    return found


def set_limits(reader: Any, limits: Limits) -> PaperBudget:
    """Give a paper its limits for this build, and start counting afresh."""
    found = budget(reader)
    found.reset(limits)
    found.path = getattr(reader, "path", found.path)
    found.name = str(getattr(reader, "what", None) or found.path or found.name)
    return found
