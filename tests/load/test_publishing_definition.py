"""The keys of the contents page and the published web agenda: ``contents:`` (committee and
meeting), ``publish_url:`` and ``templates: contents:``/``web:``, each mistake named with
its file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from packbuilder.exceptions import DefinitionError
from packbuilder.load.meeting import load_meeting
from packbuilder.load.templates import PACKAGE_TEMPLATES

from helpers import kit


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        load_meeting(path)
    return info.value.problems


def test_the_contents_page_is_off_unless_the_committee_or_the_meeting_says(tmp_path):
    plain = load_meeting(kit.write_meeting(tmp_path / "a", "  - title: Apologies\n"))
    assert not plain.has_contents and plain.publish_url is None
    on = kit.COMMITTEE + "contents: true\n"
    committee = load_meeting(kit.write_meeting(tmp_path / "b", "  - title: A\n", committee=on))
    assert committee.has_contents
    meeting = kit.write_meeting(
        tmp_path / "c", "  - title: A\n", committee=on, head="contents: false\n"
    )
    assert not load_meeting(meeting).has_contents


def test_the_default_templates_are_found_by_the_rule(tmp_path):
    path = kit.write_meeting(tmp_path, "  - title: Apologies\n")  # copies templates/ beside it
    templates = load_meeting(path).committee.templates
    assert templates.contents == tmp_path / "templates" / "contents.docx"
    assert templates.web == tmp_path / "templates" / "web.html"
    assert (PACKAGE_TEMPLATES / "web.html").is_file()
    assert (PACKAGE_TEMPLATES / "contents.docx").is_file()


def test_the_published_address_names_the_meeting(tmp_path):
    committee = kit.COMMITTEE + "publish_url: https://www.example.gov.uk/meetings/{meeting}\n"
    path = kit.write_meeting(tmp_path, "  - title: A\n", committee=committee, name="osb-1.yaml")
    assert load_meeting(path).publish_url == "https://www.example.gov.uk/meetings/osb-1/"


@pytest.mark.parametrize(
    ("committee", "head", "expected"),
    [
        (
            "contents: please\n",
            "",
            "committee.yaml:10 (contents): expected true or false, found 'please'",
        ),
        ("", "contents: 2\n", "meeting.yaml:6 (contents): expected true or false"),
        (
            "publish_url: www.example.gov.uk/meetings\n",
            "",
            "committee.yaml:10 (publish_url): 'www.example.gov.uk/meetings' is not a web address",
        ),
        (
            "templates: {web: agenda.docx}\n",
            "",
            "committee.yaml:10 (templates.web): 'agenda.docx' is a .docx; expected .html or .htm "
            "— the web agenda's template is an HTML file",
        ),
    ],
)
def test_mistakes_are_named_with_their_line_and_key(tmp_path, committee, head, expected):
    path = kit.write_meeting(
        tmp_path, "  - title: A\n", committee=kit.COMMITTEE + committee, head=head
    )
    (tmp_path / "agenda.docx").write_bytes((PACKAGE_TEMPLATES / "agenda.docx").read_bytes())
    problems = problems_of(path)
    assert any(expected in problem for problem in problems), problems
