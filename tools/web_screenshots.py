"""Pictures of the example meeting's web agenda, at desktop and phone widths, for the README.

Run from the repository root, after ``scripts/setup --test`` (Chromium, ChromeDriver)::

    .venv/bin/python tools/web_screenshots.py [MEETING] [--out docs]

Builds MEETING (default: the example, meetings/osb-2022-05-11.yaml) into a temporary
folder with the real LibreOffice, opens its ``public/index.html`` in headless Chromium
and writes ``web-agenda-desktop.png`` (1280 px wide) and ``web-agenda-phone.png``
(390 px) of the whole page into ``--out``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from packbuilder import api  # noqa: E402

from helpers import browser  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "meeting", nargs="?", type=Path, default=ROOT / "meetings" / "osb-2022-05-11.yaml"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    problem = browser.missing()
    if problem:
        sys.exit(f"error: {problem}")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        result = api.build(args.meeting, api.BuildOptions(output_dir=Path(tmp) / "out"))
        with browser.chromium() as driver:
            driver.get((result.output_dir / "public" / "index.html").as_uri())
            for name, size in (("desktop", browser.DESKTOP), ("phone", browser.PHONE)):
                shot = browser.screenshot(driver, args.out / f"web-agenda-{name}.png", size)
                print(f"wrote {shot}")


if __name__ == "__main__":
    main()
