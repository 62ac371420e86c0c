"""The papers' optional content (layers), merged into one ``/OCProperties``.

A paper with layers says in its catalog which are shown: its default
configuration (``/D``) lists the layers that are off. Without it a viewer
shows every layer, so a layer the author hid ("draft", "internal notes")
would appear in the pack. The pack's ``/OCProperties`` lists the layers of
every paper with pages in it, and its default configuration joins the
papers' own: the layers off (``/OFF``, and those a ``/BaseState /OFF`` leaves
off), on, their order in the viewer's layers panel, radio-button groups,
locked layers and automatic states. The layer objects are the papers' own,
copied once like any other object, so the pages' marked content still
refers to them.
"""

from __future__ import annotations

from typing import Any

from pypdf import PdfReader
from pypdf.generic import IndirectObject, NameObject

from ..inputs.pdfread import READ_ERRORS
from .objects import resolve
from .spec import PackPage

_JOINED = ("/ON", "/OFF", "/Order", "/RBGroups", "/Locked", "/AS")
"""Entries of the default configurations that are joined (arrays, in paper order)."""


def merge_layers(pages: list[PackPage]) -> dict[str, Any] | None:
    """The pack's ``/OCProperties``, or None when no paper with pages in the pack has layers."""
    layers: list[IndirectObject] = []
    config: dict[str, list[Any]] = {key: [] for key in _JOINED}
    seen: set[int] = set()
    for page in pages:
        reader = page.reader
        if reader is None or id(reader) in seen:
            continue
        seen.add(id(reader))
        found = _paper_layers(reader)
        if found is None:
            continue
        groups, default = found
        layers.extend(groups)
        _join_config(config, groups, default)
    if not layers:
        return None
    default_config: dict[str, Any] = {
        "/Name": "packbuilder",
        "/BaseState": NameObject("/ON"),
    }
    default_config.update({key: value for key, value in config.items() if value})
    return {"/OCGs": layers, "/D": default_config}


def _paper_layers(reader: PdfReader) -> tuple[list[IndirectObject], dict] | None:
    """A paper's layers (``/OCGs``) and its default configuration, or None without any."""
    try:
        root = resolve(dict.get(reader.trailer, "/Root"))
        properties = resolve(dict.get(root, "/OCProperties")) if isinstance(root, dict) else None
        if not isinstance(properties, dict):
            return None
        groups = resolve(dict.get(properties, "/OCGs"))
        default = resolve(dict.get(properties, "/D"))
    except READ_ERRORS:
        return None
    if not isinstance(groups, list):
        return None
    refs = [g for g in groups if isinstance(g, IndirectObject)]
    if not refs:
        return None
    return refs, default if isinstance(default, dict) else {}


def _join_config(config: dict[str, list[Any]], groups: list[IndirectObject], default: dict):
    """Add a paper's default configuration to the pack's, made explicit about what is off."""
    for key in _JOINED:
        try:
            value = resolve(dict.get(default, key))
        except READ_ERRORS:
            continue
        if isinstance(value, list):
            config[key].extend(value)
    if dict.get(default, "/BaseState") == "/OFF":
        on = {
            ref.idnum
            for ref in resolve(dict.get(default, "/ON")) or []
            if isinstance(ref, IndirectObject)
        }
        config["/OFF"].extend(ref for ref in groups if ref.idnum not in on)
    if not isinstance(resolve(dict.get(default, "/Order")), list):
        config["/Order"].extend(groups)  # listed in the layers panel, as a viewer would
