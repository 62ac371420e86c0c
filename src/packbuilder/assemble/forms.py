"""The papers' interactive forms, merged into one ``/AcroForm``.

A single paper's fields are carried over as they are; the fields of several
papers are each put under a new parent field (``paper1``, ``paper2``...) so
fields with the same name in different papers stay apart.
"""

from __future__ import annotations

from typing import Any

from pypdf import PdfReader
from pypdf.generic import IndirectObject

from ..pdfread import READ_ERRORS
from .objects import ObjectWriter, resolve
from .spec import PackPage

_Form = tuple[PdfReader, dict, list[Any]]


def merge_forms(
    objects: ObjectWriter, readers: list[PdfReader], pages: list[PackPage]
) -> dict[str, Any] | None:
    """The pack's ``/AcroForm``, or None when no paper with pages in the pack has fields."""
    forms = _forms(readers, pages)
    if not forms:
        return None
    result: dict[str, Any] = {}
    if len(forms) == 1:
        result["/Fields"] = forms[0][2]
    else:
        result["/Fields"] = []
        for n, (reader, _form, fields) in enumerate(forms, 1):
            wrapper = objects.allocate()
            for ref in fields:
                objects.overrides[(id(reader), ref.idnum)] = {"/Parent": wrapper}
            objects.emit(wrapper, {"/T": f"paper{n}", "/Kids": fields})
            result["/Fields"].append(wrapper)
    resources: dict[str, Any] = {}
    for _reader, form, _fields in forms:
        for key in ("/DA", "/Q"):
            if key not in result and dict.get(form, key) is not None:
                result[key] = dict.get(form, key)
        if resolve(dict.get(form, "/NeedAppearances")):
            result["/NeedAppearances"] = True
        _merge_resources(resources, resolve(dict.get(form, "/DR")))
    if resources:
        result["/DR"] = resources
    return result


def _forms(readers: list[PdfReader], pages: list[PackPage]) -> list[_Form]:
    """Each paper with pages in the pack and form fields: its reader, form and fields."""
    forms: list[_Form] = []
    for reader in readers:
        if not any(p.reader is reader for p in pages):
            continue
        try:
            root = resolve(dict.get(reader.trailer, "/Root"))
            form = resolve(dict.get(root, "/AcroForm")) if isinstance(root, dict) else None
            fields = resolve(dict.get(form, "/Fields")) if isinstance(form, dict) else None
        except READ_ERRORS:
            continue
        if isinstance(fields, list) and fields:
            forms.append((reader, form, [f for f in fields if isinstance(f, IndirectObject)]))
    return forms


def _merge_resources(resources: dict[str, Any], default: Any) -> None:
    """Add a form's default resources (``/DR``) to ``resources``; the first of a name wins."""
    if not isinstance(default, dict):
        return
    for key, value in dict.items(default):
        group = resolve(value)
        if isinstance(group, dict):
            merged = resources.setdefault(key, {})
            for name, item in dict.items(group):
                merged.setdefault(name, item)
