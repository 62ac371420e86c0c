#!/usr/bin/env python3
"""Generate the papers of the example meeting with exempt business.

``meetings/osb-2022-06-08.yaml`` shows Part B: a public item with a public
appendix and an exempt one (paragraph 3 of Schedule 12A), and a Part B item
whose cover report and appendix (legal advice, paragraph 5) are exempt. Its
PDF papers are written here as Word documents (headings as heading styles,
each section on a page of its own) and exported by LibreOffice as tagged PDFs,
as a council's own reports are, so the example's packs are tagged too. Every
name, figure and opinion in them is invented for the example; nothing is
copied from any real exempt report.

Run from the repository root (needs LibreOffice)::

    python tools/make_exempt_example.py [--out meetings/papers/osb-2022-06-08]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from docx import Document

from packbuilder.convert._exec.soffice import convert_to_pdf

OUT = Path(__file__).resolve().parent.parent / "meetings" / "papers" / "osb-2022-06-08"

PAPERS = {
    "leisure-performance-summary.pdf": (
        "Appendix 1 - Leisure contract: performance summary",
        [
            (
                "Performance summary, 2021/22",
                [
                    "Visits to the four leisure centres: 1,204,000 (target 1,150,000).",
                    "Swimming lessons: 3,410 children a week in term time.",
                    "Customer satisfaction: 87 per cent (survey of 1,920 users).",
                    "All figures are invented for the packbuilder example.",
                ],
            ),
            (
                "Facilities",
                [
                    "Each centre passed its annual health and safety inspection.",
                    "Planned maintenance was 94 per cent complete at year end.",
                ],
            ),
        ],
    ),
    "leisure-contract-finances.pdf": (
        "Appendix 2 - Leisure contract: the operator's finances",
        [
            (
                "Management fee and margin",
                [
                    "The operator's management fee for 2021/22 was 1,845,000 pounds.",
                    "Its reported operating margin on the contract was 3.1 per cent.",
                    "These figures are invented for the packbuilder example.",
                ],
            ),
            (
                "Utility costs",
                [
                    "Energy costs rose by 46 per cent against the operator's tender model.",
                    "The operator has asked for a contract variation of 410,000 pounds.",
                ],
            ),
            (
                "Open-book review",
                [
                    "The review of the operator's accounts found no irregularities.",
                ],
            ),
        ],
    ),
    "leisure-options-legal-advice.pdf": (
        "Appendix 1 - Legal advice on the contract options",
        [
            (
                "Advice of the Head of Legal Services",
                [
                    "Option B (a variation of the contract) is within the contract's terms.",
                    "Option C (ending the contract early) carries a risk of a claim.",
                    "This advice is invented for the packbuilder example.",
                ],
            ),
            ("Procurement rules", ["A variation above the threshold needs a published notice."]),
        ],
    ),
}


def write_paper(path: Path, title: str, sections: list[tuple[str, list[str]]]) -> None:
    """One paper as a tagged PDF: its title, then each section on a page of its own."""
    document = Document()
    document.core_properties.title = title
    document.core_properties.author = "packbuilder example"
    document.core_properties.language = "en-GB"
    document.add_heading(title, 1)
    for number, (heading, lines) in enumerate(sections):
        if number:
            document.add_page_break()
        document.add_heading(heading, 2)
        for line in lines:
            document.add_paragraph(line)
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / path.with_suffix(".docx").name
        document.save(source)
        made = convert_to_pdf([source], Path(work) / "out", timeout=120)[source]
        shutil.copyfile(made, path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"default: {OUT}")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (title, sections) in PAPERS.items():
        write_paper(args.out / name, title, sections)
        print(f"wrote {args.out / name}")


if __name__ == "__main__":
    main()
