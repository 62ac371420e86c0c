"""The open data: ``public/meeting.json``, the meeting as OParl 1.1 objects.

OParl (https://oparl.org) is the open standard for council information systems. The
file is an OParl object list (``data``, ``pagination``, ``links``) holding:

* the ``Meeting``, with its ``Location`` (the venue), its ``AgendaItem`` objects in
  order (each with ``number``, ``order``, ``name``, ``public``: false for a Part B
  item, and its published PDF as an ``auxiliaryFile``), the agenda as its
  ``invitation`` and the pack and the Word agenda as ``auxiliaryFile``;
* the committee as an ``Organization``;
* each member as a ``Person`` with a ``Membership`` of the committee (its ``role``:
  Chair, Vice-Chair).

Addresses (``id``, ``accessUrl``, ``web``) are relative to the ``public/`` folder
(``meeting.json#meeting``, ``items/item-04-....pdf``), or full addresses when the
committee says where the folder is published (``publish_url``). ``created`` and
``modified`` (required by OParl 1.1) are :func:`~.published.publication_stamp`, not
the time of the build. Nothing exempt is in it: a Part B item is listed by its number
and title, as on the public agenda, with no file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..exceptions import OutputError
from .published import PublishedFile, PublishedItem, PublishedMeeting
from .web import INDEX, OPEN_DATA

SCHEMA = "https://schema.oparl.org/1.1/"


class _Ids:
    """The addresses of the objects: ``<base>meeting.json#<name>``, files ``<base><name>``."""

    def __init__(self, base: str) -> None:
        self.base = base

    def object(self, name: str) -> str:
        return f"{self.base}{OPEN_DATA}#{name}"

    def file(self, name: str) -> str:
        return f"{self.base}{name}"


def oparl_objects(published: PublishedMeeting, folder: Path) -> dict[str, Any]:
    """The object list of ``meeting.json``; ``folder`` is ``public/`` (the files' sums)."""
    ids = _Ids(published.base_url)
    stamps = {"created": published.stamp.isoformat(), "modified": published.stamp.isoformat()}
    meeting = _meeting(published, ids, stamps, folder)
    organization, persons = _organization(published, ids, stamps)
    data = [meeting, organization, *persons]
    return {
        "data": data,
        "pagination": {
            "totalElements": len(data),
            "elementsPerPage": len(data),
            "currentPage": 1,
            "totalPages": 1,
        },
        "links": {},
    }


def _meeting(
    published: PublishedMeeting, ids: _Ids, stamps: dict[str, str], folder: Path
) -> dict[str, Any]:
    meeting = published.meeting
    entry: dict[str, Any] = {
        "id": ids.object("meeting"),
        "type": SCHEMA + "Meeting",
        "name": f"{meeting.display_title}, {meeting.date.isoformat()}",
        "meetingState": "eingeladen",  # OParl's recommended word: invited (the agenda is out)
        "cancelled": False,
    }
    if published.start is not None:
        entry["start"] = published.start.isoformat()
    entry["location"] = {
        "id": ids.object("location"),
        "type": SCHEMA + "Location",
        "description": meeting.venue,
        **stamps,
    }
    entry["organization"] = [ids.object("organization")]
    entry["invitation"] = _file(published.agenda, ids, stamps, folder)
    entry["auxiliaryFile"] = [
        _file(file, ids, stamps, folder) for file in (published.pack, published.agenda_docx)
    ]
    entry["agendaItem"] = [_agenda_item(item, ids, stamps, folder) for item in published.items]
    entry["web"] = ids.file(INDEX)
    return entry | stamps


def _agenda_item(
    item: PublishedItem, ids: _Ids, stamps: dict[str, str], folder: Path
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": ids.object(item.anchor),
        "type": SCHEMA + "AgendaItem",
        "meeting": ids.object("meeting"),
        "number": item.item.number,
        "order": item.order,
        "name": item.item.title,
        "public": not item.item.part_b,
    }
    if item.file is not None:
        entry["auxiliaryFile"] = [_file(item.file, ids, stamps, folder)]
    entry["web"] = f"{ids.file(INDEX)}#{item.anchor}"
    return entry | stamps


def _file(file: PublishedFile, ids: _Ids, stamps: dict[str, str], folder: Path) -> dict[str, Any]:
    data = (folder / file.name).read_bytes()
    return {
        "id": ids.object("file-" + Path(file.name).stem),
        "type": SCHEMA + "File",
        "name": file.title,
        "fileName": Path(file.name).name,
        "mimeType": file.media_type,
        "date": stamps["created"],
        "size": file.size,
        "sha512Checksum": hashlib.sha512(data).hexdigest(),
        "accessUrl": ids.file(file.name),
        "downloadUrl": ids.file(file.name),
    } | stamps


def _organization(
    published: PublishedMeeting, ids: _Ids, stamps: dict[str, str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The committee, and its members as persons, each with a membership of it."""
    committee = published.meeting.committee
    organization_id = ids.object("organization")
    persons, memberships = [], []
    for n, member in enumerate(committee.membership, 1):
        membership = {
            "id": ids.object(f"membership-{n}"),
            "type": SCHEMA + "Membership",
            "person": ids.object(f"person-{n}"),
            "organization": organization_id,
        }
        if member.role:
            membership["role"] = member.role
        memberships.append(membership["id"])
        person = {"id": ids.object(f"person-{n}"), "type": SCHEMA + "Person", "name": member.name}
        if committee.members_prefix:  # "Councillors" -> "Councillor"
            person["formOfAddress"] = committee.members_prefix.removesuffix("s")
        person["membership"] = [membership | stamps]
        persons.append(person | stamps)
    organization = {
        "id": organization_id,
        "type": SCHEMA + "Organization",
        "name": committee.name,
        "organizationType": "committee",
        "membership": memberships,
        "web": ids.file(INDEX),
    }
    return organization | stamps, persons


def write_open_data(published: PublishedMeeting, folder: Path) -> Path:
    """Write ``meeting.json`` into ``folder`` (``public/``); return its path."""
    out = folder / OPEN_DATA
    text = json.dumps(oparl_objects(published, folder), indent=2, ensure_ascii=False)
    try:
        out.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from exc
    return out
