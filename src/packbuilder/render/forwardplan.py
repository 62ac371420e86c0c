"""Render an edition of the forward plan through ``templates/forward-plan.docx`` (docxtpl).

The template is the whole edition; its variables:

``heading``
    printed above everything when set (``APPENDIX A`` for the agenda pack);
``title``, ``subtitle``
    the title block of the standalone edition (empty in the appendix);
``groups``
    each with ``portfolio`` and ``entries``; an entry has ``reference``,
    ``wards`` (``Newport; North Ormesby``), ``subject``, ``description``,
    ``decision_maker``, ``due`` (``14 Jun 2022``), ``key`` (``KEY``, ``PFP``,
    ``KEY / PFP`` or empty), ``key_reason``, ``exemption``, ``background``
    (one document a line), ``member`` and ``officer``;
``notes``
    paragraphs printed after the table (reg 9(1)(f)-(h));
``private``, ``private_notice``
    the notice of intention to take decisions in private (reg 5 of SI 2012/2089), in
    the standalone edition: each decision with ``reference``, ``subject``,
    ``decision`` (who decides, when) and ``reason`` (the paragraphs of exempt
    information and their wording); the notice's ``heading``, ``intro`` and
    ``representations`` (empty when no decision is private);
``footer``, ``page_numbers``
    footer text, and whether to print "Page N of M" (not in the pack, which
    stamps its own page numbers).

Rendering goes through :mod:`packbuilder.render` (its sandboxed Jinja environment
with autoescape and StrictUndefined, and its error messages) in one function,
:func:`render_docx`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import render as docx_render
from ..datefmt import abbreviated_date, day_month_year
from ..exceptions import TemplateError
from ..forwardplan.select import Edition, build_edition
from ..load.templates import find_template
from ..model.exempt import paragraphs_phrase
from ..model.forwardplan import DEFAULT_TEMPLATE_NAME, Entry, Plan, PlanSettings


def entry_context(entry: Entry) -> dict[str, str]:
    """The template variables of one entry (every one present, empty when not given)."""
    labels = [label for label, on in (("KEY", entry.is_key), ("PFP", entry.policy_framework)) if on]
    return {
        "reference": entry.reference,
        "wards": "; ".join(entry.wards),
        "subject": entry.subject,
        "description": entry.description or "",
        "decision_maker": entry.decision_maker or "",
        "due": abbreviated_date(entry.due_date) if entry.due_date else "",
        "key": " / ".join(labels),
        "key_reason": entry.key or "",
        "exemption": (
            f"Exempt – {paragraphs_phrase(entry.exempt)}"
            if entry.is_private
            else entry.likely_exemption or ""
        ),
        "background": "\n".join(entry.background_documents or ()),
        "member": entry.executive_member or "",
        "officer": entry.officer or "",
    }


def edition_context(
    edition: Edition, settings: PlanSettings, *, heading: str | None = None, standalone: bool = True
) -> dict[str, Any]:
    """The template variables of an edition; ``standalone=False`` for an agenda appendix."""
    groups = [
        {"portfolio": group.portfolio, "entries": [entry_context(e) for e in group.entries]}
        for group in edition.groups
    ]
    context: dict[str, Any] = {
        "heading": heading or "",
        "title": "",
        "subtitle": "",
        "groups": groups,
        "notes": [],
        "footer": "",
        "page_numbers": False,
        "private": [],
        "private_notice": {"heading": "", "intro": "", "representations": ""},
    }
    if standalone:
        council = f"{settings.body}: " if settings.body else ""
        context.update(
            title=settings.title,
            subtitle=f"{council}published {day_month_year(edition.as_of)}, decisions due from "
            f"{day_month_year(edition.window.start)} to {day_month_year(edition.window.end)}",
            notes=_notes(settings),
            footer=f"{settings.title}, {day_month_year(edition.as_of)}",
            page_numbers=True,
        )
        private = [entry for entry in edition.entries if entry.is_private]
        if private:
            context["private"] = [_private_context(entry, settings) for entry in private]
            context["private_notice"] = _private_notice(settings)
    return context


PRIVATE_HEADING = "NOTICE OF INTENTION TO TAKE DECISIONS IN PRIVATE"


def _private_context(entry: Entry, settings: PlanSettings) -> dict[str, str]:
    """One decision of the notice of intention: what, who and when, and why in private."""
    table = settings.exemptions
    when = f" on {abbreviated_date(entry.due_date)}" if entry.due_date else ""
    reasons = " ".join(f"{n}. {table.wording(n)}" for n in entry.exempt)
    return {
        "reference": entry.reference,
        "subject": entry.subject,
        "decision": f"To be decided by {entry.decision_maker or 'the decision maker'}{when}.",
        "reason": f"It involves exempt information as described in "
        f"{table.citation(entry.exempt)}: {reasons}",
    }


def _private_notice(settings: PlanSettings) -> dict[str, str]:
    """The notice's fixed text (reg 5(2)-(5) of SI 2012/2089)."""
    where = settings.documents_address or (settings.body or "the council")
    return {
        "heading": PRIVATE_HEADING,
        "intro": "Regulation 5 of the Local Authorities (Executive Arrangements) (Meetings and "
        "Access to Information) (England) Regulations 2012: notice is given that the "
        "decisions below are likely to be taken in a meeting, or part of a meeting, held "
        "in private, for the reasons given.",
        "representations": "Anyone may make representations about why a meeting should be "
        f"open to the public, to {where}. Any representations received, and the response to "
        "them, will be published at least 5 clear days before the meeting.",
    }


def _notes(settings: PlanSettings) -> list[str]:
    notes = []
    if settings.documents_address:
        notes.append(
            f"Copies of the documents listed can be had from {settings.documents_address}."
        )
    if settings.documents_note:
        notes.append(settings.documents_note)
    return notes


def resolve_template(plan: Plan, template: Path | None = None) -> Path:
    """The template to use: ``template``, the plan's ``template:``, else ``templates/`` in the
    plan's folder, else the default (:func:`packbuilder.load.templates.find_template`)."""
    chosen = template or plan.settings.template
    if chosen is None:
        folder = plan.path if plan.path.is_dir() else plan.path.parent
        chosen = find_template(DEFAULT_TEMPLATE_NAME, [folder])
    if not Path(chosen).is_file():
        raise TemplateError(
            f"the forward plan template {chosen} does not exist",
            hint="name a .docx under 'template:' in the plan, or leave 'template:' out to "
            "use the default",
        )
    return Path(chosen)


def render_docx(
    template: Path, context: dict[str, Any], out: Path, *, title: str, where: str | None = None
) -> None:
    """Fill ``template`` with ``context`` into ``out``: the one place docxtpl is called.

    ``where`` is what a :class:`TemplateError` says the template was used for.
    """
    docx_render.fill_template(template, context, out, title=title, language="en-GB", where=where)


def render_edition(
    plan: Plan,
    edition: Edition,
    out_docx: Path,
    *,
    heading: str | None = None,
    standalone: bool = True,
    template: Path | None = None,
    where: str | None = None,
) -> Path:
    """Render ``edition`` of ``plan`` to ``out_docx``; return the template used."""
    chosen = resolve_template(plan, template)
    context = edition_context(edition, plan.settings, heading=heading, standalone=standalone)
    title = f"{plan.settings.title} – {day_month_year(edition.as_of)}"
    render_docx(chosen, context, out_docx, title=title, where=where)
    return chosen


@dataclass(frozen=True)
class Appendix:
    """A forward plan rendered as an agenda appendix: what was read to make it."""

    plan: Plan
    edition: Edition
    template: Path

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file read: the plan's files and the template."""
        return (*self.plan.files, self.template)


def render_appendix(
    plan: Plan,
    out_docx: Path,
    *,
    as_of: dt.date,
    months: int | None = None,
    heading: str = "APPENDIX A",
    template: Path | None = None,
    where: str | None = None,
) -> Appendix:
    """Render the forward plan as an agenda appendix (no title block, no page numbers).

    ``plan`` is the plan, loaded once per build by the caller. ``as_of`` is the
    edition's date (:func:`packbuilder.forwardplan.select.edition_date`);
    ``months`` defaults to the plan's; ``template`` to the
    plan's (see :func:`resolve_template`); ``where`` is the table's place in the
    meeting file, for messages. Returns the plan, the edition (its entries and
    window) and the template, for the caller's records. The .docx still has to
    be converted to PDF.
    """
    edition = build_edition(plan, as_of, months)
    chosen = render_edition(
        plan, edition, out_docx, heading=heading, standalone=False, template=template, where=where
    )
    return Appendix(plan, edition, chosen)
