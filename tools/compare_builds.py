"""Prove that a change leaves the example's outputs byte-identical.

Builds the example meeting's pack and the forward plan's edition twice, with
the code of a git revision (default: ``HEAD``) and with the working tree, each
with no cache and the same ``SOURCE_DATE_EPOCH``, and compares every output
file byte for byte: the pack, the front sheet (.pdf and .docx), every per-item
PDF and the forward-plan edition (.pdf, .docx, summary and change list).
``manifest.json`` is listed but not compared: it names the templates used and
the version, which a change of layout may rename.

A revision from before the public/members split wrote the pack's files at the
top of its folder; each file of ``public/`` and ``members/`` is then compared
with the file of the same name there (the example has no exempt business, so
both folders hold the pages it made).

    python tools/compare_builds.py [REV]       # exit 0 when every file is the same

It needs a set-up checkout (``scripts/setup``) and LibreOffice.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEETING = "meetings/osb-2022-05-11.yaml"
PLAN = "meetings/forward-plan/plan.yaml"
NOT_COMPARED = {"manifest.json"}


def build_all(checkout: Path, out: Path) -> dict[str, str]:
    """Build the example pack and edition with the code in ``checkout``; file -> SHA-256."""
    env = {**os.environ, "PYTHONPATH": str(checkout / "src"), "SOURCE_DATE_EPOCH": "1651536000"}
    python = str(ROOT / ".venv" / "bin" / "python")
    runs = [
        ["build", MEETING, "-o", str(out / "pack"), "--no-cache"],
        ["forward-plan", "build", PLAN, "--as-of", "2022-05-03", "-o", str(out / "fwp")],
    ]
    for args in runs:
        subprocess.run(
            [python, "-m", "packbuilder", "--quiet", *args], cwd=checkout, env=env, check=True
        )
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


SPLIT = ("public/", "members/")


def _split_like(before: dict[str, str], after: dict[str, str]) -> dict[str, str]:
    """``before`` with a pack written before the public/members split (``pack/pack.pdf``)
    given the names it has after it (``pack/public/pack.pdf``, ``pack/members/pack.pdf``);
    the files that are not in a split folder after keep their names."""
    if any(name.startswith(f"pack/{folder}") for name in before for folder in SPLIT):
        return before
    renamed = {name: digest for name, digest in before.items() if not name.startswith("pack/")}
    for name in after:
        for folder in SPLIT:
            old = name.replace(f"pack/{folder}", "pack/", 1)
            if name.startswith(f"pack/{folder}") and old in before:
                renamed[name] = before[old]
    left = {n for n in before if n.startswith("pack/")} - {
        n.replace(f"pack/{f}", "pack/", 1) for n in renamed for f in SPLIT
    }
    renamed.update({name: before[name] for name in left})
    return renamed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", nargs="?", default="HEAD", help="the revision to compare with")
    rev = parser.parse_args().rev
    with tempfile.TemporaryDirectory(prefix="compare-builds-") as tmp:
        old_tree = Path(tmp) / "old"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(old_tree), rev], cwd=ROOT, check=True
        )
        try:
            before = build_all(old_tree, Path(tmp) / "before")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old_tree)], cwd=ROOT)
        after = build_all(ROOT, Path(tmp) / "after")
    before = _split_like(before, after)
    differ = 0
    for name in sorted(before.keys() | after.keys()):
        if name.rsplit("/", 1)[-1] in NOT_COMPARED:
            verdict = "not compared"
        elif name not in before or name not in after:
            verdict, differ = ("only after" if name in after else "only before"), differ + 1
        elif before[name] == after[name]:
            verdict = "same bytes"
        else:
            verdict, differ = "DIFFERENT", differ + 1
        print(f"{verdict:>13}  {name}")
    print(f"{'FAILED' if differ else 'OK'}: {differ} file(s) differ from {rev}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
