"""Reuse between builds what was parsed from inputs that have not changed.

A build opens every paper and converted document with pypdf (parsing their
objects, outlines and named destinations as it copies them) and opens the
Word templates to compute their render-cache keys. ``packbuilder watch``
builds the same meeting again and again, mostly from the same files, so it
keeps one :class:`BuildSession` across its rebuilds (``BuildOptions.session``)
and every build through it reuses:

- the open PDF (:class:`~packbuilder.inputs.pdfread.SourcePdf`) of every paper and
  converted document whose content is the same, with everything pypdf and
  :mod:`packbuilder.assemble` parsed from it;
- the digest of each Word template's parts, the bulk of a render-cache key,
  so a template whose render is cached is not opened at all.

Nothing is served stale. Every file is read whole and hashed (SHA-256) on
every build, and parsed from the very bytes hashed; what is kept is reused
only for the same hash. That hash is also the one the manifest records for
the file (:func:`file_sha256`), so each input is hashed once per build.

A reused reader is, for the build, what a fresh one would be: its ``path``
and ``what`` are set for this use, and its ``notes`` are those pypdf made
while opening it. A reader to which the build added notes (pypdf repaired
something while a page was copied) is not kept, so the next build opens the
file afresh and meets, and reports, the repair again. What a successful
build did not use (a paper taken out of the meeting, renamed or replaced) is
dropped; after a failed build, what the last successful build used is kept
too.

One build at a time uses a session; a build started while another holds it
builds without it, as :func:`packbuilder.api.build` does with no session.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from .pdfread import SourcePdf, open_pdf


@dataclass
class SessionStats:
    """What one build parsed afresh and what it reused from earlier builds of its session."""

    opened: list[Path] = field(default_factory=list)  # PDFs parsed by this build
    reused: list[Path] = field(default_factory=list)  # PDFs an earlier build had parsed
    templates_opened: list[Path] = field(default_factory=list)
    templates_reused: list[Path] = field(default_factory=list)  # render key from the digest


@dataclass(eq=False)
class _KeptPdf:
    """An open PDF kept between builds: its reader, the hash of its bytes, its opening notes."""

    reader: SourcePdf
    sha256: str
    notes: tuple[str, ...]


class BuildSession:
    """Parsed inputs kept between the builds of a long-lived process (``packbuilder watch``).

    Create one and pass it in :class:`packbuilder.api.BuildOptions` to every
    build; see the module's description for what is kept and when it is reused.
    """

    def __init__(self) -> None:
        self._pdfs: dict[str, list[_KeptPdf]] = {}  # sha256 -> readers of that content
        self._parts: dict[str, str] = {}  # a template file's sha256 -> its parts' digest
        self._last_pdfs: set[_KeptPdf] = set()  # used by the last successful build
        self._last_parts: set[str] = set()
        self._lock = threading.Lock()

    @property
    def kept_pdfs(self) -> int:
        """How many open PDFs are kept."""
        return sum(len(kept) for kept in self._pdfs.values())

    @contextmanager
    def begin(self) -> Iterator[SessionBuild | None]:
        """One build through the session (None when another build holds it).

        Inside the ``with``, :func:`open_source_pdf`, :func:`file_sha256` and
        the template functions go through it. On leaving, what the build did
        not use is dropped (see the module's description).
        """
        if not self._lock.acquire(blocking=False):
            yield None
            return
        build = SessionBuild(self)
        token = _ACTIVE.set(build)
        succeeded = False
        try:
            yield build
            succeeded = True
        finally:
            _ACTIVE.reset(token)
            try:
                self._end(build, succeeded)
            finally:
                self._lock.release()

    def _end(self, build: SessionBuild, succeeded: bool) -> None:
        """Keep what the build used (and, after a failure, what the last success used).

        A reader whose notes grew during the build is dropped: a fresh one
        would meet the same repairs again, and they must be reported again.
        """
        used = set(build.pdfs_used)
        clean = {kept for kept in used if tuple(kept.reader.notes) == kept.notes}
        keep = clean if succeeded else clean | (self._last_pdfs - used)
        pdfs: dict[str, list[_KeptPdf]] = {}
        for digest, entries in self._pdfs.items():
            entries = [kept for kept in entries if kept in keep]
            if entries:
                pdfs[digest] = entries
        self._pdfs = pdfs
        parts = build.parts_used if succeeded else build.parts_used | self._last_parts
        self._parts = {digest: value for digest, value in self._parts.items() if digest in parts}
        if succeeded:
            self._last_pdfs, self._last_parts = clean, set(build.parts_used)
        else:
            self._last_pdfs &= keep


class SessionBuild:
    """One build's use of a :class:`BuildSession`: the hashes it took, the readers it used."""

    def __init__(self, session: BuildSession):
        self.session = session
        self.stats = SessionStats()
        self.hashes: dict[Path, str] = {}  # every file hashed by this build
        self.pdfs_used: list[_KeptPdf] = []
        self.parts_used: set[str] = set()
        self._bound: dict[int, Path] = {}  # id of a kept reader -> the path it is used for
        self._files: dict[Path, bytes] = {}  # templates read by this build

    def open_pdf(self, path: Path, *, what: str | None = None) -> SourcePdf:
        """:func:`~packbuilder.inputs.pdfread.open_pdf`, reusing a reader of the same content."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError:
            return open_pdf(path, what=what)  # says why the file cannot be read
        digest = hashlib.sha256(data).hexdigest()
        self.hashes[path] = digest
        kept = self._pdfs_of(digest, path)
        if kept is None:
            reader = open_pdf(path, what=what, data=data)
            kept = _KeptPdf(reader, digest, tuple(reader.notes))
            self.session._pdfs.setdefault(digest, []).append(kept)
            self.stats.opened.append(path)
        else:
            reader = kept.reader
            if self._bound.get(id(kept)) != path:  # not yet used by this build: as if fresh
                reader.path, reader.notes = path, list(kept.notes)
                self.stats.reused.append(path)
            reader.what = what or str(path)
        self._bound[id(kept)] = path
        if kept not in self.pdfs_used:
            self.pdfs_used.append(kept)
        return reader

    def _pdfs_of(self, digest: str, path: Path) -> _KeptPdf | None:
        """A kept reader of this content free for ``path`` in this build.

        Within one build, one reader serves one path (as without a session,
        where each file is opened once): the same file opened twice gets the
        same reader, two files with the same content get two.
        """
        for kept in self.session._pdfs.get(digest, []):
            bound = self._bound.get(id(kept))
            if bound is None or bound == path:
                return kept
        return None

    def read(self, path: Path) -> bytes:
        """The content of ``path`` (read once per build) and its hash noted."""
        path = Path(path)
        data = self._files.get(path)
        if data is None:
            data = path.read_bytes()
            self._files[path] = data
            self.hashes[path] = hashlib.sha256(data).hexdigest()
        return data

    def template_parts(self, path: Path) -> str | None:
        """The parts digest of the template ``path`` as :meth:`read` read it, if known."""
        path = Path(path)
        if path not in self._files:
            return None
        digest = self.hashes[path]
        parts = self.session._parts.get(digest)
        if parts is not None:
            self.parts_used.add(digest)
        return parts

    def remember_parts(self, path: Path, parts: str) -> None:
        """Note the parts digest of the template ``path``, opened from what :meth:`read` read."""
        path = Path(path)
        if path in self._files:
            digest = self.hashes[path]
            self.session._parts[digest] = parts
            self.parts_used.add(digest)


_ACTIVE: ContextVar[SessionBuild | None] = ContextVar("packbuilder_session", default=None)


def active() -> SessionBuild | None:
    """The session build running in this context, if any."""
    return _ACTIVE.get()


def open_source_pdf(path: Path, *, what: str | None = None) -> SourcePdf:
    """Open a paper or converted document: through the build's session if it has one."""
    build = active()
    if build is None:
        return open_pdf(path, what=what)
    return build.open_pdf(path, what=what)


def read_input(path: Path) -> bytes:
    """The bytes of an input file: through the build's session, read once per build and
    hashed (so the manifest records the hash of these very bytes)."""
    build = active()
    return build.read(path) if build is not None else Path(path).read_bytes()


def file_sha256(path: Path) -> str:
    """The SHA-256 of an input file: as this build read it, if its session hashed it."""
    build = active()
    if build is not None:
        digest = build.hashes.get(Path(path))
        if digest is not None:
            return digest
        digest = sha256_file(path)
        build.hashes[Path(path)] = digest
        return digest
    return sha256_file(path)


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's content, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
