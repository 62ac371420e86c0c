"""The conversion stage: Word documents to PDF, in batches, cached by content hash.

A document's cache key is the hash of what is inside the .docx (its parts,
not the zip bytes, which carry timestamps), the LibreOffice installation and
the export filter, so a cached PDF is served only for exactly the same
input and converter. A rebuild with nothing changed starts LibreOffice zero
times. A cached PDF is checked against the checksum stored with it and
copied into the build's work folder (:func:`packbuilder.convert.cachedir.read_entry`);
a damaged one is discarded, said so, and the document converted again.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import time
import zipfile
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from ..exceptions import ConversionTimeoutError, ConverterError, DocumentError, OutputError
from ..inputs.session import read_input
from ..paths import display_path
from ._exec import soffice
from .cachedir import Entry, read_entry, write_entry

CACHE_FORMAT = "2"  # 2: entries carry their SHA-256 (cachedir)
DEFAULT_TIMEOUT = 180.0


def default_cache_dir() -> Path:
    """Where converted PDFs are cached between runs.

    ``$PACKBUILDER_CACHE_DIR``, else ``$XDG_CACHE_HOME/packbuilder``, else ``~/.cache/packbuilder``.
    """
    configured = os.environ.get("PACKBUILDER_CACHE_DIR")
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "packbuilder"


def docx_content_hash(path: Path, data: bytes | None = None) -> str:
    """Hash of a .docx's parts (names and bytes), independent of zip timestamps.

    ``data`` is the file's content when it has been read already.
    """
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as archive:
            for name in sorted(archive.namelist()):
                digest.update(name.encode() + b"\0")
                with archive.open(name) as part:  # in blocks: a part may be large
                    for block in iter(lambda: part.read(1 << 20), b""):
                        digest.update(block)
                digest.update(b"\0")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError):
        digest = hashlib.sha256(b"raw\0")
        try:
            digest.update(data if data is not None else path.read_bytes())
        except OSError as exc:
            raise DocumentError(f"{path}: cannot be read ({exc.strerror})") from exc
    return digest.hexdigest()


class ConversionCache:
    """Converted PDFs on disk, keyed by input content and converter; ``root=None`` disables it.

    Each entry carries the SHA-256 of its bytes (see :mod:`packbuilder.convert.cachedir`).
    """

    def __init__(self, root: Path | None):
        self.root = root / "pdf" if root else None

    def entry(self, key: str) -> Path | None:
        """Where the PDF for ``key`` is kept (None without a cache)."""
        return self.root / f"{key}.pdf" if self.root is not None else None

    def fetch(self, key: str, out: Path) -> Entry:
        """Copy the cached PDF for ``key`` to ``out``, verified; a damaged entry is deleted."""
        entry = self.entry(key)
        return read_entry(entry, out) if entry is not None else Entry.MISS

    def put(self, key: str, pdf: Path) -> None:
        """Keep a copy of ``pdf`` under ``key``, atomically; a cache that cannot be written
        (or a file that is not a whole PDF) never fails the build."""
        entry = self.entry(key)
        if entry is not None:
            write_entry(pdf, entry)


@dataclass
class ConversionStats:
    converted: list[Path] = field(default_factory=list)
    cached: list[Path] = field(default_factory=list)
    discarded: list[Path] = field(default_factory=list)  # damaged cache entries deleted
    runs: int = 0  # one-shot LibreOffice runs
    served: int = 0  # documents converted by a kept-running LibreOffice (OfficeServer)


class Converter:
    """Converts .docx files to PDF through LibreOffice, with a cache and parallel workers.

    With ``office`` (a kept-running LibreOffice, see
    :class:`~packbuilder.convert._exec.soffice.OfficeServer`), what the cache lacks is
    converted through it, one document at a time, instead of by one-shot
    ``soffice --convert-to`` runs; if it is unavailable or cannot start, the
    one-shot runs are used.
    """

    def __init__(
        self,
        workdir: Path,
        cache: ConversionCache,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        workers: int | None = None,
        progress: Callable[[str], None] | None = None,
        office: soffice.OfficeServer | None = None,
    ):
        self.workdir = workdir
        self.cache = cache
        self.timeout = timeout
        self.workers = workers or min(2, os.cpu_count() or 1)
        self.progress = progress or (lambda message: None)
        self.office = office if office is not None and office.available() else None
        self.stats = ConversionStats()
        self._originals: dict[Path, Path] = {}  # staged copy -> the clerk's file, for messages
        self._names: dict[Path, str] = {}  # the clerk's file -> its name in messages
        self._done: dict[str, Path] = {}  # key -> its PDF, as the cache gave it to this build
        self._content: dict[Path, bytes] = {}  # source -> the bytes hashed, which are converted

    def convert(
        self, sources: Sequence[Path], names: Mapping[Path, str] | None = None
    ) -> dict[Path, Path]:
        """Return a PDF for each source .docx, converting only what the cache lacks.

        ``names`` says how to name a source in messages (a rendered cover report
        by its title and place in the YAML); by default, its path.
        """
        self._names.update(names or {})
        identity = soffice.converter_identity(soffice.find_soffice()) if sources else ""
        keys: dict[Path, str] = {}
        for source in dict.fromkeys(sources):
            self._content[source] = self._read(source)
            content_hash = docx_content_hash(source, self._content[source])
            keys[source] = hashlib.sha256(
                f"{CACHE_FORMAT}|{identity}|{content_hash}".encode()
            ).hexdigest()
        alike: dict[str, list[Path]] = {}  # sources with the same content convert once
        for source, key in keys.items():
            alike.setdefault(key, []).append(source)
        pdfs = {key: self._done[key] for key in alike if key in self._done}
        for key in pdfs:
            self.stats.cached.extend(alike[key])
        pdfs.update(self._from_cache({k: g for k, g in alike.items() if k not in pdfs}))
        missing = [group[0] for key, group in alike.items() if key not in pdfs]
        if missing:
            self.progress(
                f"Converting {len(missing)} Word document(s) with LibreOffice "
                f"({_names(missing)}); {len(keys) - len(missing)} from the cache"
            )
            started = time.monotonic()
            converted = self._convert_uncached(missing, keys)
            for source, pdf in converted.items():
                self.cache.put(keys[source], pdf)
                pdfs[keys[source]] = pdf
                self.stats.converted.extend(alike[keys[source]])
            self.progress(
                f"Converted {len(missing)} document(s) in {time.monotonic() - started:.1f} s"
            )
        elif keys:
            self.progress(f"{len(keys)} Word document(s) already converted (cache)")
        if self.cache.root is not None:  # without a cache, every conversion is done again
            self._done.update(pdfs)
        self._content.clear()
        return {source: pdfs[key] for source, key in keys.items()}

    @staticmethod
    def _read(source: Path) -> bytes:
        """The content of a source document, read once per build (:func:`read_input`)."""
        try:
            return read_input(source)
        except OSError as exc:
            raise DocumentError(
                f"cannot be read ({exc.strerror or exc})",
                where=display_path(source),
                hint="check that the file exists and you may read it",
            ) from exc

    def _from_cache(self, alike: dict[str, list[Path]]) -> dict[str, Path]:
        """The PDFs the cache holds, by key, copied into the work folder.

        A damaged entry is deleted and reported; its document is converted again.
        """
        pdfs: dict[str, Path] = {}
        folder = None
        for key, group in alike.items():
            if self.cache.entry(key) is None:
                continue
            folder = folder or self._new_dir("cached")
            out = folder / f"{key}.pdf"
            found = self.cache.fetch(key, out)
            if found is Entry.HIT:
                pdfs[key] = out
                self.stats.cached.extend(group)
            elif found is Entry.DAMAGED:
                entry = self.cache.entry(key)
                assert entry is not None
                self.stats.discarded.append(entry)
                name = self._names.get(group[0]) or display_path(group[0])
                self.progress(
                    f"A damaged cache entry was discarded ({entry}); converting {name} again"
                )
        return pdfs

    def _convert_uncached(self, sources: list[Path], keys: dict[Path, str]) -> dict[Path, Path]:
        stage = self._new_dir("in")
        outdir = self._new_dir("out")
        staged: dict[Path, Path] = {}
        for source in sources:
            copy = stage / f"{keys[source]}.docx"
            try:  # the bytes that were hashed are the bytes LibreOffice converts
                copy.write_bytes(self._content.pop(source))
            except OSError as exc:
                raise OutputError(
                    f"cannot write in the work folder {self.workdir}: {exc.strerror or exc}",
                    hint="check that the output folder is writable and the disk is not full",
                ) from exc
            staged[copy] = source
        self._originals.update(staged)
        copies = list(staged)
        converted: dict[Path, Path] = {}
        if self.office is not None:
            served = self._convert_served(copies, outdir)
            converted.update((staged[copy], pdf) for copy, pdf in served.items())
            copies = [copy for copy in copies if copy not in served]
        batches = [copies[i :: self.workers] for i in range(self.workers)]
        batches = [b for b in batches if b]
        outputs = self._run_batches(batches, outdir) if batches else []
        for mapping in outputs:
            for copy, pdf in mapping.items():
                converted[staged[copy]] = pdf
        return converted

    def _convert_served(self, copies: list[Path], outdir: Path) -> dict[Path, Path]:
        """Convert through the kept-running LibreOffice, one at a time, while it can start.

        If it cannot start, says so and leaves the rest to one-shot runs (and
        stops using it for this build).
        """
        assert self.office is not None
        results: dict[Path, Path] = {}
        for copy in copies:
            try:
                results.update(self.office.convert_to_pdf([copy], outdir, timeout=self.timeout))
            except soffice.OfficeStartError as exc:
                self.progress(f"{exc.message}; converting with one-shot LibreOffice runs")
                self.office = None
                break
            except ConverterError as exc:
                raise self._name_original(exc, copy) from exc
            self.stats.served += 1
        return results

    def _run_batches(self, batches: list[list[Path]], outdir: Path) -> list[dict[Path, Path]]:
        """Convert the batches in parallel; on Ctrl-C or a failure, stop every LibreOffice.

        Without the stop, the main thread would wait for the other workers'
        LibreOffice runs to end by themselves (up to the timeout) before the
        interruption or the error could be reported.
        """
        runs = soffice.Runs()
        pool = ThreadPoolExecutor(max_workers=len(batches))
        try:
            futures = [pool.submit(self._convert_batch, b, outdir, runs) for b in batches]
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            failed = [f for f in futures if f in done and f.exception() is not None]
            if failed:
                raise failed[0].exception()  # type: ignore[misc]
            return [f.result() for f in futures]
        except BaseException:
            runs.stop()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _convert_batch(
        self, batch: list[Path], outdir: Path, runs: soffice.Runs | None = None
    ) -> dict[Path, Path]:
        self.stats.runs += 1
        try:
            return soffice.convert_to_pdf(batch, outdir, timeout=self.timeout, runs=runs)
        except soffice.ConversionStopped:
            raise
        except ConverterError as exc:
            if runs is not None and runs.stopped:
                raise
            if len(batch) == 1:
                raise self._name_original(exc, batch[0]) from exc
        # Find the document that broke the batch by converting each on its own.
        results = {}
        for copy in batch:
            self.stats.runs += 1
            try:
                results.update(
                    soffice.convert_to_pdf([copy], outdir, timeout=self.timeout, runs=runs)
                )
            except soffice.ConversionStopped:
                raise
            except ConverterError as exc:
                raise self._name_original(exc, copy) from exc
        return results

    def _name_original(self, exc: ConverterError, copy: Path) -> ConverterError:
        """Re-word a converter error about a staged copy so it names the clerk's document."""
        original = self._originals[copy]
        name = self._names.get(original) or display_path(original)
        message = exc.message.replace(copy.name, name)
        cls = ConversionTimeoutError if isinstance(exc, ConversionTimeoutError) else ConverterError
        return cls(message, hint=exc.hint)

    def _new_dir(self, name: str) -> Path:
        try:
            self.workdir.mkdir(parents=True, exist_ok=True)
            return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.workdir))
        except OSError as exc:
            raise OutputError(f"cannot create a work folder in {self.workdir}: {exc}") from exc


def _names(sources: Sequence[Path], limit: int = 3) -> str:
    """``a.docx, b.docx, c.docx and 2 more``."""
    shown = ", ".join(source.name for source in sources[:limit])
    return shown + (f" and {len(sources) - limit} more" if len(sources) > limit else "")
