"""Template failures as :class:`TemplateError` messages that say what to correct.

Opening a template that is missing, not a Word document or damaged; a broken
Jinja tag; a tag that does not fit its value; a tag that cuts across Word's
structure; and a variable that is not defined, named as it is written in the
template with the variables (or fields) that are.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2.sandbox import SecurityError
from lxml import etree

from ..exceptions import TemplateError
from ..paths import display_path
from .filters import TemplateLimitError

# --- opening ------------------------------------------------------------------------------

OPEN_ERRORS = (
    zipfile.BadZipFile,
    PackageNotFoundError,
    KeyError,
    EOFError,
    ValueError,
    etree.LxmlError,
    OSError,
)
"""What opening a file that is not a usable .docx raises."""

_NOT_WORD_HINT = (
    "open it in Word and save it as 'Word Document (*.docx)', or point the committee's "
    "'templates:' setting at a .docx file"
)


def missing_template(template: Path, where: str | None) -> TemplateError:
    """The template file does not exist."""
    return TemplateError(
        f"the template {display_path(template)} does not exist",
        hint="check the path, or run 'python tools/make_templates.py' to create the "
        "default templates in templates/",
        where=where,
    )


def open_error(template: Path, exc: BaseException, where: str | None) -> TemplateError:
    """The template could not be opened (``exc`` is one of :data:`OPEN_ERRORS`)."""
    name = display_path(template)
    if isinstance(exc, zipfile.BadZipFile | PackageNotFoundError | KeyError | EOFError):
        return TemplateError(
            f"{name} is not a Word document (.docx)", hint=_NOT_WORD_HINT, where=where
        )
    if isinstance(exc, ValueError):  # python-docx: a zip package of another kind (.xlsx, .dotx...)
        return TemplateError(
            f"{name} is not a Word document (.docx): {_reason(exc)}",
            hint=_NOT_WORD_HINT,
            where=where,
        )
    if isinstance(exc, etree.LxmlError):
        return TemplateError(
            f"{name} is a damaged Word document: {exc}", hint=_NOT_WORD_HINT, where=where
        )
    return TemplateError(  # an OSError
        f"{name} cannot be read: {getattr(exc, 'strerror', None) or exc}",
        hint="check the file's permissions",
        where=where,
    )


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().strip('"')
    return text or type(exc).__name__


# --- filling in ---------------------------------------------------------------------------

RENDER_ERRORS = (
    jinja2.TemplateError,
    etree.LxmlError,
    TypeError,
    ValueError,
    AttributeError,
    KeyError,
    IndexError,
    ArithmeticError,
    RecursionError,
)
"""What filling in a template with tags that do not fit raises."""


def render_error(
    template: Path, context: Mapping[str, Any], exc: BaseException, where: str | None
) -> TemplateError:
    """Filling in the template failed (``exc`` is one of :data:`RENDER_ERRORS`)."""
    name = display_path(template)
    if isinstance(exc, jinja2.UndefinedError):
        return _undefined_error(template, context, exc, where)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(
            f"{name} has a broken Jinja tag: {exc.message}{_tag_place(exc)}",
            hint="open the template in Word and correct the tag: every '{{' needs its '}}', "
            "every '{%p if %}' / '{%p for %}' its '{%p endif %}' / '{%p endfor %}', and a "
            "{%p ...%} tag must be alone in its paragraph ({%tr ...%} alone in its table row)",
            where=where,
        )
    if isinstance(exc, SecurityError):
        return _security_error(name, exc, where)
    if isinstance(exc, jinja2.TemplateError):
        return TemplateError(
            f"{name} could not be filled in: {exc.message or exc}",
            hint="open the template in Word and check the Jinja tags",
            where=where,
        )
    if isinstance(exc, etree.LxmlError):
        return TemplateError(
            f"filling in {name} produced a damaged Word document: {exc}",
            hint="a Jinja tag probably cuts across Word's structure (a {%p ...%} tag that is "
            "not alone in its paragraph, or a loop that starts in one table cell and ends in "
            "another); retype the tag in a paragraph of its own",
            where=where,
        )
    return TemplateError(
        f"{name} could not be filled in: {type(exc).__name__}: {exc}",
        hint="a tag applies an operation that does not fit the value (for example "
        "arithmetic on text); check the template's tags against the fields in the YAML",
        where=where,
    )


def _security_error(name: str, exc: SecurityError, where: str | None) -> TemplateError:
    """A tag the sandbox refused: Python's internals, or a huge range, text or number."""
    if isinstance(exc, TemplateLimitError):
        return TemplateError(
            f"{name} asks for too much: {exc.message or exc}",
            hint="a tag makes an enormous range, text or number (for example "
            "'range(10**8)'); correct or remove it in the template (open it in Word): an "
            "agenda or a table needs only the lists it is given",
            where=where,
        )
    return TemplateError(
        f"{name} uses a tag that is not allowed: {(exc.message or str(exc)).rstrip('.')}",
        hint="templates may use the variables, their fields and the filters described in "
        "the user guide (docs/templates.md), not Python's internals (names that start with "
        "'_', such as __class__); remove the tag from the template (open it in Word)",
        where=where,
    )


def _tag_place(exc: jinja2.TemplateSyntaxError) -> str:
    """`` (in the paragraph "...")`` from docxtpl's record of the text around the error."""
    context = getattr(exc, "docx_context", None)
    if context is None or exc.lineno is None:
        return ""
    lines_around = list(context)
    start = max(exc.lineno - 4, 0)
    index = exc.lineno - 1 - start
    if not 0 <= index < len(lines_around):
        return ""
    text = " ".join(lines_around[index].split())
    if not text:
        return ""
    if len(text) > 120:
        text = text[:117] + "..."
    return f' (in the paragraph "{text}")'


# --- unknown variables --------------------------------------------------------------------

_UNDEFINED_NAME = re.compile(r"^'(?P<name>[^']+)' is undefined$")
_MISSING_ATTRIBUTE = re.compile(r"has no attribute '(?P<name>[^']+)'$")
_EXPRESSION = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def _template_text(template: Path) -> str:
    """The template's Jinja source as docxtpl sees it (XML tags removed)."""
    try:
        tpl = DocxTemplate(str(template))
        tpl.init_docx()
        xml = tpl.patch_xml(tpl.get_xml())
    except Exception:  # only used to improve a message; never fail because of it
        return ""
    return re.sub(r"<[^>]+>", "", xml)


def _written_as(template: Path, name: str, attribute: bool) -> list[str]:
    """The expressions in the template's tags that end in the missing ``name``."""
    found: list[str] = []
    for tag in _TAG.findall(_template_text(template)):
        for expression in _EXPRESSION.findall(tag):
            parts = expression.split(".")
            if parts[-1] != name or (attribute and len(parts) < 2):
                continue
            if not attribute and len(parts) > 1:
                expression = parts[0]
            if expression not in found:
                found.append(expression)
    return found


def _resolve(context: Mapping[str, Any], dotted: str) -> Any:
    """Look ``a.b`` up in the context; loop variables (``item``) by their list (``items``)."""
    parts = dotted.split(".")
    head = parts[0]
    if head in context:
        value = context[head]
    elif isinstance(context.get(head + "s"), list) and context[head + "s"]:
        value = context[head + "s"][0]
    else:
        return None
    for part in parts[1:]:
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            return None
    return value


def _undefined_error(
    template: Path, context: Mapping[str, Any], exc: jinja2.UndefinedError, where: str | None
) -> TemplateError:
    name_ = display_path(template)
    message = exc.message or str(exc)
    top = _UNDEFINED_NAME.search(message)
    attr = _MISSING_ATTRIBUTE.search(message)
    if top:
        name, attribute = top.group("name"), False
    elif attr:
        name, attribute = attr.group("name"), True
    else:
        return TemplateError(
            f"{name_} uses a variable that is not defined ({message})",
            hint=f"the variables available are: {', '.join(context)}",
            where=where,
        )
    written = _written_as(template, name, attribute) or [name]
    shown = " or ".join(f"{{{{ {expression} }}}}" for expression in written)
    hint = _undefined_hint(context, name, written[0], attribute)
    return TemplateError(f"{name_} uses {shown}, which is not defined", hint=hint, where=where)


def _undefined_hint(context: Mapping[str, Any], name: str, first: str, attribute: bool) -> str:
    """What to do about the missing ``name``, written ``first`` in the template."""
    parent = first.rsplit(".", 1)[0] if attribute and "." in first else None
    if parent is None:
        available = list(context)
        return (
            f"the variables available in this template are: {', '.join(available)}; "
            "correct the name in the template (open it in Word)"
        )
    owner = _resolve(context, parent)
    keys = ", ".join(owner) if isinstance(owner, Mapping) else ""
    if parent.split(".")[0] == "report":
        under = "".join(f"'{part}:' under " for part in reversed(first.split(".")[1:-1]))
        hint = (
            f"add '{name}:' under {under}'report:' in the meeting file, "
            "or correct the name in the template"
        )
        if keys:
            hint += f"; the fields of {parent} are: {keys}"
        return hint
    if keys:
        return f"{parent} has: {keys}; correct the name in the template (open it in Word)"
    return "correct the name in the template (open it in Word)"
