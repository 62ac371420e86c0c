"""``open``: show a meeting's built web agenda (``public/index.html``) in the browser."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from pathlib import Path

from ..exceptions import NothingBuiltError
from ..paths import display_path
from ..publish.folders import PUBLIC
from ..publish.web import INDEX
from .meeting import default_output_dir


def web_agenda(meeting_path: Path | str, output_dir: Path | None = None) -> Path:
    """The built web agenda of the meeting (in ``output_dir``, default ``build/<meeting>/``);
    :class:`NothingBuiltError` when there is none yet."""
    folder = Path(output_dir or default_output_dir(Path(meeting_path)))
    page = folder / PUBLIC / INDEX
    if not page.is_file():
        raise NothingBuiltError(
            f"there is no web agenda to open: {display_path(page)} has not been built",
            hint=f"build the meeting first: packbuilder build {meeting_path}"
            + (f" --output {output_dir}" if output_dir else ""),
        )
    return page.resolve()


def open_web_agenda(
    meeting_path: Path | str,
    output_dir: Path | None = None,
    opener: Callable[[str], bool] | None = None,
) -> tuple[Path, bool]:
    """Open the meeting's built web agenda in the default browser (or with ``opener``);
    return the page and whether a browser was started (False on a machine with none)."""
    page = web_agenda(meeting_path, output_dir)
    return page, bool((opener or webbrowser.open)(page.as_uri()))
