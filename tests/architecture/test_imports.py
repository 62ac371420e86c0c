"""The shape of the code: imports run one way, from the command line down to the data model.

Every module of ``src/packbuilder`` is read with :mod:`ast` (imports inside
functions count too). The stage packages are ranked in :data:`LAYERS`; a
module may import its own package and the packages ranked below it, never
one ranked above. So no stage reaches up into a later one, nothing below
the front doors imports ``api`` or ``cli``, and there is no import circle
between modules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from helpers.kit import ROOT

SRC = ROOT / "src" / "packbuilder"

LAYERS = (
    "model",  # the data model: meetings, items, papers, page selections, forward-plan entries
    "(top level)",  # exceptions, paths, dates and their printing
    "inputs",  # input files read once: PDFs (with repairs and limits), Word packages, sessions
    "assemble",  # a pack spec in, one PDF out (knows nothing of meetings)
    "load",  # YAML in, model out
    "forwardplan",  # the forward plan's rules: an edition's entries, the legal checks, changes
    "convert",  # Word to PDF with LibreOffice, cached
    "render",  # Word templates filled
    "pack",  # papers ready, pages laid out, the front sheet settled, the pack spec made
    "publish",  # outputs written atomically, the manifest, the lock
    "late",  # late papers: status, what changed, supplements, what watch watches
    "api",  # the front doors: one function per command
    "cli",  # click: arguments in, one api call, exit codes out
)
CLI_MAY_IMPORT = {"api", "cli", "model", "(top level)"}
ENTRY_POINTS = {"packbuilder.__main__"}  # ``python -m packbuilder`` runs the CLI


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(SRC.rglob("*.py"))}


def imported(name: str, path: Path) -> Iterator[str]:
    """The packbuilder modules ``name`` (at ``path``) imports, anywhere in its text."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("packbuilder"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("packbuilder"):
                continue
            for alias in node.names:  # ``from . import render``: the module itself
                submodule = f"{target}.{alias.name}"
                yield submodule if submodule in MODULES else target


def graph() -> dict[str, set[str]]:
    edges = {name: set(imported(name, path)) - {name} for name, path in MODULES.items()}
    unknown = {(a, b) for a, targets in edges.items() for b in targets if b not in MODULES}
    assert not unknown, f"imports of modules that do not exist: {sorted(unknown)}"
    return edges


def layer_of(name: str) -> str:
    parts = name.split(".")
    if len(parts) == 1:
        return "(top level)"  # the package itself (its version)
    if len(parts) > 2 or MODULES.get(name, Path()).name == "__init__.py":
        return parts[1]
    return "(top level)"


def test_every_package_is_ranked_and_every_module_in_a_ranked_package():
    packages = {p.parent.name for p in SRC.glob("*/__init__.py")}
    assert packages == set(LAYERS) - {"(top level)"}
    top_level = sorted(n for n in MODULES if layer_of(n) == "(top level)")
    assert len(top_level) <= 8, f"keep the top of src/packbuilder to a handful: {top_level}"


def upward_imports(edges: dict[str, set[str]]) -> list[str]:
    """Each import of a module ranked above the importer's layer."""
    rank = {name: index for index, name in enumerate(LAYERS)}
    return [
        f"{a} ({layer_of(a)}) imports {b} ({layer_of(b)})"
        for a, targets in edges.items()
        if a not in ENTRY_POINTS
        for b in targets
        if rank[layer_of(b)] > rank[layer_of(a)]
    ]


def cli_strays(edges: dict[str, set[str]]) -> list[str]:
    """Each import by the CLI of something other than the api (and the model, the helpers)."""
    return [
        f"{a} imports {b}"
        for a, targets in edges.items()
        if layer_of(a) == "cli"
        for b in targets
        if layer_of(b) not in CLI_MAY_IMPORT
    ]


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in edges:
        if node not in index:
            visit(node)
    return found


def test_imports_go_down_the_layers_never_up():
    assert not upward_imports(graph()), "\n".join(upward_imports(graph()))


def test_the_cli_calls_only_the_api():
    assert not cli_strays(graph()), "\n".join(cli_strays(graph()))


def test_no_import_circles():
    assert not circles(graph()), f"import circles: {circles(graph())}"


def test_the_checks_catch_what_they_are_for():
    """On a made-up graph: a stage reaching up, the CLI reaching past the api, a circle."""
    bad = {
        "packbuilder.render.docx": {"packbuilder.api.meeting"},
        "packbuilder.cli.build": {"packbuilder.convert.converter"},
        "packbuilder.pack.papers": {"packbuilder.pack.layout"},
        "packbuilder.pack.layout": {"packbuilder.pack.papers"},
    }
    assert upward_imports(bad) == [
        "packbuilder.render.docx (render) imports packbuilder.api.meeting (api)"
    ]
    assert cli_strays(bad) == ["packbuilder.cli.build imports packbuilder.convert.converter"]
    assert circles(bad) == [["packbuilder.pack.layout", "packbuilder.pack.papers"]]
