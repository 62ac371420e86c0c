"""The render cache: a filled template is reused only for exactly the same input and code."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document as WordDocument

from packbuilder import render
from packbuilder.convert.converter import docx_content_hash
from packbuilder.render import cache as rendercache
from packbuilder.render.cache import RenderCache, Uncacheable, canonical
from packbuilder.render.forwardplan import render_docx

from helpers.kit import REFERENCE_ITEM_PAGES, TEMPLATES

AGENDA = TEMPLATES / "agenda.docx"
REPORT = TEMPLATES / "report.docx"


def _report(meeting, template: Path, out: Path) -> None:
    item = meeting.items[3]
    render.render_report(template, meeting, item, item.papers[0].document, out)


def _text(docx: Path) -> str:
    return "\n".join(p.text for p in WordDocument(str(docx)).paragraphs)


def _edit_template(source: Path, target: Path, old: str, new: str) -> Path:
    """A copy of ``source`` with ``old`` replaced by ``new`` in its document.xml."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            zout.writestr(info, data)
    return target


def test_the_same_render_is_served_from_the_cache(reference_meeting, tmp_path):
    cache = RenderCache(tmp_path / "cache")
    with rendercache.using(cache):
        _report(reference_meeting, REPORT, tmp_path / "one.docx")
        _report(reference_meeting, REPORT, tmp_path / "two.docx")
    assert len(cache.stats.rendered) == 1 and len(cache.stats.reused) == 1
    assert docx_content_hash(tmp_path / "one.docx") == docx_content_hash(tmp_path / "two.docx")
    assert len(list((tmp_path / "cache" / "docx").glob("*.docx"))) == 1


def test_a_changed_field_is_rendered_again(reference_meeting, tmp_path):
    cache = RenderCache(tmp_path / "cache")
    item = reference_meeting.items[3]
    document = item.papers[0].document
    fields = dict(document.source.fields, purpose="To note the late papers.")
    changed = dataclasses.replace(
        document, source=dataclasses.replace(document.source, fields=fields)
    )
    with rendercache.using(cache):
        _report(reference_meeting, REPORT, tmp_path / "one.docx")
        render.render_report(REPORT, reference_meeting, item, changed, tmp_path / "two.docx")
    assert len(cache.stats.rendered) == 2 and cache.stats.reused == []
    assert "To note the late papers." in _text(tmp_path / "two.docx")
    assert "To note the late papers." not in _text(tmp_path / "one.docx")


def test_a_changed_template_is_rendered_again(reference_meeting, tmp_path):
    cache = RenderCache(tmp_path / "cache")
    template = tmp_path / "report.docx"
    shutil.copyfile(REPORT, template)
    with rendercache.using(cache):
        _report(reference_meeting, template, tmp_path / "one.docx")
        _edit_template(REPORT, template, "Report of", "Report by")
        _report(reference_meeting, template, tmp_path / "two.docx")
    assert len(cache.stats.rendered) == 2
    assert "Report by" in _all_text(tmp_path / "two.docx")
    assert "Report by" not in _all_text(tmp_path / "one.docx")


def _all_text(docx: Path) -> str:
    with zipfile.ZipFile(docx) as archive:
        return archive.read("word/document.xml").decode()


def test_agenda_links_and_page_ranges_are_part_of_the_key(reference_meeting, tmp_path):
    cache = RenderCache(tmp_path / "cache")
    moved = dict(REFERENCE_ITEM_PAGES, **{"9": "83 - 118"})
    with rendercache.using(cache):
        render.render_agenda(AGENDA, reference_meeting, REFERENCE_ITEM_PAGES, tmp_path / "a.docx")
        render.render_agenda(
            AGENDA, reference_meeting, REFERENCE_ITEM_PAGES, tmp_path / "b.docx", links=False
        )
        render.render_agenda(AGENDA, reference_meeting, moved, tmp_path / "c.docx")
        render.render_agenda(AGENDA, reference_meeting, REFERENCE_ITEM_PAGES, tmp_path / "d.docx")
    assert len(cache.stats.rendered) == 3 and len(cache.stats.reused) == 1
    assert "packbuilder.invalid" not in _rels(tmp_path / "b.docx")
    assert "packbuilder.invalid" in _rels(tmp_path / "d.docx")
    assert "83 - 118" in _all_text(tmp_path / "c.docx")
    assert _all_text(tmp_path / "a.docx") == _all_text(tmp_path / "d.docx")


def _rels(docx: Path) -> str:
    with zipfile.ZipFile(docx) as archive:
        return archive.read("word/_rels/document.xml.rels").decode()


def test_a_revised_agenda_is_not_the_cached_unrevised_one(reference_meeting, tmp_path):
    cache = RenderCache(tmp_path / "cache")
    with rendercache.using(cache):
        render.render_agenda(AGENDA, reference_meeting, REFERENCE_ITEM_PAGES, tmp_path / "a.docx")
        revised = dataclasses.replace(reference_meeting, revision=2)
        render.render_agenda(
            AGENDA, revised, REFERENCE_ITEM_PAGES, tmp_path / "b.docx", revised=True
        )
    assert cache.stats.reused == []
    assert "REVISED" in _all_text(tmp_path / "b.docx")
    assert "REVISED" not in _all_text(tmp_path / "a.docx")


def test_values_of_unknown_types_are_never_cached(tmp_path):
    class Opaque:
        def __str__(self) -> str:
            return "opaque"

    template = tmp_path / "t.docx"
    document = WordDocument()
    document.add_paragraph("{{ value }}")
    document.save(template)
    cache = RenderCache(tmp_path / "cache")
    with rendercache.using(cache):
        render_docx(template, {"value": Opaque()}, tmp_path / "a.docx", title="t")
        render_docx(template, {"value": Opaque()}, tmp_path / "b.docx", title="t")
    assert len(cache.stats.rendered) == 2
    assert not (tmp_path / "cache" / "docx").exists()
    assert "opaque" in _all_text(tmp_path / "b.docx")


def test_without_a_cache_nothing_is_stored(reference_meeting, tmp_path):
    assert rendercache.active() is None
    _report(reference_meeting, REPORT, tmp_path / "one.docx")
    disabled = RenderCache(None)
    with rendercache.using(disabled):
        _report(reference_meeting, REPORT, tmp_path / "two.docx")
        _report(reference_meeting, REPORT, tmp_path / "three.docx")
    assert rendercache.active() is None
    assert len(disabled.stats.rendered) == 2 and disabled.stats.reused == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([1, 2], (1, 2)),
        (dt.date(2022, 5, 11), "2022-05-11"),
        (1, "1"),
        (True, 1),
        (1.0, 1),
        ({"a": [1]}, {"a": [1], "b": None}),
    ],
)
def test_canonical_tells_apart_what_jinja_prints_differently(a, b):
    assert json.dumps(canonical(a)) != json.dumps(canonical(b))


def test_canonical_refuses_unknown_types():
    with pytest.raises(Uncacheable):
        canonical({"x": object()})
    with pytest.raises(Uncacheable):
        canonical({1: "not text key"})


def test_the_code_fingerprint_covers_packbuilder_source(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "render.py").write_text("A = 1\n")
    monkeypatch.setattr(rendercache, "_PACKAGE_DIR", package)
    rendercache.code_fingerprint.cache_clear()
    try:
        before = rendercache.code_fingerprint()
        (package / "render.py").write_text("A = 2\n")
        rendercache.code_fingerprint.cache_clear()
        assert rendercache.code_fingerprint() != before
    finally:
        rendercache.code_fingerprint.cache_clear()
