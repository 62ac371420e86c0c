"""Property: whatever graph of annotations and actions a paper holds, the pack holds no
action other than a page link (GoTo) or a web or email link (URI to http, https or
mailto), no script and no attached file.

Hypothesis writes papers with random annotations (links, widgets, markup, media,
attachments; hidden or not; their ``/Subtype`` direct or indirect) carrying random
actions (every type; ``/S`` direct or indirect; URIs of every scheme) chained by
``/Next`` (a reference, an array, loops), triggers (``/AA``), file specifications
with embedded files, and private keys pointing at any of these, sometimes packed
into object streams; the pack and an extract are written and every object in them
is read back through ``qpdf --json``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packbuilder.assemble import PackMetadata, PackPage, PackSpec, write_pack
from packbuilder.inputs.pdfread import open_pdf

from helpers.pdftools import qpdf_check
from helpers.safetykit import (
    ACTION_TYPES,
    decompressed,
    raw_pdf,
    stream,
    unsafe_objects,
    with_object_streams,
)

pytestmark = pytest.mark.skipif(shutil.which("qpdf") is None, reason="needs qpdf")

EXAMPLES = int(os.environ.get("PACKBUILDER_FUZZ_EXAMPLES", "40"))

ACTIONS = 20  # object numbers: actions 20.., names 60.., annotations 100.., files 140..
NAMES = 60
ANNOTS = 100
FILES = 140
SUBTYPES = [
    "/Link",
    "/Widget",
    "/Text",
    "/FreeText",
    "/Popup",
    "/FileAttachment",
    "/Screen",
    "/3D",
    "/RichMedia",
    "/Sound",
    "/Watermark",
    "/Stamp",
]
SCHEMES = ["https://x.example/", "http://x.example/", "mailto:a@x.example", "javascript:go()"]
SCHEMES += [
    "file:///etc/passwd",
    "smb://share/x",
    "\\\\\\\\share\\\\x",
    "ftp://x.example/",
    "x.pdf",
]


@st.composite
def reference(draw, first: int, count: int) -> bytes:
    return b"%d 0 R" % (first + draw(st.integers(0, count - 1)))


@st.composite
def action(draw, number: int, actions: int, files: int) -> dict[int, bytes]:
    """An action object (and the name object of its /S when that is indirect)."""
    kind = draw(st.sampled_from(sorted(ACTION_TYPES)))
    objects: dict[int, bytes] = {}
    if draw(st.booleans()):
        objects[NAMES + number - ACTIONS] = kind.encode()
        s = b"%d 0 R" % (NAMES + number - ACTIONS)
    else:
        s = kind.encode()
    entries = [b"/S " + s, b"/JS (app.alert\\(1\\))" if draw(st.booleans()) else b""]
    entries.append(b"/URI (%s)" % draw(st.sampled_from(SCHEMES)).encode())
    entries.append(b"/F " + draw(_file(files)))
    entries.append(b"/D [0 /Fit]")
    following = draw(st.sampled_from(["none", "one", "array"]))
    if following == "one":
        entries.append(b"/Next " + draw(reference(ACTIONS, actions)))
    elif following == "array":
        refs = draw(st.lists(reference(ACTIONS, actions), min_size=1, max_size=3))
        entries.append(b"/Next [" + b" ".join(refs) + b"]")
    objects[number] = b"<< " + b" ".join(entries) + b" >>"
    return objects


@st.composite
def _file(draw, files: int) -> bytes:
    return draw(
        st.sampled_from(
            [
                b"(budget.xlsx)",
                b"(https://x.example/a.pdf)",
                b"(file:///C:/Users/x/y.pdf)",
                b"%d 0 R" % (FILES + draw(st.integers(0, files - 1))),
                b"<< /FS /URL /F (https://x.example/b.pdf) >>",
            ]
        )
    )


@st.composite
def annotation(draw, number: int, actions: int, files: int) -> dict[int, bytes]:
    kind = draw(st.sampled_from(SUBTYPES))
    objects: dict[int, bytes] = {}
    if draw(st.booleans()):
        objects[number + 20] = kind.encode()
        subtype = b"%d 0 R" % (number + 20)
    else:
        subtype = kind.encode()
    entries = [b"/Type /Annot /Subtype " + subtype, b"/Rect [72 500 300 520]"]
    entries.append(b"/F %d" % draw(st.sampled_from([0, 2, 4, 32])))
    if draw(st.booleans()):
        entries.append(b"/A " + draw(reference(ACTIONS, actions)))
    if draw(st.booleans()):
        entries.append(
            b"/AA << /PO %s /E %s >>"
            % (draw(reference(ACTIONS, actions)), draw(reference(ACTIONS, actions)))
        )
    if draw(st.booleans()):
        entries.append(b"/FS " + draw(_file(files)))
    if draw(st.booleans()):  # a private key holding an action or a file
        target = draw(st.sampled_from([reference(ACTIONS, actions), reference(FILES, files)]))
        entries.append(b"/PrivateThing " + draw(target))
    if kind == "/Widget":
        entries.append(b"/FT /Btn /T (b%d) /AP << /N %d 0 R >>" % (number, FILES + 30))
    if kind == "/Popup" or draw(st.booleans()):
        entries.append(b"/Parent %d 0 R /IRT %d 0 R" % (ANNOTS, ANNOTS))
    objects[number] = b"<< " + b" ".join(entries) + b" >>"
    return objects


@st.composite
def papers(draw) -> tuple[dict[int, bytes], list[int], bool, bool]:
    """A paper's objects, its annotations, whether to pack object streams, keep markup."""
    actions = draw(st.integers(1, 10))
    files = draw(st.integers(1, 3))
    annots = draw(st.integers(1, 6))
    objects: dict[int, bytes] = {}
    for n in range(actions):
        objects.update(draw(action(ACTIONS + n, actions, files)))
    for n in range(annots):
        objects.update(draw(annotation(ANNOTS + n, actions, files)))
    for n in range(files):
        objects[FILES + n] = b"<< /Type /Filespec /F (f%d.txt) /EF << /F %d 0 R >> >>" % (
            n,
            FILES + 10 + n,
        )
        objects[FILES + 10 + n] = stream(b"SECRET-EMBEDDED-%d" % n, b"/Type /EmbeddedFile")
    objects[FILES + 30] = stream(
        b"0 g 0 0 10 10 re f", b"/Type /XObject /Subtype /Form /BBox [0 0 10 10]"
    )
    page_aa = b"/AA << /O %s >>" % draw(reference(ACTIONS, actions)) if draw(st.booleans()) else b""
    widgets = [ANNOTS + n for n in range(annots) if b"/FT /Btn" in objects[ANNOTS + n]]
    form = b"/AcroForm << /Fields [%s] >>" % b" ".join(b"%d 0 R" % w for w in widgets)
    objects.update(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R %s /OpenAction %s >>"
            % (form, draw(reference(ACTIONS, actions))),
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> /Annots [%s] %s /Private %s >>"
            % (
                b" ".join(b"%d 0 R" % (ANNOTS + n) for n in range(annots)),
                page_aa,
                draw(reference(ACTIONS, actions)),
            ),
            4: stream(b"BT /F1 14 Tf 72 700 Td (Property paper) Tj ET"),
            5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        }
    )
    return objects, [ANNOTS + n for n in range(annots)], draw(st.booleans()), draw(st.booleans())


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(papers())
def test_no_action_but_page_and_web_links_and_no_attached_file(paper):
    objects, _annots, objstm, keep_markup = paper
    with tempfile.TemporaryDirectory() as folder:
        source = raw_pdf(Path(folder) / "paper.pdf", objects)
        if objstm:
            source = with_object_streams(source)
        reader = open_pdf(source)
        spec = PackSpec(
            [PackPage(reader, 0, keep_markup), PackPage(reader, 0, keep_markup)],
            [],
            {},
            PackMetadata("t", "s", "a"),
        )
        out, extract = Path(folder) / "pack.pdf", Path(folder) / "extract.pdf"
        write_pack(spec, out, extracts={extract: (2, 2)})
        for pdf in (out, extract):
            qpdf_check(pdf)
            assert unsafe_objects(pdf) == []
            data = decompressed(pdf)
            assert b"SECRET-EMBEDDED" not in data and b"app.alert" not in data
            assert b"Property paper" in data
