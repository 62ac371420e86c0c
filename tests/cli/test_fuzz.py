"""Fuzzing the inputs a clerk writes: nothing escapes but packbuilder's own errors.

The meeting loader is fuzzed three ways: a valid meeting with random
key/value trees put at random places at every level (committee, items,
papers, appendices, report fields, templates), raw YAML-ish text, and raw
bytes. ``api.check`` (which also opens the papers and resolves page
selections) gets the same trees. Every problem reported must name its file
and line and say what to do. The page-selection parser gets text built from
the pieces selections are made of.
"""

from __future__ import annotations

import copy
import json
import os
import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packbuilder import api
from packbuilder.exceptions import DefinitionError, PackbuilderError
from packbuilder.load import meeting as definition
from packbuilder.load import schema as s
from packbuilder.load.meeting import load_meeting
from packbuilder.load.plan import load_plan
from packbuilder.model.pagesel import PageSelectionError, parse_page_selection

from helpers import kit
from helpers.manifests import OLD

EXAMPLES = int(os.environ.get("PACKBUILDER_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

FIELD_NAMES = sorted(
    {
        name
        for value in vars(definition).values()
        if isinstance(value, s.Struct)
        for name in value.fields
    }
    | {"subject", "summary", "impacts", "legal", "x", "items[0]", ""}
)

BASE = {
    "committee": {
        "name": "Scrutiny Committee",
        "body": "Cyngor Sir Ynys Môn",
        "membership": [{"name": "Llinos Huws", "role": "Chair"}, "Siân Ŵyn"],
        "contact": {"name": "Ann Holmes", "phone": "01248 752518"},
        "signatory": {"name": "Lynn Ball", "title": "Director"},
        "templates": {"agenda": "templates/agenda.docx"},
        "deadline": {"clear_days": 5, "counting": "working"},
    },
    "date": "2022-05-11",
    "time": "10.00 am",
    "venue": "Llangefni",
    "notices": ["Virtual meeting"],
    "items": [
        {"title": "Apologies"},
        {
            "number": "2",
            "title": "Budget",
            "papers": [
                {
                    "file": "papers/budget.pdf",
                    "pages": "1-2",
                    "appendices": [{"file": "papers/appendix.pdf", "pages": "2-end"}],
                },
                {"report": {"subject": "Budget", "impacts": {"legal": "None"}}},
            ],
        },
        {"title": "Minutes", "status": "to-follow", "papers": ["papers/later.pdf"]},
    ],
}

scalars = st.one_of(
    st.text(max_size=15),
    st.integers(-5, 10**6),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=True),
    st.dates().map(str),
    st.sampled_from(["1-3, 7", "5-end", "0", "3-1", "papers/budget.pdf", "x.docx", "to-follow"]),
)
trees = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(FIELD_NAMES), children, max_size=4)
    ),
    max_leaves=10,
)


def _containers(node, path=()):
    """Every dict and list in ``node`` with its path."""
    if isinstance(node, (dict, list)):
        yield path, node
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in items:
            yield from _containers(child, (*path, key))


@st.composite
def mutated_meetings(draw):
    document = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        places = list(_containers(document))
        _path, container = draw(st.sampled_from(places))
        value = draw(trees)
        if isinstance(container, dict):
            key = draw(st.sampled_from(sorted({*container, *FIELD_NAMES})))
            if draw(st.integers(0, 5)) == 0:
                container.pop(key, None)
            else:
                container[key] = value
        elif container and draw(st.booleans()):
            container[draw(st.integers(0, len(container) - 1))] = value
        else:
            container.append(value)
    return document


def _folder() -> tempfile.TemporaryDirectory:
    tmp = tempfile.TemporaryDirectory()
    folder = Path(tmp.name)
    kit.write_meeting(folder, "  - title: x\n")  # the templates and a committee file
    kit.pdf(folder / "papers" / "budget.pdf", 3)
    kit.pdf(folder / "papers" / "appendix.pdf", 2)
    return tmp


_PLACE = re.compile(r"^\S*(meeting|committee)\.yaml(:\d+)?")


def _assert_helpful(error: PackbuilderError) -> None:
    problems = error.problems if isinstance(error, DefinitionError) else [str(error)]
    for problem in problems:
        assert _PLACE.match(problem) or error.where, f"no file named: {problem}"
        assert " — " in problem or error.hint, f"no advice: {problem}"


@FUZZ
@given(document=mutated_meetings())
def test_random_trees_at_every_level_raise_only_packbuilder_errors(document):
    with _folder() as tmp:
        path = Path(tmp) / "meeting.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        try:
            api.check(path)  # loads and opens the papers
        except PackbuilderError as error:
            _assert_helpful(error)


@FUZZ
@given(
    text=st.text(
        alphabet=st.sampled_from(list("abcdeitmsy:-[]{}#&*!|>'\"%@`,? \n\t01259ŵ")),
        max_size=120,
    )
)
def test_yaml_like_text_raises_only_packbuilder_errors(text):
    with _folder() as tmp:
        path = Path(tmp) / "meeting.yaml"
        path.write_text("committee: committee.yaml\n" + text, encoding="utf-8")
        try:
            load_meeting(path)
        except PackbuilderError as error:
            _assert_helpful(error)


@FUZZ
@given(data=st.binary(max_size=200))
def test_random_bytes_raise_only_packbuilder_errors(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "meeting.yaml"
        path.write_bytes(data)
        try:
            load_meeting(path)
        except PackbuilderError as error:
            assert error.exit_code == 3


_PIECES = st.sampled_from(["1", "2", "3", "10", "0", "-", "end", "END", ",", " ", "x", "99", "07"])


@settings(max_examples=EXAMPLES * 5, deadline=None)
@given(text=st.lists(_PIECES, max_size=12).map("".join), count=st.integers(0, 40))
def test_page_selections_from_their_own_pieces(text, count):
    try:
        selection = parse_page_selection(text)
    except PageSelectionError as error:
        assert str(error)
        return
    assert str(selection) == text.strip()
    for start, end in selection.ranges:
        assert start >= 1 and (end is None or end >= start)
    try:
        indices = selection.indices(count)
    except PageSelectionError as error:
        assert "outside the document" in str(error)
        return
    assert all(0 <= i < count for i in indices)
    expected = []
    for start, end in selection.ranges:
        expected.extend(range(start - 1, count if end is None else end))
    assert indices == expected


_CSV_PIECES = st.sampled_from(
    [
        *("reference", "portfolio", "subject", "due_date", "key", "general_exception_date", ""),
        *(",", ";", "\t", '"', "\n", "\r\n", "\r", " ", "\0", "\ufeff"),
        *("R1", "Regeneration", "2022-06-14", "31/02/2022", "yes", "maybe", "Siân Ŵyn", "£"),
    ]
)


@FUZZ
@given(
    text=st.lists(_CSV_PIECES, max_size=40).map("".join),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    tail=st.binary(max_size=8),
)
def test_csv_like_text_raises_only_packbuilder_errors(text, encoding, tail):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.csv"
        path.write_bytes(text.encode(encoding, errors="replace") + tail)
        try:
            load_plan(path)
        except DefinitionError as error:
            for problem in error.problems:
                assert problem.startswith(f"{path}"), f"no file named: {problem}"
                assert " — " in problem, f"no advice: {problem}"


MANIFEST_KEYS = sorted(
    {"kind", "pages", "meeting", "inputs", "items", "number", "title", "status", "papers"}
    | {"documents", "selected", "file", "sha256", "revision", "date", "text", "first", ""}
)
json_trees = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(MANIFEST_KEYS), children, max_size=4)
    ),
    max_leaves=8,
)


@st.composite
def mutated_manifests(draw):
    manifest = copy.deepcopy(OLD)
    for _ in range(draw(st.integers(1, 3))):
        _path, container = draw(st.sampled_from(list(_containers(manifest))))
        value = draw(json_trees)
        if isinstance(container, dict):
            key = draw(st.sampled_from(sorted({*container, *MANIFEST_KEYS})))
            if draw(st.integers(0, 4)) == 0:
                container.pop(key, None)
            else:
                container[key] = value
        elif container and draw(st.booleans()):
            container[draw(st.integers(0, len(container) - 1))] = value
        else:
            container.append(value)
    return manifest


@FUZZ
@given(manifest=mutated_manifests(), new_side=st.booleans())
def test_diff_of_a_mangled_manifest_raises_only_packbuilder_errors(manifest, new_side):
    with tempfile.TemporaryDirectory() as tmp:
        good, mangled = Path(tmp) / "good.json", Path(tmp) / "mangled.json"
        good.write_text(json.dumps(OLD))
        mangled.write_text(json.dumps(manifest))
        old, new = (good, mangled) if new_side else (mangled, good)
        try:
            api.compare(old, new).text()
        except PackbuilderError as error:
            assert error.exit_code == 3
            assert "mangled.json is not a packbuilder manifest (" in str(error)
