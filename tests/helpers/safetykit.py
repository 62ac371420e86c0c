"""A kit for the safety tests: PDFs crafted byte by byte, packs built from them, and
independent checks of what those packs hold.

Papers are written as raw PDF objects (:func:`raw_pdf`), so a test says exactly
what a hostile or careless author put in (an indirect ``/S``, a 30-step
``/Next`` chain, a loop, an object stream). :func:`outputs` builds a meeting
holding the paper (and an exempt item, so that the public and the members'
pack are each written, not copied) and a supplementary pack of it (with the
fake converter), and returns every PDF holding the paper that a clerk would
publish or send, in both ``public/`` and ``members/``: the pack, its item PDF,
the supplement and its item PDF.
:func:`decompressed` is a PDF as ``qpdf --qdf --object-streams=disable``
writes it (every stream inflated, no object streams), to search its bytes;
:func:`unsafe_objects` reads every object of a PDF through ``qpdf --json``
(not through packbuilder's own pypdf) and lists every action other than a
page link or a web or email link, every script and every attached file.
"""

from __future__ import annotations

import json
import re
import subprocess
import zlib
from pathlib import Path

from helpers import kit
from helpers.pdftools import page_texts

VISIBLE = b"Visible paper text"

ACTION_TYPES = {
    "/GoTo",
    "/GoToR",
    "/GoToE",
    "/GoToDp",
    "/Launch",
    "/Thread",
    "/URI",
    "/Sound",
    "/Movie",
    "/Hide",
    "/Named",
    "/SubmitForm",
    "/ResetForm",
    "/ImportData",
    "/JavaScript",
    "/SetOCGState",
    "/Rendition",
    "/Trans",
    "/GoTo3DView",
    "/RichMediaExecute",
}


# --- writing PDFs ---------------------------------------------------------------------------


def stream(data: bytes, entries: bytes = b"", *, compress: bool = False) -> bytes:
    """A stream object's text: ``<< entries /Length n >> stream ... endstream``."""
    if compress:
        data = zlib.compress(data)
        entries += b" /Filter /FlateDecode"
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)


def raw_pdf(path: Path, objects: dict[int, bytes]) -> Path:
    """Write ``objects`` (number -> text) as a PDF whose catalog is object 1."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    path.write_bytes(bytes(out))
    return path


def paper(
    path: Path,
    *,
    annots: list[int] = (),
    page: bytes = b"",
    catalog: bytes = b"",
    content: bytes | None = None,
    resources: bytes = b"/Font << /F1 5 0 R >>",
    extra: dict[int, bytes] | None = None,
    pages: int = 1,
) -> Path:
    """A paper of ``pages`` pages saying :data:`VISIBLE`; page 1 has the annotations
    ``annots`` (object numbers in ``extra``) and the extra page entries ``page``.

    Objects 1-9 are the paper's own; crafted objects are numbered 10 and up.
    """
    text = content if content is not None else b"BT /F1 14 Tf 72 700 Td (%s) Tj ET" % VISIBLE
    annot_list = b"/Annots [%s]" % b" ".join(b"%d 0 R" % n for n in annots) if annots else b""
    kids = b" ".join(b"%d 0 R" % (3 if n == 0 else 5 + n) for n in range(pages))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R %s >>" % catalog,
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << %s >> %s %s >>" % (resources, annot_list, page),
        4: stream(text),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for n in range(1, min(pages, 5)):  # pages 2-5 are objects 6-9
        objects[5 + n] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        objects[5 + n] += b"/Resources << /Font << /F1 5 0 R >> >> >>"
    objects.update(extra or {})
    return raw_pdf(path, objects)


def with_object_streams(path: Path) -> Path:
    """The PDF rewritten by qpdf with its objects packed into object streams."""
    out = path.with_name(path.stem + "-objstm.pdf")
    subprocess.run(
        ["qpdf", "--object-streams=generate", str(path), str(out)], check=True, capture_output=True
    )
    return out


# --- building -------------------------------------------------------------------------------


def outputs(
    tmp_path: Path,
    paper_path: Path,
    *,
    keys: str = "",
    committee: str = "",
    monkeypatch=None,
) -> tuple[list[Path], list[str]]:
    """Build a meeting whose item 1 is the paper (item 2 is exempt, a plain PDF), and a
    supplement of both; return every PDF published holding the paper (the pack, the item
    PDF, the supplement and the supplement's item PDF, each in ``public/`` and in
    ``members/``) and the main build's warnings, as printed.

    ``keys`` are further lines of the paper (``markup: keep``), ``committee`` of the
    committee file. Runs with the fake converter (``monkeypatch`` given by the test).
    """
    from packbuilder import api
    from packbuilder.convert._exec import soffice

    from helpers import fakeconv

    if monkeypatch is not None:
        monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    folder = tmp_path / "meeting"
    target = folder / "papers" / paper_path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    if paper_path != target:
        target.write_bytes(paper_path.read_bytes())
    lines = "".join(f"        {line}\n" for line in keys.splitlines() if line.strip())
    kit.pdf(folder / "papers" / "exempt.pdf", 1, text="Exempt")
    items = f"""\
  - title: The crafted paper
    papers:
      - file: papers/{target.name}
{lines}  - title: Exempt business
    exempt: 3
    papers: [papers/exempt.pdf]
"""
    meeting = kit.write_meeting(folder, items, committee=kit.COMMITTEE + committee)
    built = api.build(meeting, api.BuildOptions(output_dir=folder / "out"))
    options = api.BuildOptions(output_dir=folder / "supp")
    supplement = api.supplement(meeting, ["1", "2"], options)
    found = published(built) + published(supplement)
    assert len(found) == 8, found
    return found, [str(w) for w in built.warnings]


def published(result) -> list[Path]:
    """The PDFs holding item 1 that one build wrote, in both folders: the public pack and
    item 1's PDF (``public/``), the members' pack and item 1's PDF (``members/``). Item 2 is
    exempt, so the two packs are written each on its own, not copied."""
    assert result.withheld == 1, "the members' pack is not a copy of the public one"
    items = [f for f in result.files if f.suffix == ".pdf" and "items" in f.parts]
    first = sorted(f for f in items if f.name.startswith("item-01-"))
    pdfs = [result.pack, result.members_pack, *first]
    folders = [f.relative_to(result.output_dir).parts[0] for f in pdfs]
    assert sorted(folders) == ["members", "members", "public", "public"], pdfs
    assert all(f.is_file() for f in pdfs), pdfs
    return pdfs


# --- reading back ---------------------------------------------------------------------------


def decompressed(pdf: Path) -> bytes:
    """The PDF as ``qpdf --qdf --object-streams=disable`` writes it: every stream inflated."""
    result = subprocess.run(
        ["qpdf", "--qdf", "--object-streams=disable", str(pdf), "-"],
        capture_output=True,
        check=False,
    )
    assert result.returncode in (0, 3), result.stderr  # 3: warnings only
    return result.stdout


def text(pdf: Path) -> str:
    """The PDF's text as pdftotext extracts it."""
    return "\f".join(page_texts(pdf))


def _objects(pdf: Path) -> dict[str, dict]:
    result = subprocess.run(
        ["qpdf", "--json=2", "--json-key=qpdf", str(pdf)], capture_output=True, check=False
    )
    assert result.returncode in (0, 3), result.stderr
    return json.loads(result.stdout)["qpdf"][1]


def _string(value) -> str:
    """A qpdf JSON string (``u:text`` or ``b:hex``) as text."""
    if isinstance(value, str) and value.startswith("u:"):
        return value[2:]
    if isinstance(value, str) and value.startswith("b:"):
        return bytes.fromhex(value[2:]).decode("latin-1")
    return str(value)


_REF = re.compile(r"^\d+ \d+ R$")


def unsafe_objects(pdf: Path) -> list[str]:
    """Every action other than a GoTo or a URI to http, https or mailto, every script
    and every attached file in ``pdf`` (all its objects, reachable or not)."""
    objects = _objects(pdf)

    def resolved(value):
        seen = 0
        while isinstance(value, str) and _REF.match(value) and seen < 50:
            entry = objects.get(f"obj:{value}", {})
            value = entry.get("value", entry.get("stream", {}).get("dict"))
            seen += 1
        return value

    found: list[str] = []

    def check(where: str, value) -> None:
        if isinstance(value, list):
            for item in value:
                check(where, item)
            return
        if not isinstance(value, dict):
            return
        for key in ("/EF", "/RF", "/JS", "/OnInstantiate", "/EmbeddedFiles"):
            if key in value:
                found.append(f"{where}: {key}")
        if resolved(value.get("/Type")) in ("/EmbeddedFile", "/Filespec"):
            found.append(f"{where}: {resolved(value.get('/Type'))}")
        kind = resolved(value.get("/S"))
        if kind in ACTION_TYPES:
            uri = _string(resolved(value.get("/URI")))
            safe = kind == "/GoTo" or (
                kind == "/URI" and re.match(r"(?i)(https?://|mailto:)", uri) is not None
            )
            if not safe:
                found.append(f"{where}: action {kind} {uri if kind == '/URI' else ''}")
        for item in value.values():
            check(where, item)

    for name, entry in objects.items():
        check(name, entry.get("value"))
        check(name, entry.get("stream", {}).get("dict"))
    return found


def assert_clean(pdfs: list[Path], *secrets: bytes, visible: bytes = VISIBLE) -> None:
    """Every PDF holds no unsafe object, none of ``secrets`` in its decompressed bytes or
    its text, and still shows ``visible``."""
    for pdf in pdfs:
        assert unsafe_objects(pdf) == [], pdf
        data = decompressed(pdf)
        shown = text(pdf)
        for secret in secrets:
            assert secret not in data, (pdf, secret)
            assert secret.decode("latin-1") not in shown, (pdf, secret)
        if visible:
            assert visible.decode() in shown, pdf


# --- Word papers ----------------------------------------------------------------------------

W_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def tiny_png() -> bytes:
    """A 1x1 green PNG."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00\xff\x00"))
        + chunk(b"IEND", b"")
    )


def picture(rel_id: str, *, linked: bool) -> str:
    """A paragraph holding an inline picture using relationship ``rel_id``."""
    attribute = "r:link" if linked else "r:embed"
    return (
        '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/>'
        '<wp:docPr id="1" name="Picture 1"/><a:graphic><a:graphicData '
        'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
        '<pic:nvPicPr><pic:cNvPr id="1" name="p.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip {attribute}="{rel_id}"/><a:stretch><a:fillRect/></a:stretch>'
        '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def word_paper(
    path: Path,
    body: str,
    *,
    links: dict[str, tuple[str, str]] | None = None,
    comments: list[tuple[int, str, bool]] | None = None,
) -> Path:
    """A .docx whose body is ``body`` (WordprocessingML paragraphs).

    ``links`` adds relationships: id -> (type, target); a target with ``://`` or
    starting ``\\\\`` is external, ``media/...`` is the PNG. ``comments`` adds the
    comments part: (id, text, done).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    rels = [
        f'<Relationship Id="rIdStyles" Type="{REL}/styles" Target="styles.xml"/>',
    ]
    for rid, (kind, target) in (links or {}).items():
        external = "://" in target or target.startswith("\\\\")
        mode = ' TargetMode="External"' if external else ""
        rels.append(f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{target}"{mode}/>')
    overrides = [
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/>',
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.styles+xml"/>',
    ]
    parts: dict[str, bytes] = {}
    if comments is not None:
        rels.append(f'<Relationship Id="rIdComments" Type="{REL}/comments" Target="comments.xml"/>')
        rels.append(
            '<Relationship Id="rIdCommentsEx" Type="http://schemas.microsoft.com/office/2011/'
            'relationships/commentsExtended" Target="commentsExtended.xml"/>'
        )
        overrides.append(
            '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.comments+xml"/>'
        )
        overrides.append(
            '<Override PartName="/word/commentsExtended.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"/>'
        )
        entries = "".join(
            f'<w:comment w:id="{n}" w:author="J Smith"><w:p w14:paraId="0000000{n}">'
            f"<w:r><w:t>{text}</w:t></w:r></w:p></w:comment>"
            for n, text, _done in comments
        )
        done = "".join(
            f'<w15:commentEx w15:paraId="0000000{n}" w15:done="{int(d)}"/>' for n, _t, d in comments
        )
        parts["word/comments.xml"] = f"<w:comments {W_NS}>{entries}</w:comments>".encode()
        parts["word/commentsExtended.xml"] = (
            f"<w15:commentsEx {W_NS}>{done}</w15:commentsEx>".encode()
        )
    document = f'<w:document {W_NS}><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
    document += "</w:sectPr></w:body></w:document>"
    parts["word/document.xml"] = document.encode()
    parts["word/styles.xml"] = f"<w:styles {W_NS}/>".encode()
    parts["word/_rels/document.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels)
        + "</Relationships>"
    ).encode()
    parts["word/media/p.png"] = tiny_png()
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>' + "".join(overrides) + "</Types>"
    ).encode()
    parts["_rels/.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
        "</Relationships>"
    ).encode()
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def para(*runs: str) -> str:
    """A paragraph of runs (already XML)."""
    return "<w:p>" + "".join(runs) + "</w:p>"


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def inserted(text: str) -> str:
    return f'<w:ins w:id="91" w:author="J Smith" w:date="2022-05-01T10:00:00Z">{run(text)}</w:ins>'


def deleted(text: str) -> str:
    return (
        '<w:del w:id="92" w:author="J Smith" w:date="2022-05-01T10:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'
    )
