"""Which Word templates a meeting or forward plan uses: found by one rule, and named.

A template named in the definition (a committee's ``templates:``, a paper's
or a plan's ``template:``) is used; otherwise ``templates/<name>`` in the
folder of the committee file, then of the meeting file (or, for a forward
plan, of the plan); otherwise the default that ships inside packbuilder
(:data:`PACKAGE_TEMPLATES`). No other folder is looked in. The same rule finds the
web agenda's HTML template (``web.html``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
"""The default templates, shipped as package data (``packbuilder/templates/*.docx``)."""

TEMPLATE_NAMES = {
    "agenda": "agenda.docx",
    "report": "report.docx",
    "forward_plan": "forward-plan.docx",
    "contents": "contents.docx",
    "web": "web.html",
}
"""Each kind of template, by its key under ``templates:``, and its file name: Word
templates, and the web agenda's HTML template (Jinja)."""


def find_template(filename: str, folders: Iterable[Path]) -> Path:
    """``templates/<filename>`` in the first of ``folders`` that has it, else the default."""
    for folder in folders:
        candidate = folder / "templates" / filename
        if candidate.is_file():
            return candidate
    return PACKAGE_TEMPLATES / filename


def is_packaged(path: Path) -> bool:
    """True when ``path`` is one of the default templates shipped with packbuilder."""
    return path.parent == PACKAGE_TEMPLATES
