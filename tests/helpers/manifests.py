"""Manifests written by hand, as a build writes them, for tests of what changed."""

from __future__ import annotations

from typing import Any


def pages(first: int, last: int) -> dict[str, Any]:
    return {"first": first, "last": last, "text": f"{first} - {last}"}


def paper(title: str, sha: str, first: int, last: int) -> dict[str, Any]:
    return {
        "title": title,
        "pages": pages(first, last),
        "documents": [
            {"title": title, "file": f"papers/{title}.pdf", "sha256": sha, "selected": [1, 2]}
        ],
    }


def item(number: str, title: str, status: str = "normal", papers=(), span=None) -> dict:
    return {
        "number": number,
        "title": title,
        "status": status,
        "pages": pages(*span) if span else None,
        "papers": list(papers),
    }


def manifest(items: list[dict], total: int, revision: int | None = None) -> dict[str, Any]:
    return {
        "kind": "Agenda",
        "meeting": {
            "file": "osb.yaml",
            "title": "Overview and Scrutiny Board",
            "date": "2022-05-11",
            "revision": revision,
        },
        "pages": total,
        "items": items,
    }


OLD = manifest(
    [
        item("1", "Apologies for Absence"),
        item("3", "Minutes", "to-follow"),
        item("4", "Forward Work Programme", papers=[paper("FWP", "a", 3, 10)], span=(3, 10)),
        item("5", "Executive Member Update", papers=[paper("Update", "b", 11, 14)], span=(11, 14)),
        item("7", "School Exclusions"),
    ],
    14,
)
