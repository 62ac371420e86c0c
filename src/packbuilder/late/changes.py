"""What changed between two builds of a pack, from their manifests.

:func:`compare_manifests` takes two ``manifest.json`` dictionaries (the old
build's and the new one's) and returns :class:`Changes`: items added,
removed, withdrawn or now included, papers added, removed or replaced, and
agenda page ranges that moved. :meth:`Changes.text` is written to be pasted
into an email to members; :meth:`Changes.as_dict` is the same as JSON.

Items are matched by number and title, then by title alone (an item that
was renumbered), then by number alone (an item whose title was corrected).
A paper is matched by its title within its item; it counts as replaced when
any of its documents has a different hash (a new file, a cover report whose
fields changed, or a forward-plan table whose entries changed). When only
its appendices changed, the summary names those appendices, not the paper.

A change of revision (``--revision``) is a change too. When the new build is
a supplementary agenda, items that differ are added to or removed from the
supplement, not the agenda: an item left out of a supplement is still on the
agenda.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..datefmt import date_or_text, weekday_date
from ..model.meeting import SUPPLEMENT_KIND, ItemStatus


@dataclass(frozen=True)
class ItemRef:
    """An agenda item as the new (or, when removed, the old) build lists it."""

    number: str
    title: str
    pages: str = ""

    def line(self) -> str:
        """``Item 3: Minutes (pages 3 - 6)``."""
        text = f"Item {self.number}: {self.title}"
        return f"{text} ({_pages_phrase(self.pages)})" if self.pages else text

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"number": self.number, "title": self.title, "pages": self.pages or None}


@dataclass(frozen=True)
class PaperRef:
    """A paper of an item.

    For a paper replaced by a new version, ``appendices`` names the appendices
    that changed and ``own`` says whether the paper's own document did too;
    without ``appendices`` the paper as a whole was replaced. ``pages`` are the
    paper's, or, when only appendices changed, theirs.
    """

    item: str
    title: str
    pages: str = ""
    appendices: tuple[str, ...] = ()
    own: bool = True

    def line(self) -> str:
        """``Item 5: Attendance of Executive Members (pages 11 - 14)``, or for appendices
        ``Item 4: Appendix A - Executive Forward Work Programme (appendix to Cover report,
        pages 5 - 9)``."""
        pages = _pages_phrase(self.pages)
        if not self.appendices:
            text = f"Item {self.item}: {self.title}"
            return f"{text} ({pages})" if pages else text
        named = _joined(self.appendices)
        if self.own:
            text = f"Item {self.item}: {self.title} and its {named}"
            return f"{text} ({pages})" if pages else text
        which = "appendix" if len(self.appendices) == 1 else "appendices"
        where = f"{which} to {self.title}" + (f", {pages}" if pages else "")
        return f"Item {self.item}: {named} ({where})"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready; ``appendices`` and ``paper_replaced`` only when appendices changed."""
        data: dict[str, Any] = {"item": self.item, "title": self.title, "pages": self.pages or None}
        if self.appendices:
            data["appendices"] = list(self.appendices)
            data["paper_replaced"] = self.own
        return data


@dataclass(frozen=True)
class Moved:
    """An item whose agenda entry changed from ``before`` to ``after`` (page range or number)."""

    number: str
    title: str
    before: str
    after: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "number": self.number,
            "title": self.title,
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True)
class Changes:
    """The differences between two builds; empty lists where nothing of a kind changed."""

    kind: str
    title: str
    date: str  # the meeting's date, YYYY-MM-DD
    old_revision: int | None = None
    new_revision: int | None = None
    old_pages: int = 0
    new_pages: int = 0
    added: list[ItemRef] = field(default_factory=list)
    removed: list[ItemRef] = field(default_factory=list)
    withdrawn: list[ItemRef] = field(default_factory=list)
    now_included: list[ItemRef] = field(default_factory=list)
    now_to_follow: list[ItemRef] = field(default_factory=list)
    renumbered: list[Moved] = field(default_factory=list)
    retitled: list[Moved] = field(default_factory=list)
    papers_added: list[PaperRef] = field(default_factory=list)
    papers_removed: list[PaperRef] = field(default_factory=list)
    papers_replaced: list[PaperRef] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    _SECTIONS = (
        ("added", "Items added to the {pack}"),
        ("now_included", "Papers now included (previously To Follow)"),
        ("withdrawn", "Items withdrawn"),
        ("removed", "Items removed from the {pack}"),
        ("now_to_follow", "Items now To Follow"),
        ("papers_replaced", "Papers replaced by a new version"),
        ("papers_added", "Papers added"),
        ("papers_removed", "Papers removed"),
    )

    @property
    def changed(self) -> bool:
        """True when anything a member would notice differs (the revision marking too)."""
        lists = [getattr(self, name) for name, _ in self._SECTIONS]
        lists += [self.renumbered, self.retitled, self.moved]
        return any(lists) or self.old_pages != self.new_pages or self.revision_changed

    @property
    def revision_changed(self) -> bool:
        """True when the pack was marked revised, unmarked, or given another revision number."""
        return self.old_revision != self.new_revision

    def revision_line(self) -> str:
        """``Now revision 2 (was not revised).``; empty when the revision did not change."""
        old, new = self.old_revision, self.new_revision
        if old == new:
            return ""
        if new is None:
            return f"No longer marked revised (was revision {old})."
        was = "not revised" if old is None else f"revision {old}"
        return f"Now revision {new} (was {was})."

    def _heading(self, template: str) -> str:
        """A section heading; items are added to or removed from the supplement when the
        new build is a supplementary agenda (the agenda itself is not changed by that)."""
        return template.format(pack="supplement" if self.kind == SUPPLEMENT_KIND else "agenda")

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: every list, the page counts and revisions."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "title": self.title,
            "date": self.date,
            "changed": self.changed,
            "revision": {"old": self.old_revision, "new": self.new_revision},
            "pages": {"old": self.old_pages, "new": self.new_pages},
        }
        for name, _ in self._SECTIONS:
            data[name] = [entry.as_dict() for entry in getattr(self, name)]
        for name in ("renumbered", "retitled", "moved"):
            data[name] = [entry.as_dict() for entry in getattr(self, name)]
        data["notes"] = list(self.notes)
        return data

    def text(self) -> str:
        """The changes as a clerk pastes them into an email to members."""
        day = date_or_text(self.date, weekday_date)
        head = f"Changes to the {self.kind.lower()} for {self.title}, {day}"
        if self.new_revision is not None:
            head += f" (revision {self.new_revision})"
        lines = [head + ":", ""]
        if not self.changed:
            lines.append("No changes: both packs list the same items, papers and page numbers.")
        if self.revision_changed:
            lines += [self.revision_line(), ""]
        for name, heading in self._SECTIONS:
            entries = getattr(self, name)
            if entries:
                lines.append(f"{self._heading(heading)}:")
                lines += [f"  - {entry.line()}" for entry in entries]
                lines.append("")
        if self.renumbered:
            lines.append("Items renumbered:")
            lines += [
                f"  - {m.title}: now item {m.after} (was {m.before})" for m in self.renumbered
            ]
            lines.append("")
        if self.retitled:
            lines.append("Item titles corrected:")
            lines += [
                f'  - Item {m.number}: now "{m.after}" (was "{m.before}")' for m in self.retitled
            ]
            lines.append("")
        if self.moved:
            lines.append("Page numbers changed:")
            lines += [
                f"  - Item {m.number}: {m.title}: now {_pages_phrase(m.after)} (was {m.before})"
                for m in self.moved
            ]
            lines.append("")
        if self.old_pages != self.new_pages:
            lines.append(f"The pack now has {self.new_pages} pages (was {self.old_pages}).")
        lines += [f"Note: {note}" for note in self.notes]
        return "\n".join(lines).rstrip() + "\n"


def compare_manifests(old: dict[str, Any], new: dict[str, Any]) -> Changes:
    """The :class:`Changes` from the build described by ``old`` to the one described by ``new``."""
    meeting = new.get("meeting", {})
    changes = Changes(
        kind=str(new.get("kind", "Agenda")),
        title=str(meeting.get("title", "")),
        date=str(meeting.get("date", "")),
        old_revision=old.get("meeting", {}).get("revision"),
        new_revision=meeting.get("revision"),
        old_pages=int(old.get("pages", 0)),
        new_pages=int(new.get("pages", 0)),
    )
    old_meeting = old.get("meeting", {})
    if (old_meeting.get("file"), old_meeting.get("date")) != (
        meeting.get("file"),
        meeting.get("date"),
    ):
        changes.notes.append(
            f"the builds are of different meetings ({old_meeting.get('file')} on "
            f"{old_meeting.get('date')}, {meeting.get('file')} on {meeting.get('date')})"
        )
    if old.get("kind") != new.get("kind"):
        changes.notes.append(f"comparing the {old.get('kind')} with the {new.get('kind')}")

    pairs, added, removed = _match_items(old.get("items", []), new.get("items", []))
    changes.added.extend(_ref(item) for item in added)
    changes.removed.extend(_ref(item) for item in removed)
    for before, after in pairs:
        _compare_item(before, after, changes)
    return changes


def _match_items(
    old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """Pair old and new items: by number and title, then title, then number."""
    pairs: list[tuple[dict, dict]] = []
    left, right = list(old), list(new)
    for key in (lambda i: (i["number"], i["title"]), lambda i: i["title"], lambda i: i["number"]):
        index: dict[Any, dict] = {}
        for item in left:
            index.setdefault(key(item), item)
        still_right = []
        for item in right:
            match = index.pop(key(item), None)
            if match is None:
                still_right.append(item)
            else:
                pairs.append((match, item))
                left.remove(match)
        right = still_right
    order = {id(item): n for n, item in enumerate(new)}
    pairs.sort(key=lambda pair: order[id(pair[1])])
    return pairs, right, left


def _compare_item(before: dict[str, Any], after: dict[str, Any], changes: Changes) -> None:
    ref = _ref(after)
    if before["number"] != after["number"]:
        changes.renumbered.append(
            Moved(after["number"], after["title"], before["number"], after["number"])
        )
    if before["title"] != after["title"]:
        changes.retitled.append(
            Moved(after["number"], after["title"], before["title"], after["title"])
        )
    old_status, new_status = before.get("status"), after.get("status")
    if old_status != new_status:
        if new_status == "withdrawn":
            changes.withdrawn.append(ref)
        elif new_status == "to-follow":
            changes.now_to_follow.append(ref)
        elif old_status == "to-follow":
            changes.now_included.append(ref)
        else:
            changes.added.append(ref)  # reinstated after being withdrawn
        return
    old_pages, new_pages = _pages(before), _pages(after)
    if old_pages and new_pages and old_pages != new_pages:
        changes.moved.append(Moved(after["number"], after["title"], old_pages, new_pages))
    old_papers = {paper["title"]: paper for paper in before.get("papers", [])}
    for paper in after.get("papers", []):
        previous = old_papers.pop(paper["title"], None)
        if previous is None:
            changes.papers_added.append(PaperRef(after["number"], paper["title"], _pages(paper)))
        else:
            replaced = _replaced(after["number"], previous, paper)
            if replaced is not None:
                changes.papers_replaced.append(replaced)
    for paper in old_papers.values():
        changes.papers_removed.append(PaperRef(after["number"], paper["title"]))


def _replaced(number: str, before: dict[str, Any], after: dict[str, Any]) -> PaperRef | None:
    """The paper as replaced, naming the appendices that changed; None if none of it did.

    Documents are compared one by one when the paper has the same documents
    (by title, in order) as before; an appendix added, removed or retitled
    makes the paper as a whole count as replaced.
    """
    old_docs, new_docs = before.get("documents", []), after.get("documents", [])
    if [_fingerprint(doc) for doc in old_docs] == [_fingerprint(doc) for doc in new_docs]:
        return None
    title, pages = after["title"], _pages(after)
    if not new_docs or [d.get("title") for d in old_docs] != [d.get("title") for d in new_docs]:
        return PaperRef(number, title, pages)
    own = _fingerprint(old_docs[0]) != _fingerprint(new_docs[0])
    appendices = [
        new
        for old, new in zip(old_docs[1:], new_docs[1:], strict=True)
        if _fingerprint(old) != _fingerprint(new)
    ]
    if not appendices:
        return PaperRef(number, title, pages)
    names = tuple(str(doc.get("title") or "an appendix") for doc in appendices)
    if own:
        return PaperRef(number, title, pages, names)
    appendix_pages = ", ".join(p for p in (_pages(doc) for doc in appendices) if p)
    return PaperRef(number, title, appendix_pages, names, own=False)


def _fingerprint(doc: dict[str, Any]) -> tuple[Any, ...]:
    """What a document is made of: its file, hash and selected pages."""
    return (doc.get("file"), doc.get("sha256"), tuple(doc.get("selected") or ()))


def _ref(item: dict[str, Any]) -> ItemRef:
    pages = _pages(item)
    if not pages and item.get("status") in ("to-follow", "withdrawn"):
        pages = ItemStatus(item["status"]).printed
    return ItemRef(item["number"], item["title"], pages)


def _pages(entry: dict[str, Any]) -> str:
    pages = entry.get("pages")
    return str(pages.get("text", "")) if isinstance(pages, dict) else ""


def _pages_phrase(pages: str) -> str:
    """``pages 3 - 6``, ``page 3``, ``pages 5 - 7, 9``; text such as ``To Follow`` as it is."""
    if not pages or not pages[0].isdigit():
        return pages
    return f"pages {pages}" if "-" in pages or "," in pages else f"page {pages}"


def _joined(names: tuple[str, ...]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
