"""Filling a Word template: open it, render it with the Jinja environment, save it.

A render goes through the active render cache (:mod:`packbuilder.render.cache`)
when a build has one: a template filled with the same context before is
copied from the cache instead of being rendered again. In a build through a
session (:mod:`packbuilder.inputs.session`), a template is opened from the bytes the
session read and hashed, and a template used as it is in its file (not the
agenda with links) whose parts' digest an earlier build noted is not opened
at all when its render is in the cache.

Every .docx is saved with fixed zip timestamps (:data:`ZIP_TIMESTAMP`), so
the same content gives the same bytes: the published ``agenda.docx``, the
cover reports and the forward plan are reproducible.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docxtpl import DocxTemplate

from ..exceptions import OutputError, TemplateError
from ..inputs import docxcheck, session
from ..model.meeting import AgendaItem, Document, Meeting
from ..paths import display_path
from . import cache as rendercache
from .context import (
    ContentsLine,
    build_agenda_context,
    build_contents_context,
    build_report_context,
)
from .errors import OPEN_ERRORS, RENDER_ERRORS, missing_template, open_error, render_error
from .filters import jinja_environment, plain, short_date

LINK_STYLE = "Hyperlink"
"""The character style of the agenda's page-range links (Word's own link style).

LibreOffice (7.4) exports a text hyperlink as a PDF link only when its run has
a character style defined in the document; the templates define this one as
plain text, so a range looks like the reference, and rendering adds it to a
template that lacks it.
"""


def render_agenda(
    template: Path,
    meeting: Meeting,
    item_pages: Mapping[str, str],
    out: Path,
    *,
    kind: str = "Agenda",
    revised: bool = False,
    links: bool = True,
) -> None:
    """Render the agenda front sheet to ``out`` (.docx).

    ``item_pages`` maps item number -> printed page range (``3 - 10``) for the
    items that have pages in the pack. With ``links`` the ranges link to
    ``LINK_PREFIX`` + item number, for the assembler to turn into links to the
    pack's pages; without, they are plain text (for the published .docx).
    """
    title = f"{meeting.display_title} – {kind} – {short_date(meeting.date)}"
    language = meeting.committee.language
    if not links:
        context = build_agenda_context(meeting, item_pages, kind=kind, revised=revised)
        fill_template(template, context, out, title=title, language=language)
        return
    tpl = open_template(template)
    url_id = tpl.build_url_id
    link_style = _character_style_id(tpl, LINK_STYLE)
    context = build_agenda_context(
        meeting, item_pages, kind=kind, revised=revised, url_id=url_id, link_style=link_style
    )
    _render(tpl, template, context, out, title=title, language=language, as_filed=False)


def render_contents(
    template: Path,
    meeting: Meeting,
    lines: Sequence[ContentsLine],
    out: Path,
    *,
    kind: str = "Agenda",
    revised: bool = False,
) -> None:
    """Render the contents page to ``out`` (.docx): each line's range links to
    ``LINK_PREFIX`` + its key, for the assembler to turn into a link to its page."""
    tpl = open_template(template, where="the contents page")
    link_style = _character_style_id(tpl, LINK_STYLE)
    context = build_contents_context(
        meeting, lines, kind=kind, revised=revised, url_id=tpl.build_url_id, link_style=link_style
    )
    title = f"{meeting.display_title} – Contents – {short_date(meeting.date)}"
    language = meeting.committee.language
    _render(tpl, template, context, out, title=title, language=language, as_filed=False)


def render_report(
    template: Path, meeting: Meeting, item: AgendaItem, document: Document, out: Path
) -> None:
    """Render a cover report (``document.source`` is a :class:`ReportSource`) to ``out``."""
    where = str(document.origin) if document.origin else None
    context = build_report_context(meeting, item, document)
    title = plain(context["report"].get("subject")) or document.title
    fill_template(
        template, context, out, where=where, title=title, language=meeting.committee.language
    )


def fill_template(
    template: Path,
    context: dict[str, Any],
    out: Path,
    *,
    where: str | None = None,
    title: str | None = None,
    language: str | None = None,
) -> None:
    """Fill ``template`` with ``context`` into ``out`` (.docx), through the render cache.

    ``title`` and ``language`` are set as the document's properties; ``where``
    is what a :class:`TemplateError` says the template was used for.
    """
    if _fetch_unopened(template, context, out, title=title, language=language):
        return
    tpl = open_template(template, where=where)
    _render(tpl, template, context, out, where=where, title=title, language=language)


def open_template(template: Path, *, where: str | None = None) -> DocxTemplate:
    """The template, opened; :class:`TemplateError` when it is missing or not a .docx."""
    if not Path(template).is_file():
        raise missing_template(template, where)
    source = _template_file(template)
    _refuse_zip_bomb(template, source, where)
    tpl = DocxTemplate(source)
    try:
        tpl.init_docx()
    except OPEN_ERRORS as exc:
        raise open_error(template, exc, where) from exc
    return tpl


def _refuse_zip_bomb(template: Path, source: str | BytesIO, where: str | None) -> None:
    """Refuse a template whose zip declares sizes no Word document has, before inflating it."""
    try:
        with zipfile.ZipFile(source) as archive:
            what = docxcheck.swollen(archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a zip at all: opening it says so
    finally:
        if isinstance(source, BytesIO):
            source.seek(0)
    if what is not None:
        raise TemplateError(
            f"{display_path(template)} {what}; {docxcheck.ZIP_BOMB}",
            hint="use another template: the default ones are made by "
            "'python tools/make_templates.py'",
            where=where,
        )


def _template_file(template: Path) -> str | BytesIO:
    """What to open ``template`` from: the bytes the build's session read and hashed, or
    (with no session, or when it cannot be read that way) the file."""
    build = session.active()
    if build is not None:
        try:
            return BytesIO(build.read(template))
        except OSError:
            pass
    return str(template)


def _fetch_unopened(
    template: Path,
    context: dict[str, Any],
    out: Path,
    *,
    title: str | None,
    language: str | None,
) -> bool:
    """Copy the cached render of ``template`` with ``context`` to ``out`` without opening
    the template, when the build's session knows its parts' digest; False otherwise."""
    render_cache = rendercache.active()
    build = session.active()
    if render_cache is None or build is None or not Path(template).is_file():
        return False
    try:
        build.read(template)
    except OSError:
        return False
    parts = build.template_parts(template)
    if parts is None:
        return False
    try:
        key = rendercache.key_for(parts, context, title=title, language=language)
    except rendercache.Uncacheable:
        return False
    if not render_cache.fetch(key, out):
        return False
    render_cache.stats.reused.append(display_path(template))
    build.stats.templates_reused.append(Path(template))
    return True


def _character_style_id(tpl: DocxTemplate, name: str) -> str:
    """The id of the character style ``name``, added (plain) if the template lacks it."""
    styles = tpl.docx.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    return style.style_id


def _render(
    tpl: DocxTemplate,
    template: Path,
    context: dict[str, Any],
    out: Path,
    *,
    where: str | None = None,
    title: str | None = None,
    language: str | None = None,
    as_filed: bool = True,
) -> None:
    """Render the opened ``tpl`` to ``out``, or copy the cached render of the same input.

    ``as_filed``: nothing was changed in ``tpl`` since it was opened, so its
    parts' digest is that of the template file (and is noted in the session).
    """
    name = display_path(template)
    render_cache = rendercache.active()
    build = session.active()
    if build is not None:
        build.stats.templates_opened.append(Path(template))
    key = None
    if render_cache is not None:
        try:
            parts = rendercache.template_digest(tpl)
            if as_filed and build is not None:
                build.remember_parts(template, parts)
            key = rendercache.key_for(parts, context, title=title, language=language)
        except rendercache.Uncacheable:
            key = None
        if key is not None and render_cache.fetch(key, out):
            render_cache.stats.reused.append(name)
            return
    try:
        tpl.render(context, jinja_env=jinja_environment(), autoescape=True)
    except RENDER_ERRORS as exc:
        raise render_error(template, context, exc, where) from exc
    if title:
        tpl.docx.core_properties.title = title
    if language:
        tpl.docx.core_properties.language = language
    _save(tpl, out)
    if render_cache is not None:
        render_cache.stats.rendered.append(name)
        if key is not None:
            render_cache.store(key, out)


ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
"""The time every part of a saved .docx is stamped with in the zip (the earliest a zip
can hold), so the same document gives the same bytes whenever it is saved."""


def _save(tpl: DocxTemplate, out: Path) -> None:
    """Save ``tpl`` to ``out`` reproducibly: the one place packbuilder writes a .docx."""
    buffer = BytesIO()
    tpl.save(buffer)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(with_fixed_timestamps(buffer.getvalue()))
    except OSError as exc:
        raise OutputError(
            f"cannot write {out}: {exc.strerror or exc}",
            hint="check that the output folder exists, is writable and the disk is not full",
        ) from exc


def with_fixed_timestamps(docx: bytes) -> bytes:
    """The zip ``docx`` with every part stamped :data:`ZIP_TIMESTAMP`, otherwise the same."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for part in source.infolist():
            info = zipfile.ZipInfo(part.filename, date_time=ZIP_TIMESTAMP)
            info.compress_type = part.compress_type
            info.external_attr = part.external_attr
            target.writestr(info, source.read(part))
    return out.getvalue()
