"""The library's front doors: one function per command, each reading top-down as its pipeline.

``build`` (:mod:`.meeting`): load the definition (:mod:`packbuilder.load`), fill
and convert the papers (:mod:`packbuilder.render`, :mod:`packbuilder.convert`),
lay out the pages and settle the front sheet (:mod:`packbuilder.pack`), write
the PDF (:mod:`packbuilder.assemble`), publish the outputs atomically
(:mod:`packbuilder.publish`). ``check`` does the same up to opening the papers.
:mod:`.late` holds ``status``, ``supplement`` and ``compare`` (late papers),
:mod:`.watch` the ``watch`` loop, :mod:`.forward_plan` the weekly edition, :mod:`.web`
``open`` (the built web agenda in the browser).

The CLI (:mod:`packbuilder.cli`) calls only what this module exports.
"""

from ..convert._exec.soffice import OfficeServer
from ..convert.cachedir import cache_info, clear_cache
from ..convert.converter import DEFAULT_TIMEOUT, default_cache_dir
from ..publish.lock import DEFAULT_WAIT
from .forward_plan import EditionResult, build_forward_plan, check_plan
from .late import changes_since_previous, compare, default_supplement_dir, status, supplement
from .meeting import BuildOptions, BuildResult, build, check, default_output_dir
from .new import NewCouncil, new_council
from .watch import DEFAULT_INTERVAL, Events, Watcher
from .web import open_web_agenda, web_agenda

__all__ = [
    "DEFAULT_INTERVAL",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WAIT",
    "BuildOptions",
    "BuildResult",
    "EditionResult",
    "NewCouncil",
    "Events",
    "OfficeServer",
    "Watcher",
    "build",
    "build_forward_plan",
    "cache_info",
    "changes_since_previous",
    "check",
    "check_plan",
    "clear_cache",
    "compare",
    "default_cache_dir",
    "default_output_dir",
    "default_supplement_dir",
    "new_council",
    "open_web_agenda",
    "status",
    "supplement",
    "web_agenda",
]
