"""The web agenda, the calendar entry and the open data every build writes into ``public/``.

Built with the fake converter: ``index.html`` is semantic HTML with nothing exempt in
it and a link to each published file; ``meeting.ics`` reads back with ``icalendar``;
``meeting.json`` is valid against the vendored OParl 1.1 schema
(``tests/publish/oparl-1.1/``, see its README); the three are the same bytes for the
same inputs; a council's own template is used, and a broken one is named with its line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import jsonschema
import pytest
from icalendar import Calendar
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from packbuilder import api
from packbuilder.convert._exec import soffice
from packbuilder.publish.published import file_size, parse_time

from helpers import fakeconv, kit

SCHEMAS = Path(__file__).parent / "oparl-1.1"
SECRET = "QXSECRETQ"

ITEMS = f"""\
  - title: Apologies for Absence
  - title: Minutes of the last meeting
    status: to-follow
  - title: "Budget & <Draft> Plan"
    description: The budget for 2022/23.
    papers:
      - title: Budget report
        file: papers/budget.pdf
        appendices:
          - title: Appendix 1 - Figures
            file: papers/figures.pdf
          - title: Appendix 2 - {SECRET} prices
            file: papers/{SECRET}.pdf
            exempt: 3
  - title: Contract award
    exempt: 3
    papers:
      - title: {SECRET} contract report
        file: papers/{SECRET}-award.pdf
"""


@pytest.fixture
def fake_office(monkeypatch):
    monkeypatch.setattr(soffice, "convert_to_pdf", fakeconv.convert_to_pdf)
    monkeypatch.setenv("PACKBUILDER_SOFFICE", sys.executable)  # never run: the fake converts


def meeting(folder: Path, committee: str = kit.COMMITTEE, head: str = "") -> Path:
    for name, pages in (("budget", 2), ("figures", 3), (SECRET, 2), (f"{SECRET}-award", 1)):
        kit.pdf(folder / "papers" / f"{name}.pdf", pages)
    return kit.write_meeting(folder, ITEMS, committee=committee, head=head)


def build(path: Path, out: Path) -> Path:
    api.build(path, api.BuildOptions(output_dir=out, cache_dir=None))
    return out / "public"


class Outline(HTMLParser):
    """The tags, attributes and text of a page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def outline(page: Path) -> Outline:
    parsed = Outline()
    parsed.feed(page.read_text(encoding="utf-8"))
    return parsed


def test_the_web_agenda_is_the_public_agenda_as_a_page(fake_office, tmp_path):
    public = build(meeting(tmp_path / "m"), tmp_path / "out")
    html = (public / "index.html").read_text(encoding="utf-8")
    page = outline(public / "index.html")
    tags = [tag for tag, _ in page.tags]
    assert page.tags[0] == ("html", {"lang": "en-GB"})
    assert tags.count("h1") == 1 and tags.count("ol") == 2 and "script" not in tags
    assert tags.count("h3") == 5  # an item heading each, and the Part B heading
    text = " ".join(" ".join(page.text).split())
    assert "Budget &amp; &lt;Draft&gt; Plan" in html  # escaped, and shown as written
    assert "3. Budget & <Draft> Plan" in text and "The budget for 2022/23." in text
    assert "To Follow" in text and "Exempt information: paragraph 3" in text
    assert "Appendix 2 to Budget report is not for publication (paragraph 3)." in text
    assert "Councillors Llinos Medi Huws (Chair), Dafydd Rhys Thomas and Siân" in text
    assert SECRET not in html  # nothing exempt: not a title, not a file name
    hrefs = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    files = [h for h in hrefs if not h.startswith(("#", "mailto:", "tel:"))]
    assert all((public / href).is_file() for href in files), files
    item_pdfs = sorted(f"items/{p.name}" for p in (public / "items").glob("*.pdf"))
    assert sorted(h for h in files if h.startswith("items/")) == item_pdfs
    assert len(item_pdfs) == 1  # the Part B item has no public PDF
    pack = re.search(r'href="pack.pdf">[^<]*</a> <span class="meta">\(([^)]*)\)', html)
    assert pack and re.fullmatch(r"PDF, \d+ KB, \d+ pages", pack.group(1))


def test_file_sizes_read_as_people_write_them():
    assert [file_size(n) for n in (1, 900, 2048, 250_000, 1_258_291)] == [
        "1 byte",
        "900 bytes",
        "2 KB",
        "244 KB",
        "1.2 MB",
    ]


@pytest.mark.parametrize(
    ("written", "time"),
    [
        ("10.00 am", dt.time(10, 0)),
        ("2.30pm", dt.time(14, 30)),
        ("6 p.m.", dt.time(18, 0)),
        ("12.15 pm", dt.time(12, 15)),
        ("12 am", dt.time(0, 0)),
        ("14:00", dt.time(14, 0)),
        ("noon", dt.time(12, 0)),
        ("after the Council meeting", None),
        ("13 pm", None),
        ("25:00", None),
    ],
)
def test_the_meeting_time_is_read(written, time):
    assert parse_time(written) == time


def test_the_calendar_entry_reads_back(fake_office, tmp_path):
    public = build(meeting(tmp_path / "m", head="revision: 2\n"), tmp_path / "out")
    calendar = Calendar.from_ical((public / "meeting.ics").read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Pwyllgor Craffu / Scrutiny Committee (Cyngor Sir Ynys Môn)"
    # 10.00 am in Llangefni in May is 09:00 UTC (British Summer Time)
    assert event.decoded("dtstart") == dt.datetime(2022, 5, 11, 9, 0, tzinfo=dt.UTC)
    assert str(event["location"]) == "Council Chamber, Llangefni"
    assert event.decoded("dtstamp") == dt.datetime(2022, 5, 3, tzinfo=dt.UTC)  # published
    assert event["sequence"] == 2
    assert "index.html" in str(event["description"]) and "url" not in event
    assert str(event["uid"]).startswith("pwyllgor-craffu-scrutiny-committee-2022-05-11@")


def test_a_published_address_makes_full_links(fake_office, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1651600000")
    committee = kit.COMMITTEE + "publish_url: https://democracy.example.gov.uk/scrutiny/{meeting}\n"
    public = build(meeting(tmp_path / "m", committee), tmp_path / "out")
    (event,) = Calendar.from_ical((public / "meeting.ics").read_bytes()).walk("VEVENT")
    assert str(event["url"]) == "https://democracy.example.gov.uk/scrutiny/meeting/index.html"
    assert event.decoded("dtstamp") == dt.datetime.fromtimestamp(1651600000, dt.UTC)
    data = json.loads((public / "meeting.json").read_text())
    validate(data, absolute=True)
    file = data["data"][0]["invitation"]
    assert file["accessUrl"] == "https://democracy.example.gov.uk/scrutiny/meeting/agenda.pdf"
    assert file["created"] == "2022-05-03T17:46:40+00:00"


def test_an_unreadable_time_makes_an_all_day_event(fake_office, tmp_path):
    path = meeting(tmp_path / "m")
    path.write_text(path.read_text().replace("10.00 am", "On the rising of Council"))
    public = build(path, tmp_path / "out")
    (event,) = Calendar.from_ical((public / "meeting.ics").read_bytes()).walk("VEVENT")
    assert event.decoded("dtstart") == dt.date(2022, 5, 11)
    assert "start" not in json.loads((public / "meeting.json").read_text())["data"][0]


# --- the open data -----------------------------------------------------------------------

REGISTRY = Registry().with_resources(
    (path.name, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT7))
    for path in SCHEMAS.glob("*.json")
)


def _checker(absolute: bool) -> jsonschema.FormatChecker:
    """OParl's formats: ``url`` (absolute http(s), or relative to the folder), dates."""
    checker = jsonschema.FormatChecker()

    @checker.checks("url")
    def url(value: object) -> bool:
        parsed = urlparse(str(value))
        if absolute:
            return parsed.scheme in ("http", "https") and bool(parsed.netloc)
        return not parsed.scheme and not parsed.netloc and not str(value).startswith("/")

    @checker.checks("date-time")
    def date_time(value: object) -> bool:
        return dt.datetime.fromisoformat(str(value)).tzinfo is not None

    @checker.checks("date")
    def date(value: object) -> bool:
        return bool(dt.date.fromisoformat(str(value)))

    return checker


def validate(data: dict, *, absolute: bool) -> None:
    """``meeting.json`` against the vendored schema: the list, then each object by its type."""
    checker = _checker(absolute)

    def check(schema_name: str, instance: object) -> None:
        schema = json.loads((SCHEMAS / schema_name).read_text())
        jsonschema.Draft7Validator(schema, registry=REGISTRY, format_checker=checker).validate(
            instance
        )

    check("ObjectList.json", data)
    for entry in data["data"]:
        check(f"{entry['type'].rsplit('/', 1)[-1]}.json", entry)  # its pattern checks 1.1


def test_the_open_data_is_valid_oparl(fake_office, tmp_path):
    public = build(meeting(tmp_path / "m"), tmp_path / "out")
    text = (public / "meeting.json").read_text(encoding="utf-8")
    data = json.loads(text)
    validate(data, absolute=False)
    assert SECRET not in text
    types = [entry["type"].rsplit("/", 1)[1] for entry in data["data"]]
    assert types == ["Meeting", "Organization", "Person", "Person", "Person"]
    meeting_entry = data["data"][0]
    items = meeting_entry["agendaItem"]
    assert [(i["number"], i["order"], i["public"]) for i in items] == [
        ("1", 0, True),
        ("2", 1, True),
        ("3", 2, True),
        ("4", 3, False),
    ]
    assert "auxiliaryFile" not in items[3]  # the Part B item: no file
    (item_file,) = items[2]["auxiliaryFile"]
    assert (public / item_file["accessUrl"]).is_file()
    assert item_file["size"] == (public / item_file["accessUrl"]).stat().st_size
    assert meeting_entry["start"] == "2022-05-11T10:00:00+01:00"
    chair = data["data"][2]
    assert chair["membership"][0]["role"] == "Chair"
    assert chair["membership"][0]["organization"] == data["data"][1]["id"]


def test_the_schema_refuses_what_oparl_refuses(fake_office, tmp_path):
    """The vendored schema is not a formality: a missing required key, a wrong type, a
    1.0 type and an object without created are each refused."""
    data = json.loads(
        (build(meeting(tmp_path / "m"), tmp_path / "out") / "meeting.json").read_text()
    )
    broken = [
        lambda d: d["data"][0]["agendaItem"][0].pop("order"),
        lambda d: d["data"][0]["invitation"].pop("accessUrl"),
        lambda d: d["data"][0].update(cancelled="no"),
        lambda d: d["data"][1].update(type="https://oparl.org/schema/1.0/Organization"),
        lambda d: d["data"][2].pop("created"),
        lambda d: d["data"][0].update(id="https://elsewhere.example/meeting"),
    ]
    for damage in broken:
        copy = json.loads(json.dumps(data))
        damage(copy)
        with pytest.raises(jsonschema.ValidationError):
            validate(copy, absolute=False)


# --- the same bytes, a council's own template ------------------------------------------


def test_the_same_inputs_give_the_same_files(fake_office, tmp_path):
    path = meeting(tmp_path / "m")
    first, second = build(path, tmp_path / "a"), build(path, tmp_path / "b")
    for name in ("index.html", "meeting.ics", "meeting.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_a_council_template_beside_the_committee_is_used(fake_office, tmp_path):
    path = meeting(tmp_path / "m")
    (tmp_path / "m" / "templates" / "web.html").write_text(
        '<!DOCTYPE html><html lang="{{ lang }}"><title>{{ meeting.title }}</title>'
        "<h1>Our council: {{ meeting.title }}</h1>"
        "{% for item in items %}<p>{{ item.number }} {{ item.title }}</p>{% endfor %}</html>",
        encoding="utf-8",
    )
    html = (build(path, tmp_path / "out") / "index.html").read_text(encoding="utf-8")
    assert "<h1>Our council: Pwyllgor Craffu / Scrutiny Committee</h1>" in html
    assert "<p>4 Contract award</p>" in html


def test_a_broken_template_is_named_with_its_line(fake_office, tmp_path):
    path = meeting(tmp_path / "m")
    template = tmp_path / "m" / "own.html"
    template.write_text("<html>\n<p>{{ meeting.title }}</p>\n<p>{{ meeting.chair }}</p>\n")
    committee = tmp_path / "m" / "committee.yaml"
    committee.write_text(committee.read_text() + "templates: {web: own.html}\n")
    result = kit.run("build", str(path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 5, result.output
    assert "own.html:3" in result.output and "chair" in result.output
    assert "Traceback" not in result.output
    template.write_text("<html>\n{% for item in items %}\n")
    result = kit.run("check", str(path))
    assert result.exit_code == 5 and "own.html:" in result.output, result.output


def test_open_shows_the_built_page_or_says_to_build(fake_office, tmp_path, monkeypatch):
    path = meeting(tmp_path / "m")
    result = kit.run("open", str(path))
    assert result.exit_code == 2 and "packbuilder build" in result.output, result.output
    build(path, tmp_path / "m" / "build" / "meeting")
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    result = kit.run("open", str(path))
    assert result.exit_code == 0, result.output
    assert opened == [(tmp_path / "m" / "build" / "meeting" / "public" / "index.html").as_uri()]
