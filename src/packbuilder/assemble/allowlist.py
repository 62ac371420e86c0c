"""What a paper's page keeps in the pack: an allow-list, not a deny-list.

A page copied into the pack keeps what is known to be safe and needed to show
it, and nothing else:

* of the page's own entries, its boxes, rotation, ``/UserUnit``, transparency
  ``/Group``, tab order and ``/StructParents`` (:data:`PAGE_KEEP`); its content
  and the resources the content uses are written by :mod:`.pages`;
* of its annotations, links (:data:`LINK_KEEP`) whose action is a link to a
  page of the paper (``/GoTo``) or a web or email address (``/URI`` with
  ``http``, ``https`` or ``mailto``); form fields, without their actions
  (:data:`WIDGET_KEEP`); and review comments and other markup
  (:data:`MARKUP_SUBTYPES`) only when the paper or committee says
  ``markup: keep``. Hidden annotations (the Hidden or NoView flag) are never kept.

Everything else is left out and named, by kind, in the clerk's warning
(:func:`page_left_out`, :func:`annotation_verdict`, :func:`action_problems`).
Every check runs on objects as resolved: an ``/S`` or ``/Subtype`` that is an
indirect reference is followed, a ``/Next`` chain is followed to its end
however long, and a chain that loops back is followed once round.

A link's action is not copied but written anew (:func:`link_action`): only
``/S`` and ``/D`` or ``/URI``; a link to a PDF on the web (``/GoToR`` to an
``http`` or ``https`` address) becomes a web link to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from pypdf.generic import NameObject

from .refs import resolve

# --- what is left out, as the clerk's warning names it ---------------------------------------

JAVASCRIPT = "JavaScript"
LAUNCH = "links that start a program or open a file"
OTHER_FILE = "links to other files"
UNSAFE_URI = "links to addresses that are not web pages or email"
FORM_DATA = "actions that send or load form data"
MEDIA_ACTIONS = "actions that play sound, video or 3D"
OTHER_ACTIONS = "other actions"
AUTOMATIC = "actions run by form fields or when a page opens"
ATTACHMENT = "attached files"
MEDIA = "sound, video, 3D and rich media"
MARKUP = "review comments and markup"
HIDDEN = "hidden annotations and form fields"
REDACTION = "redactions marked but not applied"
OTHER_ANNOTATIONS = "other annotations"
PAGE_METADATA = "page metadata (XMP)"
PIECE_INFO = "application editing data (PieceInfo)"
THUMBNAIL = "page thumbnails"
PRIVATE = "private page entries"

Problem = tuple[str, str]
"""(what kind of thing was left out, a detail such as the file it names, or "")."""

# --- pages ---------------------------------------------------------------------------------

PAGE_KEEP = frozenset(
    {
        "/MediaBox",
        "/CropBox",
        "/BleedBox",
        "/TrimBox",
        "/ArtBox",
        "/Rotate",
        "/UserUnit",
        "/Group",
        "/Tabs",
        "/StructParents",  # the structure needed for tagging
    }
)
"""A page's own entries the pack keeps as they are."""
PAGE_WRITTEN = frozenset({"/Type", "/Parent", "/Contents", "/Resources", "/Annots"})
"""Entries the pack writes itself (its content, resources and annotations, filtered)."""
PAGE_QUIET = frozenset(
    {"/LastModified", "/Trans", "/Dur", "/PZ", "/B", "/ID", "/SeparationInfo", "/VP"}
    | {"/PresSteps", "/DPart", "/BoxColorInfo", "/OutputIntents"}
)
"""Entries left out without a warning: presentation and production details nobody reads."""
PAGE_NAMED = {
    "/Metadata": PAGE_METADATA,
    "/PieceInfo": PIECE_INFO,
    "/Thumb": THUMBNAIL,
    "/AF": ATTACHMENT,
}


def page_entries(page: dict) -> tuple[dict[str, Any], list[Problem]]:
    """The entries of a source page the pack keeps, and what it leaves out."""
    kept: dict[str, Any] = {}
    problems: list[Problem] = []
    private: list[str] = []
    for key, value in dict.items(page):
        if key in PAGE_KEEP:
            kept[key] = value
        elif key in PAGE_WRITTEN or key in PAGE_QUIET:
            continue
        elif key == "/AA":
            problems.extend(trigger_problems(value))
        elif key in PAGE_NAMED:
            problems.append((PAGE_NAMED[key], ""))
        else:
            private.append(str(key))
    if private:
        problems.append((PRIVATE, ", ".join(sorted(private))))
    return kept, problems


# --- annotations ----------------------------------------------------------------------------

LINK_KEEP = frozenset(
    {"/Type", "/Subtype", "/Rect", "/QuadPoints", "/Border", "/BS", "/C", "/H", "/F"}
    | {"/Contents", "/StructParent", "/OC", "/AP", "/BE"}
)
"""A link's entries the pack keeps (its ``/Dest`` or action is rewritten)."""
WIDGET_KEEP = frozenset(
    {"/Type", "/Subtype", "/Rect", "/F", "/AP", "/AS", "/MK", "/BS", "/Border", "/C", "/H"}
    | {"/DA", "/Q", "/DS", "/StructParent", "/OC"}
    | {"/FT", "/T", "/TU", "/TM", "/Ff", "/V", "/DV", "/Opt", "/TI", "/I", "/MaxLen", "/RV"}
)
"""A form field's or widget's entries the pack keeps: no actions, nothing private."""
MARKUP_SUBTYPES = {
    "/Text": "sticky notes",
    "/FreeText": "text boxes",
    "/Highlight": "highlights",
    "/Underline": "highlights",
    "/Squiggly": "highlights",
    "/StrikeOut": "highlights",
    "/Caret": "insertion marks",
    "/Ink": "drawings",
    "/Line": "shapes",
    "/Square": "shapes",
    "/Circle": "shapes",
    "/Polygon": "shapes",
    "/PolyLine": "shapes",
    "/Stamp": "stamps",
    "/Popup": "comment pop-ups",
}
"""Review comments and other markup: left out unless ``markup: keep``; how a warning names them."""
MARKUP_DROP = frozenset({"/A", "/AA", "/FS", "/ExData", "/Sound", "/PA"})
"""Entries of a kept markup annotation that are still left out."""
MEDIA_SUBTYPES = frozenset({"/Screen", "/Movie", "/Sound", "/3D", "/RichMedia"})
HIDDEN_FLAGS = 2 | 32
"""An annotation's Hidden (2) and NoView (32) flags: the author did not mean it to be seen."""

LINK, WIDGET, KEEP_MARKUP, OMIT = "link", "widget", "markup", "omit"


def subtype(annot: dict) -> str:
    """An annotation's ``/Subtype``, followed if it is an indirect reference ("" if none)."""
    value = resolve(dict.get(annot, "/Subtype"))
    return str(value) if isinstance(value, str) else ""


def is_hidden(annot: dict) -> bool:
    """Whether an annotation has the Hidden or NoView flag."""
    flags = resolve(dict.get(annot, "/F"))
    return isinstance(flags, int) and not isinstance(flags, bool) and bool(flags & HIDDEN_FLAGS)


def annotation_verdict(annot: dict, *, keep_markup: bool = False) -> tuple[str, list[Problem]]:
    """What the pack does with an annotation: :data:`LINK`, :data:`WIDGET`,
    :data:`KEEP_MARKUP` or :data:`OMIT`; and what it leaves out of it."""
    kind = subtype(annot)
    if kind == "/Redact":
        return OMIT, [(REDACTION, "")]
    if kind == "/FileAttachment":
        return OMIT, [(ATTACHMENT, file_name(dict.get(annot, "/FS")))]
    if is_hidden(annot):
        return OMIT, [(HIDDEN, MARKUP_SUBTYPES.get(kind, kind.lstrip("/").lower()))]
    if kind == "/Link":
        return LINK, link_action(annot)[1] + trigger_problems(dict.get(annot, "/AA"))
    if kind == "/Widget":
        problems = action_problems(dict.get(annot, "/A"), automatic=True)
        return WIDGET, problems + trigger_problems(dict.get(annot, "/AA"))
    if kind in MARKUP_SUBTYPES:
        if keep_markup:
            problems = action_problems(dict.get(annot, "/A"), automatic=True)
            return KEEP_MARKUP, problems + trigger_problems(dict.get(annot, "/AA"))
        return OMIT, [(MARKUP, MARKUP_SUBTYPES[kind])]
    if kind in MEDIA_SUBTYPES:
        return OMIT, [(MEDIA, kind.lstrip("/"))]
    return OMIT, [(OTHER_ANNOTATIONS, kind.lstrip("/") or "without a type")]


def kept_entries(annot: dict, keep: frozenset[str]) -> dict[str, Any]:
    """The entries of ``annot`` named in ``keep``."""
    return {key: value for key, value in dict.items(annot) if key in keep}


# --- actions --------------------------------------------------------------------------------

ACTION_KINDS = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": LAUNCH,
    "/GoToR": OTHER_FILE,
    "/GoToE": OTHER_FILE,
    "/GoToDp": OTHER_FILE,
    "/SubmitForm": FORM_DATA,
    "/ImportData": FORM_DATA,
    "/ResetForm": FORM_DATA,
    "/Rendition": MEDIA_ACTIONS,
    "/Sound": MEDIA_ACTIONS,
    "/Movie": MEDIA_ACTIONS,
    "/GoTo3DView": MEDIA_ACTIONS,
    "/RichMediaExecute": MEDIA_ACTIONS,
}
"""How each kind of action other than a page or web link is named in the warning."""
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_URI_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"<>\\^`{|}')
"""Characters an address keeps as written; others (spaces, accents) are %-encoded."""


def actions_in(raw: Any) -> Iterator[dict]:
    """The action ``raw`` and every action of its ``/Next`` chain, each resolved and met
    once (a chain that loops back ends), however long the chain."""
    seen: set[int] = set()
    stack = [raw]
    while stack:
        action = resolve(stack.pop())
        if isinstance(action, list):
            stack.extend(reversed(action))
            continue
        if not isinstance(action, dict) or id(action) in seen:
            continue
        seen.add(id(action))
        if dict.get(action, "/S") is not None:  # (a dictionary without /S is no action)
            yield action
        following = dict.get(action, "/Next")
        if following is not None:
            stack.append(following)


def action_type(action: dict) -> str:
    """An action's ``/S``, followed if it is an indirect reference ("" if none)."""
    value = resolve(dict.get(action, "/S"))
    return str(value) if isinstance(value, str) else ""


def safe_uri(value: Any) -> str | None:
    """The address as text if it is an absolute ``http``, ``https`` or ``mailto`` one."""
    value = resolve(value)
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _SCHEME.match(text)
    if match is None or _CONTROL.search(text):
        return None
    scheme = match.group(1).lower()
    if scheme not in SAFE_SCHEMES:
        return None
    if scheme != "mailto" and not text[match.end() :].startswith("//"):
        return None
    return quote(text, safe=_URI_SAFE)


def uri_text(value: Any) -> str:
    """An address for a warning: as written, shortened, with control characters shown."""
    value = resolve(value)
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    text = _CONTROL.sub("?", str(value) if isinstance(value, str) else "")
    return text if len(text) <= 60 else text[:57] + "..."


def one_action_problem(action: dict, *, automatic: bool) -> Problem | None:
    """Why this one action (not its ``/Next``) is left out, or None if it is a page or web
    link that may stay (``automatic``: run by a form field or a page, so it never may)."""
    kind = action_type(action)
    if kind == "/GoTo":
        return (AUTOMATIC, "") if automatic else None
    if kind == "/URI":
        uri = dict.get(action, "/URI")
        if safe_uri(uri) is None:
            return UNSAFE_URI, uri_text(uri)
        return (AUTOMATIC, "") if automatic else None
    if kind == "/GoToR" and not automatic and remote_url(action) is not None:
        return None
    if kind == "/Launch":
        return LAUNCH, file_name(_launch_file(action))
    if kind in ("/GoToR", "/GoToE"):
        spec = dict.get(action, "/F")
        return OTHER_FILE, file_name(spec) if spec is not None else "attached to the paper"
    return ACTION_KINDS.get(kind, OTHER_ACTIONS), "" if kind in ACTION_KINDS else kind.lstrip("/")


def action_problems(raw: Any, *, automatic: bool = False) -> list[Problem]:
    """What is left out of the action ``raw`` and its ``/Next`` chain."""
    found = (one_action_problem(a, automatic=automatic) for a in actions_in(raw))
    return [problem for problem in found if problem is not None]


def trigger_problems(raw: Any) -> list[Problem]:
    """What is left out of an additional-actions dictionary (``/AA``): every action in it."""
    triggers = resolve(raw)
    if not isinstance(triggers, dict):
        return []
    problems: list[Problem] = []
    for action in dict.values(triggers):
        problems.extend(action_problems(action, automatic=True))
    return problems


def link_action(annot: dict) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The action a link keeps, written anew, and what is left out of its actions.

    The first action of the chain is kept if it is a ``/GoTo`` (``{/S /GoTo /D ...}``,
    its destination as written, for :mod:`.links` to point at the pack's page), a
    ``/URI`` with a safe address, or a ``/GoToR`` to a web address (made a ``/URI``);
    the rest of the chain is never kept.
    """
    raw = dict.get(annot, "/A")
    if raw is None:
        return None, []
    problems = action_problems(raw)
    first = resolve(raw)
    if not isinstance(first, dict):
        return None, problems
    kind = action_type(first)
    if kind == "/GoTo":
        return {"/S": NameObject("/GoTo"), "/D": dict.get(first, "/D")}, problems
    if kind == "/URI":
        uri = safe_uri(dict.get(first, "/URI"))
        return (uri_action(uri) if uri else None), problems
    if kind == "/GoToR":
        url = remote_url(first)
        return (uri_action(url) if url else None), problems
    return None, problems


def uri_action(uri: str) -> dict[str, Any]:
    """A new ``/URI`` action opening ``uri`` (ASCII, as the PDF standard wants it)."""
    return {"/S": NameObject("/URI"), "/URI": uri}  # a plain str is written as a literal


def remote_url(action: dict) -> str | None:
    """The web address a ``/GoToR`` action opens (with ``#page=N``), or None if it opens
    a file by name, on a disk or a network share."""
    url = safe_uri(file_name(dict.get(action, "/F")))
    if url is None or url.startswith("mailto"):
        return None
    dest = resolve(dict.get(action, "/D"))
    page = resolve(dest[0]) if isinstance(dest, list) and dest else None
    if isinstance(page, int) and not isinstance(page, bool) and page >= 0 and "#" not in url:
        url += f"#page={page + 1}"
    return url


def _launch_file(action: dict) -> Any:
    spec = dict.get(action, "/F")
    if spec is None:
        windows = resolve(dict.get(action, "/Win"))
        spec = dict.get(windows, "/F") if isinstance(windows, dict) else None
    return spec


def file_name(spec: Any) -> str:
    """The file a file specification names ("" when it names none)."""
    seen = 0
    while seen < 8:  # a specification's /UF is a string, not another specification
        seen += 1
        spec = resolve(spec)
        if isinstance(spec, dict):
            for key in ("/UF", "/F", "/Unix", "/DOS", "/Mac"):
                found = resolve(dict.get(spec, key))
                if isinstance(found, (str, bytes)) and found:
                    spec = found
                    break
            else:
                return ""
            continue
        if isinstance(spec, bytes):
            return spec.decode("latin-1")
        return str(spec) if isinstance(spec, str) else ""
    return ""
