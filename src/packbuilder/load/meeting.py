"""Load and validate a meeting definition (and its committee) into the data model.

The schema below is the reference for the YAML format; the user guide
(docs/meeting-file.md) documents it with an annotated example. Every problem
is reported with the file, line and key, all at once, as a
:class:`~packbuilder.exceptions.DefinitionError`.
"""

from __future__ import annotations

import re
import string
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from ..exceptions import DefinitionError
from ..model.exempt import ENGLAND
from ..model.forwardplan import MAX_MONTHS
from ..model.limits import MB, Limits
from ..model.meeting import (
    REPORT_GROUP_FIELDS,
    AgendaItem,
    Committee,
    Contact,
    DayCounting,
    Deadline,
    Document,
    ExternalLinks,
    FileSource,
    ForwardPlanSource,
    ItemStatus,
    Meeting,
    Member,
    Origin,
    Padding,
    Paper,
    ReportSource,
    Signatory,
    Templates,
    TrackedChanges,
)
from ..paths import display_path, recorded_path
from . import schema as s
from .exempt import EXEMPTION_TABLE, ExemptParagraphs, check_paragraphs
from .paperplaces import check_paper_places
from .plan import PLAN_FILE_NAMES, YAML_SUFFIXES
from .templates import TEMPLATE_NAMES, find_template
from .yamlfile import join_key

PAPER_SUFFIXES = (".pdf", ".docx")


def _origin(node: yaml.Node, ctx: s.Context, key: str) -> Origin:
    return Origin(ctx.file, node.start_mark.line + 1, key or None)


def _skip_if_missing(build):
    """Wrap a build function so it returns MISSING when a field already failed."""

    def wrapper(values: dict[str, Any], node: yaml.Node, ctx: s.Context, key: str) -> Any:
        if s.has_missing(values):
            return s.MISSING
        return build(values, node, ctx, key)

    return wrapper


# --- committee ---------------------------------------------------------------------------------

MEMBER = s.Struct(
    "member",
    {"name": s.Field(s.Str(), required=True), "role": s.Field(s.Str())},
    _skip_if_missing(lambda v, n, c, k: Member(v["name"], v["role"])),
    shorthand=lambda node, ctx, key: {"name": s.Str().convert(node, ctx, key)},
)

CONTACT = s.Struct(
    "contact",
    {
        "name": s.Field(s.Str(), required=True),
        "phone": s.Field(s.Str()),
        "email": s.Field(s.Str()),
    },
    _skip_if_missing(lambda v, n, c, k: Contact(v["name"], v["phone"], v["email"])),
)

SIGNATORY = s.Struct(
    "signatory",
    {"name": s.Field(s.Str(), required=True), "title": s.Field(s.Str(), required=True)},
    _skip_if_missing(lambda v, n, c, k: Signatory(v["name"], v["title"])),
)

TEMPLATES = s.Struct(
    "templates",
    {
        name: s.Field(s.FilePath(suffixes=(".docx",)))
        for name, filename in TEMPLATE_NAMES.items()
        if filename.endswith(".docx")
    }
    | {
        "web": s.Field(
            s.FilePath(
                suffixes=(".html", ".htm"),
                advice="the web agenda's template is an HTML file with Jinja tags: copy "
                "packbuilder's templates/web.html and change it",
            )
        )
    },
)


class WebAddress(s.Type):
    """An ``https://`` (or ``http://``) address, as written."""

    expected = "a web address such as https://www.example.gov.uk/meetings/{meeting}/"

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> str:
        text = str(self._scalar(node).value).strip()
        scheme, _, rest = text.partition("://")
        host = rest.split("/", 1)[0]
        if scheme.lower() not in ("https", "http") or not host or " " in text:
            raise s.Invalid(f"'{text}' is not a web address", f"write {self.expected}")
        return text


DEADLINE = s.Struct(
    "deadline",
    {
        "clear_days": s.Field(s.Int(minimum=0, maximum=60), default=5),
        "counting": s.Field(s.Choice([c.value for c in DayCounting]), default="calendar"),
    },
    _skip_if_missing(lambda v, n, c, k: Deadline(v["clear_days"], DayCounting(v["counting"]))),
)


LIMITS = s.Struct(
    "limits",
    {
        "stream_mb": s.Field(s.Int(minimum=1, maximum=100_000), default=100),
        "picture_mb": s.Field(s.Int(minimum=1, maximum=100_000), default=500),
        "paper_mb": s.Field(s.Int(minimum=1, maximum=1_000_000), default=500),
        "paper_seconds": s.Field(s.Int(minimum=1, maximum=86_400), default=60),
    },
    _skip_if_missing(
        lambda v, n, c, k: Limits(
            v["stream_mb"] * MB, v["picture_mb"] * MB, v["paper_mb"] * MB, v["paper_seconds"]
        )
    ),
)


class Folder(s.Type):
    """A folder that exists, relative to the YAML file's folder."""

    expected = "a folder path"

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> Path:
        text = str(self._scalar(node).value).strip()
        if not text:
            raise s.Invalid("the path is empty", "write the folder's path, or remove it")
        path = s.resolve_written(ctx.base_dir, text)
        if s.path_kind(path, text) != "folder":
            raise s.Invalid(
                f"'{text}' is not a folder (looked for {display_path(path)})",
                "name a folder that exists; paths are relative to the YAML file",
            )
        return path


def _build_committee(values: dict[str, Any], node: yaml.Node, ctx: s.Context, key: str) -> Any:
    if s.has_missing(values):
        return s.MISSING
    templates = dict(values["templates"] or {})
    folders = (ctx.base_dir, *ctx.search_dirs)  # the committee file's, then the meeting's
    for name, filename in TEMPLATE_NAMES.items():
        if templates.get(name) in (None, s.MISSING):
            templates[name] = find_template(filename, folders)
    address = values["address"] or []
    return Committee(
        name=values["name"],
        body=values["body"],
        membership=tuple(values["membership"]),
        contact=values["contact"],
        signatory=values["signatory"],
        templates=Templates(**templates),
        members_prefix=values["members_prefix"],
        address=tuple(address),
        padding=Padding(values["padding"]),
        deadline=values["deadline"] or Deadline(),
        language=values["language"],
        exemptions=values["exempt_information"] or ENGLAND,
        origin=_origin(node, ctx, key),
        markup=values["markup"] == "keep",
        limits=values["limits"] or Limits(),
        paper_folders=tuple(values["paper_folders"] or ()),
        contents=bool(values["contents"]),
        publish_url=values["publish_url"],
    )


COMMITTEE = s.Struct(
    "committee",
    {
        "name": s.Field(s.Str(), required=True, help="e.g. Overview and Scrutiny Board"),
        "body": s.Field(s.Str(), required=True, help="the council, e.g. Middlesbrough Council"),
        "members_prefix": s.Field(s.Str(), default="Councillors"),
        "membership": s.Field(s.ListOf(MEMBER, nonempty=True, label="member"), required=True),
        "contact": s.Field(CONTACT, required=True),
        "signatory": s.Field(SIGNATORY, required=True),
        "address": s.Field(s.ListOf(s.Str(), allow_single=True)),
        "templates": s.Field(TEMPLATES),
        "padding": s.Field(s.Choice([p.value for p in Padding]), default="paper"),
        "deadline": s.Field(DEADLINE),
        "language": s.Field(s.LanguageTag(), default="en-GB"),
        "markup": s.Field(
            s.Choice(["remove", "keep"]),
            default="remove",
            help="keep: PDF papers keep their review comments and markup (an internal pack)",
        ),
        "limits": s.Field(LIMITS, help="how much work one paper may cost"),
        "paper_folders": s.Field(
            s.ListOf(Folder(), allow_single=True),
            help="folders outside the meeting's folder that papers may come from",
        ),
        "exempt_information": s.Field(
            EXEMPTION_TABLE, help="the paragraphs 'exempt:' may cite (default: England's)"
        ),
        "contents": s.Field(
            s.Bool(), default=False, help="true: a contents page after the front sheet"
        ),
        "publish_url": s.Field(
            WebAddress(),
            help="where each meeting's public/ folder is published; {meeting} is the meeting "
            "file's name",
        ),
    },
    _build_committee,
)


class CommitteeRef(s.Type):
    """``committee:`` is a path to a committee file, or the committee written inline."""

    expected = "a committee file path or a committee mapping"

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> Any:
        if isinstance(node, yaml.MappingNode):
            return COMMITTEE.convert(node, ctx, key)
        path = s.FilePath(suffixes=(".yaml", ".yml")).convert(node, ctx, key)
        try:
            return s.load(path, COMMITTEE, search_dirs=(ctx.base_dir,))
        except DefinitionError as exc:
            ctx.problems.items.extend(exc.problems)
            return s.MISSING


# --- papers and items ---------------------------------------------------------------------------


def _default_title(path: Path) -> str:
    words = path.stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else path.name


def _build_document(values: dict[str, Any], node: yaml.Node, ctx: s.Context, key: str) -> Any:
    if s.has_missing(values):
        return s.MISSING
    origin = _origin(node, ctx, key)
    kinds = [name for name in SOURCE_KEYS if name in values and values[name] is not None]
    if len(kinds) != 1:
        allowed = [name for name in SOURCE_KEYS if name in values]
        found = " and ".join(f"'{n}'" for n in kinds) or "none"
        raise s.Invalid(
            f"give exactly one of {', '.join(repr(n) for n in allowed)}; found {found}",
            "use 'file:' for a PDF or Word paper, 'report:' for a cover report from the "
            "template, 'forward_plan:' for a forward-plan table made from the plan's entries",
        )
    given = [k for k in _HANDLING if values.get(k) is not None]
    if given and values.get("file") is None:
        raise s.Invalid(f"'{given[0]}' only applies to a 'file' paper", f"remove '{given[0]}'")
    if values.get("forward_plan") is not None:
        if values["pages"] is not None:
            raise s.Invalid("'pages' only applies to a 'file' paper", "remove 'pages'")
        if values.get("template") is not None:
            raise s.Invalid(
                "a forward-plan table's template is written under 'forward_plan:'",
                "write 'forward_plan: {plan: ..., template: ...}', or leave it out to use "
                "the committee's 'templates: forward_plan:'",
            )
        source = values["forward_plan"]
        title = values["title"] or "Executive Forward Work Programme"
    elif values["file"] is not None:
        if values.get("template") is not None:
            raise s.Invalid("'template' only applies to a 'report' paper", "remove 'template'")
        source = _file_source(values)
        title = values["title"] or _default_title(values["file"])
    else:
        if values["pages"] is not None:
            raise s.Invalid("'pages' only applies to a 'file' paper", "remove 'pages'")
        if not isinstance(values["report"], dict):
            raise s.Invalid(
                "'report' should be the cover report's fields, found "
                + ("a list" if isinstance(values["report"], list) else "text"),
                "write the fields as indented 'key: value' lines under 'report:', such as "
                "'subject: ...' and 'summary: ...'",
            )
        source = ReportSource(values.get("template"), dict(values["report"]))
        title = values["title"] or values["report"].get("subject") or ""
    return Document(title=title, source=source, origin=origin, exempt=values.get("exempt"))


SOURCE_KEYS = ("file", "report", "forward_plan")
_WORD_ONLY = ("tracked_changes", "external_links")
_HANDLING = (*_WORD_ONLY, "markup")


def _file_source(values: dict[str, Any]) -> FileSource:
    """A ``file:`` paper's source, its handling keys checked against its kind of file."""
    path: Path = values["file"]
    if path.suffix.lower() == ".docx":
        if values.get("markup") is not None:
            raise s.Invalid(
                "'markup' applies to PDF papers; this is a Word paper",
                "remove it: LibreOffice does not put Word comments into the PDF",
            )
    else:
        for key in _WORD_ONLY:
            if values.get(key) is not None:
                raise s.Invalid(
                    f"'{key}' applies to Word papers (.docx); this is a PDF", f"remove '{key}'"
                )
    markup = values.get("markup")
    return FileSource(
        path,
        values["pages"],
        markup=None if markup is None else markup == "keep",
        tracked_changes=TrackedChanges(values.get("tracked_changes") or "refuse"),
        external_links=ExternalLinks(values.get("external_links") or "refuse"),
    )


def _plan_folder(folder: Path, text: str) -> s.Invalid | None:
    """A folder will do as a forward plan when it holds plan.yaml or .yaml entries files."""
    try:
        if any(p.suffix.lower() in YAML_SUFFIXES for p in folder.iterdir()):
            return None
    except OSError as exc:
        return s.Invalid(
            f"the folder '{text}' cannot be read ({exc.strerror or exc})",
            "check the folder's permissions",
        )
    return s.Invalid(
        f"'{text}' is a folder, but not a forward plan's: it holds no {PLAN_FILE_NAMES[0]} "
        "and no .yaml entries files",
        "name the plan's .yaml or .csv file, or the folder that holds its plan.yaml",
    )


PLAN_PATH = s.FilePath(suffixes=(".yaml", ".yml", ".csv"), folder=_plan_folder)

FORWARD_PLAN = s.Struct(
    "forward plan table",
    {
        "plan": s.Field(PLAN_PATH, required=True),
        "heading": s.Field(s.Str(), default="APPENDIX A"),
        "as_of": s.Field(s.Date(), help="default: the meeting's publication date"),
        "months": s.Field(s.Int(minimum=1, maximum=MAX_MONTHS)),
        "template": s.Field(s.FilePath(suffixes=(".docx",))),
    },
    _skip_if_missing(
        lambda v, n, c, k: ForwardPlanSource(
            v["plan"], v["heading"], v["as_of"], v["months"], v["template"]
        )
    ),
    shorthand=lambda node, ctx, key: {"plan": PLAN_PATH.convert(node, ctx, key)},
)

_DOCUMENT_FIELDS = {
    "title": s.Field(s.Str(), help="shown as its bookmark"),
    "file": s.Field(s.FilePath(suffixes=PAPER_SUFFIXES, must_exist=False)),
    "pages": s.Field(s.Pages()),
    "forward_plan": s.Field(FORWARD_PLAN, help="a forward-plan table from the plan's entries"),
    "markup": s.Field(
        s.Choice(["remove", "keep"]), help="a PDF's review comments and markup (default remove)"
    ),
    "tracked_changes": s.Field(
        s.Choice([t.value for t in TrackedChanges]),
        help="accept: a Word paper's tracked changes are accepted and its comments removed",
    ),
    "external_links": s.Field(
        s.Choice([e.value for e in ExternalLinks]),
        help="remove: a Word paper's linked pictures, objects and fields are removed",
    ),
    "exempt": s.Field(
        ExemptParagraphs(), help="the Schedule 12A paragraph(s): not for publication"
    ),
}

APPENDIX = s.Struct(
    "appendix",
    _DOCUMENT_FIELDS,
    _build_document,
    shorthand=lambda node, ctx, key: {
        "file": s.FilePath(suffixes=PAPER_SUFFIXES, must_exist=False).convert(node, ctx, key)
    },
)


class ReportFields(s.Any_):
    """A cover report's fields, as written; the group fields (``impacts:``...) must be
    mappings, as the report template reads them (checked here so ``check`` finds it)."""

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> Any:
        fields = super().convert(node, ctx, key)
        if not isinstance(node, yaml.MappingNode):
            return fields  # the paper says "'report' should be the cover report's fields"
        wrong = False
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue  # already reported: "a key must be plain text"
            keys = REPORT_GROUP_FIELDS.get(key_node.value)
            if keys is None or s.is_null(value_node) or isinstance(value_node, yaml.MappingNode):
                continue
            if isinstance(value_node, yaml.ScalarNode) and not value_node.value.strip():
                continue  # empty: the template gets every key empty
            name = key_node.value
            ctx.problems.add(
                value_node,
                join_key(key, name),
                f"the report field '{name}' should be a mapping of {', '.join(keys)}; "
                f"found {s.describe(value_node)}",
                f"write it as '{name}:' followed by indented lines such as '  {keys[0]}: ...'",
            )
            wrong = True
        return s.MISSING if wrong else fields


def _build_paper(values: dict[str, Any], node: yaml.Node, ctx: s.Context, key: str) -> Any:
    if s.has_missing(values):  # a field failed; its problem is already recorded
        return s.MISSING
    appendices = values.pop("appendices") or []
    exempt = values.pop("exempt")  # the whole paper's, appendices included
    document = _build_document(values, node, ctx, key)
    if document is s.MISSING or s.MISSING in appendices:
        return s.MISSING
    return Paper(document, tuple(appendices), exempt)


PAPER = s.Struct(
    "paper",
    {
        **_DOCUMENT_FIELDS,
        "report": s.Field(ReportFields(), help="the cover report's fields"),
        "template": s.Field(s.FilePath(suffixes=(".docx",))),
        "appendices": s.Field(s.ListOf(APPENDIX, label="appendix")),
    },
    _build_paper,
    shorthand=lambda node, ctx, key: {
        "file": s.FilePath(suffixes=PAPER_SUFFIXES, must_exist=False).convert(node, ctx, key)
    },
)


def _build_item(values: dict[str, Any], node: yaml.Node, ctx: s.Context, key: str) -> Any:
    if s.has_missing(values):
        return s.MISSING
    papers = values["papers"] or []
    if s.MISSING in papers:
        return s.MISSING
    status = ItemStatus(values["status"])
    if status is ItemStatus.NORMAL:
        _check_files_exist(papers, ctx)
    number = values["number"]
    return AgendaItem(
        number=number if number is not None else "",
        title=values["title"],
        origin=_origin(node, ctx, key),
        description=values["description"],
        status=status,
        papers=tuple(papers),
        added=values["added"],
        urgency_reason=values["urgency"],
        exempt=values["exempt"],
    )


def _check_files_exist(papers: list[Paper], ctx: s.Context) -> None:
    """Papers of a normal item must exist; those of a to-follow item may arrive later."""
    for paper in papers:
        for document in paper.documents:
            source = document.source
            if isinstance(source, FileSource) and not source.path.is_file():
                shown = display_path(source.path)
                written = recorded_path(source.path, ctx.base_dir)
                guess = s.did_you_mean(source.path, shown if written.startswith("(") else written)
                ctx.problems.items.append(
                    f"{document.origin}: file not found: {shown} — "
                    + (
                        f"{guess} Or "
                        if guess
                        else "check the name and folder (paths are relative to the YAML file), or "
                    )
                    + "set the item's 'status: to-follow' until the paper arrives"
                )


MAX_ITEM_NUMBER = 9999
"""The largest item number: a number is printed, bookmarked and put in file names."""


class ItemNumber(s.Type):
    """An agenda item's number as printed: ``3``, or ``3a`` or ``3.1`` for one added after 3."""

    expected = "an item number such as 3, 3a or 3.1"
    PATTERN = re.compile(r"[1-9][0-9]*([A-Za-z]|\.[1-9][0-9]?)?")
    _WHOLE = re.compile(r"[+-]?[0-9]+")
    _ADVICE = (
        "write a whole number such as 3, or 3a or 3.1 for an item added after item 3; "
        "or leave 'number:' out to number the item by its place"
    )

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> str:
        text = str(self._scalar(node).value).strip()
        digits = text.rstrip(string.ascii_letters)
        if self.PATTERN.fullmatch(text):
            digits = digits.partition(".")[0]
            if int(digits) > MAX_ITEM_NUMBER:
                raise s.Invalid(
                    f"item number {text} is too large",
                    f"write a number from 1 to {MAX_ITEM_NUMBER}",
                )
            return text
        whole = self._WHOLE.fullmatch(digits) is not None
        if whole and int(digits) < 1:
            raise s.Invalid(
                f"item number {text} is below 1: items are numbered from 1",
                self._ADVICE,
            )
        if whole and digits.startswith("0"):
            written = f"{int(digits)}{text[len(digits) :]}"
            raise s.Invalid(f"item number {text} starts with 0", f"write it as {written}")
        raise s.Invalid(f"'{text}' is not an item number", self._ADVICE)


ITEM = s.Struct(
    "agenda item",
    {
        "number": s.Field(ItemNumber(), help="defaults to the item's position"),
        "title": s.Field(s.Str(), required=True),
        "description": s.Field(s.Str()),
        "status": s.Field(s.Choice([x.value for x in ItemStatus]), default="normal"),
        "papers": s.Field(s.ListOf(PAPER, label="paper")),
        "added": s.Field(s.Date(), help="the date the item was added to the agenda"),
        "urgency": s.Field(s.Str(), help="the recorded reason for urgency of a late item"),
        "exempt": s.Field(ExemptParagraphs(), help="Part B: the Schedule 12A paragraph(s)"),
    },
    _build_item,
)


def _build_meeting(values: dict[str, Any], node: yaml.Node, ctx: s.Context, key: str) -> Any:
    _check_published(values, node, ctx)
    if s.has_missing(values):
        return s.MISSING
    items = _number_items(values["items"], node, ctx)
    committee = values["committee"]
    items = tuple(_with_default_templates(i, committee, ctx.problems.items) for i in items)
    check_paper_places(items, ctx.base_dir, committee.paper_folders, ctx.problems.items)
    ctx.problems.items.extend(check_paragraphs(items, committee.exemptions))
    return Meeting(
        path=ctx.file,
        committee=committee,
        date=values["date"],
        time=values["time"],
        venue=values["venue"],
        items=items,
        notices=tuple(values["notices"] or ()),
        published=values["published"],
        revision=values["revision"],
        title=values["title"],
        contents=values["contents"],
    )


def _check_published(values: dict[str, Any], node: yaml.Node, ctx: s.Context) -> None:
    """The agenda is published before the meeting (or, very late, on its day), not after."""
    published, date = values["published"], values["date"]
    if published in (None, s.MISSING) or date in (None, s.MISSING) or published <= date:
        return
    ctx.problems.add(
        _value_node(node, "published"),
        "published",
        f"the agenda is published on {published.isoformat()}, after the meeting on "
        f"{date.isoformat()}",
        "'published:' is the day the agenda was (or will be) published, before the meeting; "
        "correct it or the meeting's 'date:'",
    )


def _value_node(node: yaml.Node, name: str) -> yaml.Node:
    """The value written under ``name`` in the mapping ``node`` (``node`` if not there)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == name:
                return value_node
    return node


def _with_default_templates(
    item: AgendaItem, committee: Committee, problems: list[str]
) -> AgendaItem:
    """Give report papers and forward-plan tables without their own template the committee's.

    A cover report uses ``templates: report:``, a forward-plan table
    ``templates: forward_plan:`` (found by :mod:`.templates`' rule when the
    committee does not name it).
    """

    def fill(document: Document) -> Document:
        source = document.source
        if isinstance(source, ReportSource):
            key, what = "report", "report"
        elif isinstance(source, ForwardPlanSource):
            key, what = "forward_plan", "forward plan"
        else:
            return document
        if source.template is None:
            source = replace(source, template=getattr(committee.templates, key))
            document = replace(document, source=source)
        if not source.template.is_file():
            problems.append(
                f"{document.origin}: the {what} template {source.template} does not exist — "
                f"name an existing .docx under 'template:' or under the committee's "
                f"'templates: {key}:', or put {TEMPLATE_NAMES[key]} in templates/"
            )
        return document

    papers = tuple(
        replace(p, document=fill(p.document), appendices=tuple(fill(a) for a in p.appendices))
        for p in item.papers
    )
    return replace(item, papers=papers)


def printed_numbers(written: list[str | None]) -> list[str]:
    """The number each item prints: its own ``number:``, else one more than the last whole
    number before it, so that items after a sub-item go on counting (2, 2a, 3)."""
    numbers: list[str] = []
    last = 0
    for number in written:
        if number:
            lead = re.match(r"[0-9]+", number)
            last = int(lead.group()) if lead else last
            numbers.append(number)
        else:
            last += 1
            numbers.append(str(last))
    return numbers


def _valid_number(text: str) -> str | None:
    """``text`` if it is an item number that :class:`ItemNumber` accepts, else None."""
    if not ItemNumber.PATTERN.fullmatch(text):
        return None
    return (
        text
        if int(text.rstrip(string.ascii_letters).partition(".")[0]) <= MAX_ITEM_NUMBER
        else None
    )


def _item_labels(node: yaml.SequenceNode) -> list[str]:
    """``item 9``: each agenda item as messages name it, by the number it will print."""
    written: list[str | None] = []
    for child in node.value:
        number = None
        if isinstance(child, yaml.MappingNode):
            for key_node, value_node in child.value:
                if getattr(key_node, "value", None) == "number" and isinstance(
                    value_node, yaml.ScalarNode
                ):
                    number = _valid_number(value_node.value.strip())
        written.append(number)
    return [f"item {number}" for number in printed_numbers(written)]


def _number_items(items: list[AgendaItem], node: yaml.Node, ctx: s.Context) -> tuple:
    present = [item for item in items if item is not s.MISSING]
    numbers = printed_numbers([item.number or None for item in present])
    numbered: list[AgendaItem] = []
    seen: dict[str, AgendaItem] = {}
    for item, number in zip(present, numbers, strict=True):
        item = replace(item, number=number)
        if item.number in seen:
            first = seen[item.number]
            ctx.problems.items.append(
                f"{item.origin}: item number {item.number} is used twice "
                f"(first at line {first.origin.line}) — give each item its own number"
            )
        seen[item.number] = item
        numbered.append(item)
    return tuple(numbered)


MEETING = s.Struct(
    "meeting",
    {
        "committee": s.Field(CommitteeRef(), required=True, help="a committee file path"),
        "title": s.Field(s.Str(), help="defaults to the committee name"),
        "date": s.Field(s.Date(), required=True),
        "time": s.Field(s.Str(), required=True, help="as printed, e.g. '10.00 am'"),
        "venue": s.Field(s.Str(), required=True),
        "notices": s.Field(s.ListOf(s.Str(), allow_single=True)),
        "published": s.Field(s.Date(), help="the publication date printed on the agenda"),
        "revision": s.Field(s.Int(minimum=1)),
        "contents": s.Field(
            s.Bool(), help="true or false: a contents page (default: the committee's 'contents:')"
        ),
        "items": s.Field(s.ListOf(ITEM, nonempty=True, label=_item_labels), required=True),
    },
    _build_meeting,
)


def load_meeting(path: Path | str, problems_found: list[str] | None = None) -> Meeting | None:
    """Load and validate a meeting definition file; raise DefinitionError listing all problems.

    With ``problems_found``, the problems are added to it instead of raised, and the
    meeting is returned when it could be made despite them (a publication date after
    the meeting, a paper not found...), so that a caller can go on to find the problems
    of the papers too; None when it could not.
    """
    path = Path(path)
    try:
        is_dir = path.is_dir()
    except OSError:
        is_dir = False  # reading it says why it cannot be read
    if is_dir:
        raise DefinitionError(
            [f"{path}: is a folder"], hint="give the meeting's .yaml file, e.g. meetings/osb.yaml"
        )
    meeting = s.load(path, MEETING, problems_found)
    return None if meeting is s.MISSING else meeting
