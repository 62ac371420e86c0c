"""Benchmark: cold build, rebuild after one late paper, rebuild with nothing changed.

Copies the example meeting (``meetings/osb-2022-05-11.yaml``, 116 pages) and the
templates to a temporary folder, then, for each repetition, with a fresh cache:

1. **cold**: build with an empty cache (every Word document converted, every
   template filled);
2. **nothing changed**: build again;
3. **late paper** scenarios, each from a copy of the warmed cache and output:

   - item 3's minutes arrive as a Word document (item 3 was To Follow; now it
     has a paper, so the agenda's page ranges change);
   - item 3's minutes arrive as a PDF;
   - a corrected version of item 5's Word paper replaces it (same length, so
     the agenda does not change).

Each set is measured twice in the same run:

- **one-shot LibreOffice** (``packbuilder build``): every conversion starts
  ``soffice --convert-to`` afresh (~0.85 s each start), and every build opens
  every paper and template afresh (no session);
- **warm LibreOffice** (``packbuilder watch``): every build of a repetition
  goes through one :class:`OfficeServer`, started fresh (and its start
  counted) by that repetition's cold build, and through one
  :class:`~packbuilder.inputs.session.BuildSession`, as watch's rebuilds do, so
  unchanged papers, converted PDFs and template digests are reused. Before
  each late paper the unchanged meeting is built again into that scenario's
  copy (not timed), so the session holds what watch's holds when a paper
  arrives: the last build's readers.

Times are of ``api.build`` in this process (imports excluded), medians over the
repetitions, with each scenario's ratio to the cold build of its own set (the
warm set also to the one-shot cold build) and the issue's targets: a late paper
at most 25% of a cold build, nothing changed at most 10%. "LO starts" counts
LibreOffice starts (one-shot runs and server starts); "served" the documents
converted by the warm LibreOffice; "parsed" the PDFs the build parsed with
pypdf (with a session; "all" without one).

Results on the shared 2-CPU container, LibreOffice 7.4, ``--repeat 5``
(2026-11-25); "build" is the one-shot set, "watch" the warm set with its
session, each ratio to its own set's cold build, "of build cold" the watch
time over the one-shot cold build::

    scenario                            build   ratio   watch   ratio  of build cold  target
    cold build (empty cache)           2.45 s  100.0%  1.75 s  100.0%          71.6%
    rebuild, nothing changed           0.20 s    8.1%  0.09 s    5.0%           3.6%  <=10%
    late paper: item 3 minutes (.docx) 2.13 s   87.1%  0.34 s   19.3%          13.8%  <=25%
    late paper: item 3 minutes (.pdf)  1.19 s   48.6%  0.25 s   14.0%          10.0%  <=25%
    corrected paper: item 5 (.docx)    1.14 s   46.5%  0.18 s   10.4%           7.4%  <=25%

So with ``watch`` every target is met; with ``build`` only nothing changed.

Run: ``python benchmarks/rebuild.py [--repeat 3]`` (needs LibreOffice; the warm
set needs python3-uno and is skipped without it).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from docx import Document as WordDocument  # noqa: E402

from packbuilder import api  # noqa: E402
from packbuilder.convert._exec import soffice  # noqa: E402
from packbuilder.convert._exec.soffice import OfficeServer  # noqa: E402
from packbuilder.inputs.session import BuildSession  # noqa: E402

MEETING = "osb-2022-05-11.yaml"
TO_FOLLOW = '    status: to-follow            # printed as "To Follow"; its papers are left out until it arrives\n'  # noqa: E501
ITEM5 = "papers/item05-executive-member-update.docx"
MINUTES_DOCX, MINUTES_PDF = "papers/item03-minutes.docx", "papers/item03-minutes.pdf"
LATE_TARGET, NOTHING_TARGET = 0.25, 0.10


@dataclass
class Scenario:
    """A named rebuild: the meeting file it builds and the times and counts measured."""

    name: str
    meeting: str
    target: float | None
    seconds: list[float] = field(default_factory=list)
    converted: list[int] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    served: list[int] = field(default_factory=list)
    parsed: list[int] = field(default_factory=list)  # PDFs parsed (with a session)


def prepare(folder: Path) -> dict[str, str]:
    """Copy the example into ``folder`` and write each scenario's meeting file."""
    shutil.copytree(ROOT / "meetings", folder / "meetings")
    shutil.copytree(ROOT / "src" / "packbuilder" / "templates", folder / "templates")
    meetings = folder / "meetings"
    original = (meetings / MEETING).read_text(encoding="utf-8")
    assert TO_FOLLOW in original and MINUTES_DOCX in original, "item 3 is no longer To Follow"

    minutes = meetings / "papers" / "item03-minutes.docx"
    document = WordDocument()
    document.add_heading("MINUTES OF THE MEETING OF 27 APRIL 2022", 1)
    for number in range(1, 61):
        document.add_paragraph(
            f"{number}. The Board considered the matter and AGREED that the information be noted."
        )
    document.save(minutes)
    with tempfile.TemporaryDirectory() as out:  # the PDF version, made once, not timed
        pdf = soffice.convert_to_pdf([minutes], Path(out), timeout=120)[minutes]
        shutil.copyfile(pdf, meetings / "papers" / "item03-minutes.pdf")

    corrected = meetings / "papers" / "item05-executive-member-update-v2.docx"
    _replace_in_docx(meetings / ITEM5, corrected, "PURPOSE OF THE REPORT", "PURPOSE OF THIS REPORT")

    variants = {
        "before": original,
        "late-docx": original.replace(TO_FOLLOW, ""),  # the expected paper is named already
        "late-pdf": original.replace(TO_FOLLOW, "").replace(MINUTES_DOCX, MINUTES_PDF),
        "revised-docx": original.replace(ITEM5, "papers/item05-executive-member-update-v2.docx"),
    }
    files = {}
    for name, text in variants.items():
        path = meetings / f"osb-{name}.yaml"
        path.write_text(text, encoding="utf-8")
        files[name] = str(path)
    return files


def _replace_in_docx(source: Path, target: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            zout.writestr(info, data)


def timed(
    build: Callable[[], api.BuildResult], scenario: Scenario, office: OfficeServer | None = None
) -> None:
    starts = office.starts if office else 0
    started = time.perf_counter()
    result = build()
    scenario.seconds.append(time.perf_counter() - started)
    scenario.converted.append(len(result.conversions.converted))
    scenario.starts.append(result.conversions.runs + (office.starts - starts if office else 0))
    scenario.served.append(result.conversions.served)
    if result.session is not None:
        scenario.parsed.append(len(result.session.opened))


def build(
    meeting: str,
    out: Path,
    cache: Path,
    office: OfficeServer | None = None,
    session: BuildSession | None = None,
) -> Callable[[], api.BuildResult]:
    options = api.BuildOptions(output_dir=out, cache_dir=cache, office=office, session=session)
    return lambda: api.build(meeting, options)


def scenarios(files: dict[str, str]) -> list[Scenario]:
    """The cold build, the rebuild with nothing changed, the late-paper rebuilds."""
    return [
        Scenario("cold build (empty cache)", files["before"], None),
        Scenario("rebuild, nothing changed", files["before"], NOTHING_TARGET),
        Scenario("late paper: item 3 minutes (.docx)", files["late-docx"], LATE_TARGET),
        Scenario("late paper: item 3 minutes (.pdf)", files["late-pdf"], LATE_TARGET),
        Scenario("corrected paper: item 5 (.docx)", files["revised-docx"], LATE_TARGET),
    ]


def repetition(
    base: Path, measured: list[Scenario], office: OfficeServer | None, watch: bool = False
) -> None:
    """One cold build, then every rebuild from a copy of its cache and output.

    With ``watch``, every build goes through one :class:`BuildSession`, as
    ``packbuilder watch``'s do; before each late paper, the unchanged meeting is
    built again into the copy (not timed), so the session holds what a watch
    session holds when a paper arrives: the readers of the last build.
    """
    cold, nothing, *late = measured
    cache, out = base / "cache", base / "out"
    session = BuildSession() if watch else None
    timed(build(cold.meeting, out, cache, office, session), cold, office)
    timed(build(nothing.meeting, out, cache, office, session), nothing, office)
    for number, scenario in enumerate(late):
        own_cache, own_out = base / f"cache-{number}", base / f"out-{number}"
        shutil.copytree(cache, own_cache)
        shutil.copytree(out, own_out)
        if session is not None:
            build(nothing.meeting, own_out, own_cache, office, session)()
        timed(build(scenario.meeting, own_out, own_cache, office, session), scenario, office)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="packbuilder-bench-") as tmp:
        folder = Path(tmp)
        files = prepare(folder)
        one_shot, warm = scenarios(files), scenarios(files)
        for number in range(args.repeat):
            repetition(folder / f"one-shot-{number}", one_shot, None)
            if OfficeServer.available():
                with OfficeServer() as office:  # started by the cold build, closed after
                    repetition(folder / f"warm-{number}", warm, office, watch=True)
        report("one-shot LibreOffice (packbuilder build)", one_shot, args.repeat)
        if OfficeServer.available():
            print()
            reference = statistics.median(one_shot[0].seconds)
            report(
                "warm LibreOffice and a build session (packbuilder watch)",
                warm,
                args.repeat,
                reference,
            )
        else:
            print("\nwarm LibreOffice: skipped, no Python with uno (apt-get install python3-uno)")
    return 0


def report(
    title: str, scenarios: list[Scenario], repeat: int, one_shot_cold: float | None = None
) -> None:
    """Print one set's table; ``one_shot_cold`` adds each time's ratio to the one-shot cold."""
    cold = statistics.median(scenarios[0].seconds)
    print(f"{title}: example meeting ({MEETING}), {repeat} repetition(s), medians of api.build")
    extra = "  of one-shot cold" if one_shot_cold else ""
    print(
        f"{'scenario':<38} {'median':>8} {'ratio':>7} {'target':>7}        converted"
        f"  LO starts  served  parsed{extra}"
    )
    for scenario in scenarios:
        median = statistics.median(scenario.seconds)
        ratio = median / cold
        if scenario.target is None:
            target, verdict = "", ""
        else:
            target = f"<={scenario.target:.0%}"
            verdict = "met" if ratio <= scenario.target else "MISSED"
        converted = statistics.median(scenario.converted)
        starts = statistics.median(scenario.starts)
        served = statistics.median(scenario.served)
        parsed = f"{statistics.median(scenario.parsed):.0f}" if scenario.parsed else "all"
        print(
            f"{scenario.name:<38} {median:>6.2f} s {ratio:>6.1%} {target:>7} {verdict:<6}"
            f" {converted:>9.0f} {starts:>10.0f} {served:>7.0f} {parsed:>7}"
            + (f" {median / one_shot_cold:>17.1%}" if one_shot_cold else "")
        )


if __name__ == "__main__":
    raise SystemExit(main())
