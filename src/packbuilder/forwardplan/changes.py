"""What changed since last week's edition: new, removed and changed entries.

The comparison is made between two summaries (the ``entries`` of the
summary JSON each build writes), so last week's plan files are not needed:
only last week's ``forward-plan.json``. An entry has changed when its due
date, decision maker or key-decision status differs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..datefmt import abbreviated_date, date_or_text
from ..exceptions import InputError
from ..model.forwardplan import Entry

COMPARED = {"due_date": "due date", "decision_maker": "decision maker", "key": "key decision"}


@dataclass(frozen=True)
class Change:
    """One difference: ``kind`` is new, removed or changed (then ``field``, before, after)."""

    kind: str
    reference: str
    subject: str
    field: str | None = None
    before: Any = None
    after: Any = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: reference and subject, plus field, before and after for a change."""
        data = {"reference": self.reference, "subject": self.subject}
        if self.kind == "changed":
            data.update(field=self.field, before=self.before, after=self.after)
        return data

    def describe(self) -> str:
        """One line for people: ``changed  I012273  Tees Valley ...: due date 31 May -> ...``."""
        text = f"  {self.kind:<8} {self.reference:<9} {self.subject}"
        if self.kind == "changed":
            text += f": {COMPARED[self.field]} {_show(self.before)} -> {_show(self.after)}"
        return text


@dataclass(frozen=True)
class ChangeList:
    """The changes since the previous edition (``since`` is its date, None if there was none)."""

    since: str | None
    changes: tuple[Change, ...]

    def of_kind(self, kind: str) -> list[Change]:
        """The changes of one kind, in order."""
        return [c for c in self.changes if c.kind == kind]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"since", "new": [...], "changed": [...], "removed": [...]}``."""
        data: dict[str, Any] = {"since": self.since}
        for kind in ("new", "changed", "removed"):
            data[kind] = [change.as_dict() for change in self.of_kind(kind)]
        return data

    def text(self) -> str:
        """The change list for people, one line per change."""
        if self.since is None:
            return "No previous edition to compare with: every entry is new."
        since = _show(self.since)
        if not self.changes:
            return f"No changes since the edition of {since}."
        counts = ", ".join(f"{len(self.of_kind(k))} {k}" for k in ("new", "changed", "removed"))
        lines = [f"Changes since the edition of {since}: {counts}"]
        return "\n".join(lines + [change.describe() for change in self.changes])


def entry_summary(entry: Entry) -> dict[str, Any]:
    """The fields of an entry recorded in the summary JSON (and compared next week)."""
    return {
        "reference": entry.reference,
        "portfolio": entry.portfolio,
        "subject": entry.subject,
        "decision_maker": entry.decision_maker,
        "due_date": entry.due_date.isoformat() if entry.due_date else None,
        "key": entry.is_key,
        "key_reason": entry.key,
        "first_published": entry.first_published.isoformat() if entry.first_published else None,
    } | ({"exempt": list(entry.exempt)} if entry.is_private else {})


def read_summary(path: Path) -> dict[str, Any]:
    """Read a previous edition's summary JSON; InputError naming the file if it is unusable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: file not found", hint="give last week's summary JSON") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            f"{path}: not a readable summary ({exc})",
            hint="give the .json summary written by 'packbuilder forward-plan build'",
        ) from None
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("reference"), str) for e in entries
    ):
        raise InputError(
            f"{path}: not a forward plan summary (no list of entries with references)",
            hint="give the .json summary written by 'packbuilder forward-plan build'",
        )
    return data


def compare(previous: dict[str, Any] | None, current: Sequence[dict[str, Any]]) -> ChangeList:
    """The changes from ``previous`` (a summary, or None) to ``current`` (entry summaries)."""
    if previous is None:
        return ChangeList(None, ())
    before = {e["reference"]: e for e in previous["entries"]}
    now = {e["reference"]: e for e in current}
    changes = [Change("new", ref, e["subject"]) for ref, e in now.items() if ref not in before]
    for ref, entry in now.items():
        old = before.get(ref)
        if old is None:
            continue
        for field in COMPARED:
            if old.get(field) != entry.get(field):
                changes.append(
                    Change("changed", ref, entry["subject"], field, old.get(field), entry[field])
                )
    changes += [
        Change("removed", ref, e.get("subject", "")) for ref, e in before.items() if ref not in now
    ]
    return ChangeList(previous.get("as_of"), tuple(changes))


def _show(value: Any) -> str:
    """Dates as ``14 Jun 2022``, booleans as yes/no, None as 'not set'."""
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return date_or_text(value, abbreviated_date)
    return str(value)
