"""The two folders of a meeting's outputs: ``public/`` for the website, ``members/`` complete.

``public/`` holds everything that may be published: the public pack, the
agenda (.docx and .pdf), a PDF per item with public material and the public
manifest. ``members/`` holds the complete pack, its per-item PDFs and the full
manifest. Nothing exempt is ever written under ``public/``: the public pack is
assembled from the public documents only (:func:`packbuilder.pack.packspec.build_public_spec`).

A meeting with no exempt business gets both folders too, so that uploads and
scripts never depend on the meeting: ``members/`` then holds the same pack and
item PDFs as ``public/`` (the same bytes).

Output folders written before this split hold the pack and ``manifest.json``
at the top; they are still read (:func:`find_manifest`) and replaced.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..assemble import PackResult, PackSpec, write_pack
from .outputs import MANIFEST

PUBLIC = "public"
MEMBERS = "members"
PACK_FILE = "pack.pdf"


def find_manifest(folder: Path) -> Path:
    """The full manifest of the build in ``folder`` (an output folder, or one of its two
    folders): ``members/manifest.json``, else the folder's own ``manifest.json`` (a public
    folder, or an output folder written before the split)."""
    members = folder / MEMBERS / MANIFEST
    return members if members.is_file() else folder / MANIFEST


@dataclass(frozen=True)
class WrittenPacks:
    """What :func:`write_packs` wrote: every file, by its name in the output folder
    (``public/pack.pdf``), and what each pack is (tagged, claiming PDF/UA)."""

    files: dict[str, Path]
    members: PackResult
    public: PackResult


def write_packs(
    staging: Path,
    members: PackSpec,
    public: PackSpec | None,
    members_extracts: Mapping[str, tuple[int, int]],
    public_extracts: Mapping[str, tuple[int, int]],
) -> dict[str, Path]:
    """Write both packs and their extracts (name in its folder -> 1-based positions) into
    ``staging``; ``public`` None means the public pack is the members' (no exempt business):
    it is written once and copied."""
    written: dict[str, Path] = {}
    public_dir, members_dir = staging / PUBLIC, staging / MEMBERS
    public_result = write_pack(
        public or members,
        public_dir / PACK_FILE,
        extracts={public_dir / name: pages for name, pages in public_extracts.items()},
    )
    written[f"{PUBLIC}/{PACK_FILE}"] = public_dir / PACK_FILE
    written.update({f"{PUBLIC}/{name}": public_dir / name for name in public_extracts})
    members_result = public_result
    if public is None:
        for name in (PACK_FILE, *members_extracts):
            (members_dir / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(public_dir / name, members_dir / name)
    else:
        members_result = write_pack(
            members,
            members_dir / PACK_FILE,
            extracts={members_dir / name: pages for name, pages in members_extracts.items()},
        )
    written[f"{MEMBERS}/{PACK_FILE}"] = members_dir / PACK_FILE
    written.update({f"{MEMBERS}/{name}": members_dir / name for name in members_extracts})
    return WrittenPacks(written, members_result, public_result)
