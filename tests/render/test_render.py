"""The rendering stage: contexts, filters, escaping, template errors, and real LibreOffice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import signal
import subprocess
import zipfile
from pathlib import Path

import jinja2
import jinja2.sandbox
import pytest
from docx import Document as WordDocument

from packbuilder import render
from packbuilder.exceptions import ExitCode, InputError, TemplateError
from packbuilder.forwardplan.select import build_edition
from packbuilder.load.plan import load_plan
from packbuilder.model.meeting import ItemStatus, ReportSource
from packbuilder.render import docx as docx_module
from packbuilder.render.docx import ZIP_TIMESTAMP
from packbuilder.render.filters import TemplateLimitError
from packbuilder.render.forwardplan import render_edition

from helpers.kit import ITEM4_REPORT_FIELDS, REFERENCE_ITEM_PAGES, ROOT, TEMPLATES

AGENDA = TEMPLATES / "agenda.docx"
REPORT = TEMPLATES / "report.docx"


def _template(path: Path, *paragraphs: str) -> Path:
    """A small Word template whose paragraphs are the given texts."""
    document = WordDocument()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path


def _document_xml(docx: Path) -> str:
    with zipfile.ZipFile(docx) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def _text(docx: Path) -> str:
    document = WordDocument(str(docx))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def _item4(meeting):
    item = meeting.items[3]
    return item, item.papers[0].document


def _with_report_fields(meeting, fields):
    """The meeting with item 4's cover report fields replaced."""
    item, document = _item4(meeting)
    source = dataclasses.replace(document.source, fields=fields)
    document = dataclasses.replace(document, source=source)
    paper = dataclasses.replace(item.papers[0], document=document)
    item = dataclasses.replace(item, papers=(paper,))
    items = list(meeting.items)
    items[3] = item
    return dataclasses.replace(meeting, items=tuple(items)), item, document


# --- filters ------------------------------------------------------------------------------


def test_date_formats_match_the_reference():
    assert render.ordinal_date(dt.date(2022, 5, 11)) == "Wednesday 11th May, 2022"
    assert render.long_date(dt.date(2022, 5, 3)) == "Tuesday 3 May 2022"
    assert render.short_date(dt.date(2022, 5, 11)) == "11 May 2022"
    assert render.long_date("2022-05-03") == "Tuesday 3 May 2022"
    assert render.long_date(None) == ""
    assert render.long_date("next week") == "next week"


@pytest.mark.parametrize(
    "day,suffix",
    [(1, "st"), (2, "nd"), (3, "rd"), (4, "th"), (11, "th"), (12, "th"), (13, "th")]
    + [(21, "st"), (22, "nd"), (23, "rd"), (30, "th"), (31, "st")],
)
def test_ordinal_suffixes(day, suffix):
    assert render.ordinal_date(dt.date(2022, 1, day)).split()[1] == f"{day}{suffix}"


def test_paragraphs_filter():
    assert render.paragraphs("One.\n\nTwo,\nstill two.\n  \nThree.") == [
        "One.",
        "Two,\nstill two.",
        "Three.",
    ]
    assert render.paragraphs(["A", "B\n\nC", ""]) == ["A", "B", "C"]
    assert render.paragraphs("") == []
    assert render.paragraphs(None) == []
    assert render.lines(["Chief Executive", "Director of Finance"]) == (
        "Chief Executive\nDirector of Finance"
    )


def test_environment_is_strict_and_escapes():
    env = render.jinja_environment()
    assert env.autoescape is True
    assert issubclass(env.undefined, jinja2.StrictUndefined)
    assert env.from_string("{{ x }}").render(x="R&D <draft>") == "R&amp;D &lt;draft&gt;"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ x|paragraphs }}").render()
    for name in ("long_date", "ordinal_date", "paragraphs"):
        assert name in env.filters


def test_environment_is_a_sandbox_with_limits():
    env = render.jinja_environment()
    assert isinstance(env, jinja2.sandbox.SandboxedEnvironment)
    for unsafe in ("{{ x.__class__ }}", "{{ x.__class__.__mro__[1].__subclasses__() }}"):
        with pytest.raises(jinja2.sandbox.SecurityError, match="__class__"):
            env.from_string(unsafe).render(x="text")
    assert env.from_string("{{ range(3)|list }} {{ '-' * 3 }} {{ 2 ** 10 }}").render() == (
        "[0, 1, 2] --- 1024"
    )
    for huge in ("{{ range(10**8)|length }}", "{{ 'x' * 10**7 }}", "{{ 10 ** 100000 }}"):
        with pytest.raises(TemplateLimitError):
            render.jinja_environment().from_string(huge).render()
    budget = render.jinja_environment().from_string(
        "{% for i in range(400) %}{% for j in range(400) %}{% endfor %}{% endfor %}"
    )
    with pytest.raises(TemplateLimitError, match="more than 100,000 numbers in one template"):
        budget.render()


def _plain_environment() -> jinja2.Environment:
    """The environment templates were filled in before the sandbox: the same options."""
    env = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
    env.filters.update(render.jinja_environment().filters)
    return env


def test_the_sandbox_fills_the_real_templates_as_before(reference_meeting, tmp_path, monkeypatch):
    """The agenda (with links and without), a cover report and the forward plan (its weekly
    edition and the agenda's table) are the same bytes in the sandbox as without it."""
    plan = load_plan(ROOT / "meetings" / "forward-plan" / "plan.yaml")
    edition = build_edition(plan, dt.date(2022, 5, 3))
    item, document = _item4(reference_meeting)

    def fill_all(folder: Path) -> dict[str, bytes]:
        folder.mkdir()
        render.render_agenda(AGENDA, reference_meeting, REFERENCE_ITEM_PAGES, folder / "a.docx")
        render.render_agenda(
            AGENDA, reference_meeting, REFERENCE_ITEM_PAGES, folder / "b.docx", links=False
        )
        render.render_report(REPORT, reference_meeting, item, document, folder / "c.docx")
        render_edition(plan, edition, folder / "d.docx")
        render_edition(plan, edition, folder / "e.docx", heading="APPENDIX A", standalone=False)
        return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}

    sandboxed = fill_all(tmp_path / "sandbox")
    monkeypatch.setattr(docx_module, "jinja_environment", _plain_environment)
    assert fill_all(tmp_path / "plain") == sandboxed


# --- contexts -----------------------------------------------------------------------------


def test_agenda_context_of_the_reference(reference_meeting):
    context = render.build_agenda_context(reference_meeting, REFERENCE_ITEM_PAGES)
    meeting = context["meeting"]
    assert context["body"] == "Middlesbrough Council"
    assert context["committee"] == {
        "name": "Overview and Scrutiny Board",
        "members_prefix": "Councillors",
    }
    assert meeting["title"] == "Overview and Scrutiny Board"
    assert meeting["date"] == dt.date(2022, 5, 11)
    assert meeting["date_long"] == "Wednesday 11th May, 2022"
    assert meeting["published_long"] == "Tuesday 3 May 2022"
    assert meeting["time"] == "10.00 am"
    assert meeting["venue"] == "Virtual meeting"
    assert meeting["notices"][0] == "Please note this is a virtual meeting."
    assert context["membership"] == (
        "Councillors M Saunders (Chair), T Mawston (Vice-Chair), A Bell, D Davison, "
        "A Hellaoui, C Hobson, D McCabe, C McIntyre, J Platt, M Storey, J Thompson, "
        "S Walker and B Hubbard"
    )
    assert context["signatory"] == {
        "name": "Charlotte Benjamin",
        "title": "Director of Legal and Governance Services",
    }
    assert context["address"] == ["Town Hall", "Middlesbrough"]
    assert context["contact"] == {
        "name": "Caroline Breheny",
        "phone": "01642 729752",
        "email": "caroline_breheny@middlesbrough.gov.uk",
    }
    assert context["pack"] == {"kind": "Agenda", "revised": False, "revision": None}
    pages = [item["pages"] for item in context["items"]]
    assert pages == ["", "", "To Follow", "3 - 10", "11 - 14", "", "", "15 - 82", "83 - 116", ""]
    assert [str(item["pages_link"]) for item in context["items"]][3].endswith(
        '<w:t xml:space="preserve">3 - 10</w:t></w:r>'
    )
    seventh = context["items"][6]
    assert seventh["description"].startswith("Information gathered from the school visits")
    assert context["items"][0]["description"] == ""
    assert context["items"][2]["status"] == "to-follow"


def test_withdrawn_and_to_follow_items_print_their_status(reference_meeting):
    items = list(reference_meeting.items)
    items[4] = dataclasses.replace(items[4], status=ItemStatus.WITHDRAWN)
    meeting = dataclasses.replace(reference_meeting, items=tuple(items), revision=2)
    context = render.build_agenda_context(
        meeting, {"4": "3 - 10"}, kind="Supplementary Agenda", revised=True
    )
    assert [item["pages"] for item in context["items"]][2:5] == [
        "To Follow",
        "3 - 10",
        "Withdrawn",
    ]
    assert context["pack"] == {"kind": "Supplementary Agenda", "revised": True, "revision": 2}


def test_page_ranges_are_links_to_the_item(reference_meeting):
    targets = []

    def url_id(url):
        targets.append(url)
        return f"rId{len(targets) + 100}"

    context = render.build_agenda_context(reference_meeting, REFERENCE_ITEM_PAGES, url_id=url_id)
    assert targets == [render.LINK_PREFIX + n for n in ("4", "5", "8", "9")]
    link = str(context["items"][3]["pages_link"])
    assert '<w:hyperlink r:id="rId101"' in link
    assert "w:hyperlink" not in str(context["items"][2]["pages_link"])  # To Follow


def test_report_context_fills_defaults(reference_meeting):
    item, document = _item4(reference_meeting)
    context = render.build_report_context(reference_meeting, item, document)
    report = context["report"]
    assert report["submitted_to"] == "Overview and Scrutiny Board – 11 May 2022"
    assert report["subject"] == "Executive Forward Work Programme"
    assert report["report_of"] == "Chief Executive"
    assert report["summary"] == ""
    assert report["contact"] == {
        "name": "Caroline Breheny",
        "phone": "",
        "email": "caroline_breheny@middlesbrough.gov.uk",
    }
    assert set(report["impacts"]) == {"legal", "financial", "policy_framework", "equality", "risk"}
    assert context["item"] == {"number": "4", "title": "Executive Forward Work Programme"}
    assert context["meeting"]["date_long"] == "Wednesday 11th May, 2022"


def test_a_group_field_must_be_a_mapping(reference_meeting):
    meeting, item, document = _with_report_fields(
        reference_meeting, {**ITEM4_REPORT_FIELDS, "impacts": "none"}
    )
    with pytest.raises(InputError, match="'impacts' should be a mapping"):
        render.build_report_context(meeting, item, document)


# --- rendering ----------------------------------------------------------------------------


def test_render_agenda_writes_ranges_and_links(reference_meeting, tmp_path):
    out = tmp_path / "agenda.docx"
    render.render_agenda(AGENDA, reference_meeting, REFERENCE_ITEM_PAGES, out)
    text = _text(out)
    for expected in (
        "OVERVIEW AND SCRUTINY BOARD",
        "Wednesday 11th May, 2022",
        "3 - 10",
        "83 - 116",
        "To Follow",
        "Councillors M Saunders (Chair)",
        "Caroline Breheny, 01642 729752, caroline_breheny@middlesbrough.gov.uk",
        "Tuesday 3 May 2022",
        "AGENDA",
    ):
        assert expected in text
    with zipfile.ZipFile(out) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert f'Target="{render.LINK_PREFIX}4"' in rels
    assert f'Target="{render.LINK_PREFIX}9"' in rels


def test_render_is_deterministic(reference_meeting, tmp_path):
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    render.render_agenda(AGENDA, reference_meeting, REFERENCE_ITEM_PAGES, first)
    render.render_agenda(AGENDA, reference_meeting, REFERENCE_ITEM_PAGES, second)
    assert _document_xml(first) == _document_xml(second)


def test_saved_docx_has_fixed_zip_timestamps(reference_meeting, tmp_path):
    """So the same document is the same bytes whenever it is built (the manifest's hash)."""
    agenda, report = tmp_path / "agenda.docx", tmp_path / "report.docx"
    render.render_agenda(AGENDA, reference_meeting, REFERENCE_ITEM_PAGES, agenda, links=False)
    item, document = _item4(reference_meeting)
    render.render_report(REPORT, reference_meeting, item, document, report)
    for docx in (agenda, report):
        with zipfile.ZipFile(docx) as archive:
            assert {info.date_time for info in archive.infolist()} == {ZIP_TIMESTAMP}
            assert archive.testzip() is None


def test_supplementary_revised_heading(reference_meeting, tmp_path):
    out = tmp_path / "agenda.docx"
    meeting = dataclasses.replace(reference_meeting, revision=2)
    render.render_agenda(
        AGENDA, meeting, REFERENCE_ITEM_PAGES, out, kind="Supplementary Agenda", revised=True
    )
    text = _text(out)
    assert "REVISED SUPPLEMENTARY AGENDA" in text
    assert "(revision 2)" in text


def test_render_report_of_the_reference(reference_meeting, tmp_path):
    item, document = _item4(reference_meeting)
    out = tmp_path / "report.docx"
    render.render_report(REPORT, reference_meeting, item, document, out)
    paragraphs = [p.text for p in WordDocument(str(out)).paragraphs]
    why = paragraphs.index("Why does this report require a Member decision?")
    assert paragraphs[why + 1].startswith("The OSB has delegated powers")
    assert paragraphs[why + 2].startswith("One of the main duties of OSB")
    assert paragraphs[why + 3].startswith("This would not negate")
    text = _text(out)
    assert "Overview and Scrutiny Board – 11 May 2022" in text
    assert "Open and transparent scrutiny supports all elements of the Mayor’s Vision." in text
    assert "{{" not in text and "{%" not in text


def test_autoescape_keeps_ampersands_and_angle_brackets(reference_meeting, tmp_path):
    meeting, item, document = _with_report_fields(
        reference_meeting, {**ITEM4_REPORT_FIELDS, "purpose": "R&D <draft>"}
    )
    out = tmp_path / "report.docx"
    render.render_report(REPORT, meeting, item, document, out)
    assert "R&amp;D &lt;draft&gt;" in _document_xml(out)
    assert "R&D <draft>" in [p.text for p in WordDocument(str(out)).paragraphs]

    items = list(reference_meeting.items)
    items[0] = dataclasses.replace(items[0], title="R&D <draft>")
    agenda = tmp_path / "agenda.docx"
    render.render_agenda(
        AGENDA, dataclasses.replace(reference_meeting, items=tuple(items)), {}, agenda
    )
    assert "R&amp;D &lt;draft&gt;" in _document_xml(agenda)


def test_undefined_report_field_names_the_variable_and_template(reference_meeting, tmp_path):
    template = _template(tmp_path / "report.docx", "{{ report.subject }}", "{{ report.sumary }}")
    item, document = _item4(reference_meeting)
    with pytest.raises(TemplateError) as caught:
        render.render_report(template, reference_meeting, item, document, tmp_path / "out.docx")
    error = caught.value
    assert "report.sumary" in error.message
    assert "report.docx" in error.message
    assert "not defined" in error.message
    assert "under 'report:'" in error.hint
    assert "summary" in error.hint  # the fields that exist
    assert error.exit_code is ExitCode.TEMPLATE_ERROR
    assert isinstance(error.__cause__, jinja2.UndefinedError)
    assert not (tmp_path / "out.docx").exists()


def test_undefined_agenda_variable(reference_meeting, tmp_path):
    template = _template(tmp_path / "agenda.docx", "{{ meeting.titel }}")
    with pytest.raises(TemplateError, match=r"uses \{\{ meeting\.titel \}\}") as caught:
        render.render_agenda(template, reference_meeting, {}, tmp_path / "out.docx")
    assert "date_long" in caught.value.hint

    template = _template(tmp_path / "top.docx", "{{ comittee.name }}")
    with pytest.raises(TemplateError, match=r"\{\{ comittee \}\}") as caught:
        render.render_agenda(template, reference_meeting, {}, tmp_path / "out.docx")
    assert "committee" in caught.value.hint


def test_broken_jinja_is_a_template_error(reference_meeting, tmp_path):
    template = _template(tmp_path / "agenda.docx", "Hello", "{{ meeting.title }")
    with pytest.raises(TemplateError, match="broken Jinja tag") as caught:
        render.render_agenda(template, reference_meeting, {}, tmp_path / "out.docx")
    assert "agenda.docx" in caught.value.message
    assert isinstance(caught.value.__cause__, jinja2.TemplateSyntaxError)

    template = _template(tmp_path / "unclosed.docx", "{%p if pack.revised %}", "Revised")
    with pytest.raises(TemplateError, match="broken Jinja tag"):
        render.render_agenda(template, reference_meeting, {}, tmp_path / "out.docx")


@pytest.mark.parametrize("content", [b"this is not a Word document", b""])
def test_not_a_docx_is_a_template_error(reference_meeting, tmp_path, content):
    template = tmp_path / "agenda.docx"
    template.write_bytes(content)
    with pytest.raises(TemplateError, match="is not a Word document") as caught:
        render.render_agenda(template, reference_meeting, {}, tmp_path / "out.docx")
    assert caught.value.__cause__ is not None


def test_a_zip_that_is_not_a_docx_is_a_template_error(reference_meeting, tmp_path):
    template = tmp_path / "agenda.docx"
    with zipfile.ZipFile(template, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(TemplateError, match="is not a Word document"):
        render.render_agenda(template, reference_meeting, {}, tmp_path / "out.docx")


def test_missing_template(reference_meeting, tmp_path):
    with pytest.raises(TemplateError, match="does not exist"):
        render.render_agenda(tmp_path / "nope.docx", reference_meeting, {}, tmp_path / "o.docx")


def test_report_source_fields_are_not_modified(reference_meeting, tmp_path):
    item, document = _item4(reference_meeting)
    assert isinstance(document.source, ReportSource)
    before = dict(document.source.fields)
    render.render_report(REPORT, reference_meeting, item, document, tmp_path / "r.docx")
    assert document.source.fields == before


# --- real LibreOffice ---------------------------------------------------------------------


def _convert(docs: list[Path], outdir: Path) -> None:
    """Convert with real LibreOffice in a throw-away profile, killing the group on timeout."""
    profile = outdir / "lo-profile"
    command = [
        shutil.which("soffice"),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(outdir),
        *map(str, docs),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        process.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("LibreOffice timed out")


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_reference_front_sheet_and_report_convert_to_two_pages_each(reference_meeting, tmp_path):
    from pypdf import PdfReader

    agenda = tmp_path / "agenda.docx"
    report = tmp_path / "report.docx"
    render.render_agenda(AGENDA, reference_meeting, REFERENCE_ITEM_PAGES, agenda)
    item, document = _item4(reference_meeting)
    render.render_report(REPORT, reference_meeting, item, document, report)
    _convert([agenda, report], tmp_path)

    reader = PdfReader(tmp_path / "agenda.pdf")
    assert len(reader.pages) == 2
    assert len(PdfReader(tmp_path / "report.pdf").pages) == 2

    text = reader.pages[0].extract_text()
    for expected in ("3 - 10", "11 - 14", "15 - 82", "83 - 116", "To Follow"):
        assert expected in text

    # Where each range is printed on page 1 (PDF coordinates of its baseline start).
    ranges = {"4": "3 - 10", "5": "11 - 14", "8": "15 - 82", "9": "83 - 116"}
    positions: dict[str, tuple[float, float]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip() in ranges.values():
            positions[text.strip()] = (tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5])

    reader.pages[0].extract_text(visitor_text=visit)

    page = reader.pages[0]
    width = float(page.mediabox.width)
    height = float(page.mediabox.height)
    links = {}
    for annotation in page.get("/Annots") or []:
        annotation = annotation.get_object()
        if annotation.get("/Subtype") == "/Link" and "/A" in annotation:
            uri = annotation["/A"].get("/URI")
            if uri and uri.startswith(render.LINK_PREFIX):
                links[uri[len(render.LINK_PREFIX) :]] = [float(v) for v in annotation["/Rect"]]
    assert sorted(links) == ["4", "5", "8", "9"]
    for number, printed in ranges.items():
        x0, y0, x1, y1 = links[number]
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
        assert x0 > width / 2  # the right-hand column
        assert 8 <= y1 - y0 <= 30  # about one line high
        if printed in positions:  # the link covers the start of the printed range
            x, y = positions[printed]
            assert x0 - 1 <= x <= x1 and y0 - 4 <= y <= y1, (number, (x, y), links[number])
    assert len(positions) >= 3
    assert links["4"][1] > links["5"][1] > links["8"][1] > links["9"][1]


# --- the default report is council-neutral; the example's is the reference's ----------------

EXAMPLE_REPORT = ROOT / "meetings" / "templates" / "report.docx"


def test_the_default_report_leaves_out_empty_sections_and_says_nothing_of_a_council(
    reference_meeting, tmp_path
):
    fields = {
        "report_of": "Director of Finance",
        "purpose": "To note the budget.",
        "proposed_decisions": "That the Committee notes the report.",
    }
    meeting, item, document = _with_report_fields(reference_meeting, fields)
    out = tmp_path / "report.docx"
    render.render_report(REPORT, meeting, item, document, out)
    text = _text(out)
    assert "Director of Finance" in text and "To note the budget." in text
    for absent in (
        "Ward(s) affected",
        "Summary",
        "Impact(s) of recommended decision(s)",
        "Legal",
        "Background papers",
        "Strategic Plan",
        "Mayor",
        "Middlesbrough",
        "Contribution to",
    ):
        assert absent not in text, absent
    assert "{{" not in text and "{%" not in text


def test_the_default_report_prints_a_section_once_it_has_something(reference_meeting, tmp_path):
    fields = {**ITEM4_REPORT_FIELDS, "summary": "The plan is attached."}
    meeting, item, document = _with_report_fields(reference_meeting, fields)
    out = tmp_path / "report.docx"
    render.render_report(REPORT, meeting, item, document, out)
    text = _text(out)
    for present in ("Summary", "Ward(s) affected", "Legal", "Contribution to the Council"):
        assert present in text, present
    assert "2020-23" not in text


def test_the_example_meeting_uses_the_reference_layout(reference_meeting, tmp_path):
    item, document = _item4(reference_meeting)
    assert document.source.template == EXAMPLE_REPORT
    out = tmp_path / "report.docx"
    render.render_report(EXAMPLE_REPORT, reference_meeting, item, document, out)
    assert "Contribution to delivery of the 2020-23 Strategic Plan" in _text(out)
