"""The bridge to a running LibreOffice: run under a Python that has ``uno``, never imported.

:class:`packbuilder.convert._exec.soffice.OfficeServer` starts LibreOffice listening on a
pipe (``--accept=pipe,name=NAME;urp;``) and runs this script under the system
Python (Debian's ``python3-uno``), because packbuilder's own Python usually
cannot import ``uno``. It speaks JSON lines::

    started:   -> {"ready": true}          or {"error": "..."} (then exits 1)
    stdin:     {"in": "/a/b.docx", "out": "/c/b.pdf", "options": {"UseTaggedPDF": true}}
                                                -> {"ok": true} or {"error": "..."}
    stdin:     {"terminate": true}                      -> {"ok": true}, then exits

``options`` are the PDF export filter's options (its ``FilterData``), booleans.
An error with ``"fatal": true`` means the connection to LibreOffice is lost;
the bridge exits after sending it. At the end of its input (packbuilder
has gone) it asks LibreOffice to terminate and exits, so a killed
packbuilder does not leave LibreOffice running.

Usage: ``python3 uno_bridge.py --pipe NAME [--connect-timeout SECONDS]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]
from com.sun.star.lang import DisposedException  # type: ignore[import-not-found]
from com.sun.star.uno import Exception as UnoException  # type: ignore[import-not-found]
from com.sun.star.uno import RuntimeException  # type: ignore[import-not-found]

PDF_FILTER = "writer_pdf_Export"


def prop(name: str, value: object) -> PropertyValue:
    """A ``com.sun.star.beans.PropertyValue``."""
    value_holder = PropertyValue()
    value_holder.Name = name
    value_holder.Value = value
    return value_holder


# As ``soffice --convert-to`` loads documents: read-only, hidden, no questions;
# and no macros run (papers come from outside the council).
LOAD_PROPERTIES = (
    prop("ReadOnly", True),
    prop("Hidden", True),
    prop("Silent", True),
    prop("MacroExecutionMode", 0),  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
)


def store_properties(options: dict) -> tuple:
    """The PDF export's properties: the filter, and ``options`` as its ``FilterData``."""
    data = tuple(prop(name, bool(value)) for name, value in sorted(options.items()))
    filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", data)
    return (prop("FilterName", PDF_FILTER), prop("FilterData", filter_data))


def send(message: dict) -> None:
    """Write one JSON line to packbuilder."""
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def connect(pipe: str, timeout: float):
    """The Desktop of the LibreOffice listening on ``pipe``, retrying while it starts."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def convert(desktop, source: str, target: str, options: dict) -> dict:
    """Load ``source`` hidden, export it as PDF to ``target`` with ``options``, close it."""
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, LOAD_PROPERTIES
    )
    if document is None:
        return {"error": "source file could not be loaded"}
    try:
        uno.invoke(
            document,
            "storeToURL",
            (uno.systemPathToFileUrl(target), store_properties(options)),
        )
    finally:
        try:
            document.close(True)
        except UnoException:
            document.dispose()
    return {"ok": True}


def terminate(desktop) -> None:
    """Ask LibreOffice to quit; it may drop the connection while doing so."""
    with contextlib.suppress(DisposedException, RuntimeException, UnoException):
        desktop.terminate()


def serve(desktop) -> int:
    """Answer requests from stdin until told to terminate or the input ends."""
    for line in sys.stdin:
        try:
            request = json.loads(line)
        except ValueError:
            send({"error": f"not a JSON request: {line.strip()[:80]}"})
            continue
        if request.get("terminate"):
            terminate(desktop)
            send({"ok": True})
            return 0
        try:
            send(convert(desktop, request["in"], request["out"], request.get("options", {})))
        except DisposedException as exc:  # the connection to LibreOffice is lost
            send({"error": f"{type(exc).__name__}: {exc.Message}", "fatal": True})
            return 1
        except UnoException as exc:
            send({"error": f"{type(exc).__name__}: {exc.Message}"})
        except (KeyError, TypeError) as exc:
            send({"error": f"bad request: {exc}"})
    terminate(desktop)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="packbuilder's bridge to LibreOffice")
    parser.add_argument("--pipe", required=True, help="the pipe LibreOffice accepts on")
    parser.add_argument("--connect-timeout", type=float, default=60.0)
    args = parser.parse_args()
    try:
        desktop = connect(args.pipe, args.connect_timeout)
    except (NoConnectException, RuntimeException) as exc:
        send({"error": f"cannot connect to LibreOffice on pipe {args.pipe}: {exc.Message}"})
        return 1
    send({"ready": True})
    return serve(desktop)


if __name__ == "__main__":
    sys.exit(main())
