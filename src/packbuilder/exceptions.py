"""The one exception root of packbuilder, and the exit codes it maps to.

Every error a user can cause, or that the environment can cause, is raised as a
subclass of :class:`PackbuilderError`. It carries the exit code the CLI returns
and a message that says what went wrong, where (file, line, key, page) and what
to do about it. Anything else escaping the library is a bug (exit code 1).
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Exit codes of the ``packbuilder`` command; what each means is :data:`EXIT_CODES`."""

    OK = 0
    INTERNAL_ERROR = 1
    USAGE = 2
    INVALID_INPUT = 3
    BAD_DOCUMENT = 4
    TEMPLATE_ERROR = 5
    CONVERTER_ERROR = 6
    OUTPUT_ERROR = 7
    LOCKED = 8
    CHECKS_FAILED = 9
    INTERRUPTED = 130


EXIT_CODES: dict[ExitCode, str] = {
    ExitCode.OK: "success (warnings, if any, are printed and recorded in manifest.json)",
    ExitCode.INTERNAL_ERROR: "internal error: a bug in packbuilder; run again with --debug "
    "and report the output",
    ExitCode.USAGE: "the command line is wrong (an unknown option, a meeting file that does "
    "not exist)",
    ExitCode.INVALID_INPUT: "the meeting, committee or plan definition is wrong (YAML, keys, "
    "dates, page selections, missing files)",
    ExitCode.BAD_DOCUMENT: "a paper cannot be used (damaged, encrypted, not a PDF, not a real "
    ".docx, no pages)",
    ExitCode.TEMPLATE_ERROR: "a Word template is broken, is not a .docx, or uses an unknown "
    "variable",
    ExitCode.CONVERTER_ERROR: "LibreOffice is missing, failed, or timed out",
    ExitCode.OUTPUT_ERROR: "the outputs cannot be written (permissions, read-only or full disk), "
    "or the output folder holds another meeting's pack or files packbuilder did not write",
    ExitCode.LOCKED: "another build of the same output folder is running (see --wait)",
    ExitCode.CHECKS_FAILED: "checks failed: status --strict (deadline missed, a late item "
    "without a reason), forward-plan build --strict or forward-plan check",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C or SIGTERM); nothing was published",
}
"""The one table of exit codes: the CLI's help is made from it, and a test checks that the
README's table says the same."""


class PackbuilderError(Exception):
    """Root of every error packbuilder reports to a user.

    ``message`` says what went wrong; ``hint`` says what to do. ``where`` names
    the file (and line, key or page) the problem is in, when there is one.
    """

    exit_code: ExitCode = ExitCode.INTERNAL_ERROR

    def __init__(self, message: str, *, hint: str | None = None, where: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.where = where

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f"\n  What to do: {self.hint}"
        return text


def describe_error(exc: BaseException) -> str:
    """A caught exception as a short text for a message (its type when it says nothing)."""
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def location(file: Path | str | None, line: int | None = None, key: str | None = None) -> str:
    """Format a place in an input file as ``file:line (key)`` for messages."""
    text = str(file) if file is not None else "<input>"
    if line is not None:
        text += f":{line}"
    if key:
        text += f" ({key})"
    return text


class InputError(PackbuilderError):
    """The meeting, committee or plan definition is wrong."""

    exit_code = ExitCode.INVALID_INPUT


class DefinitionError(InputError):
    """One or more problems in a YAML or CSV definition, each with its place."""

    def __init__(self, problems: list[str], *, hint: str | None = None):
        self.problems = list(problems)
        count = len(self.problems)
        head = "1 problem" if count == 1 else f"{count} problems"
        body = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{head} in the definition:\n{body}", hint=hint)


class DocumentError(PackbuilderError):
    """A paper (PDF or Word document) cannot be used as it is."""

    exit_code = ExitCode.BAD_DOCUMENT


class EncryptedDocumentError(DocumentError):
    """A PDF needs a password to open."""


class TemplateError(PackbuilderError):
    """A Word template is missing, broken, or refers to an unknown variable."""

    exit_code = ExitCode.TEMPLATE_ERROR


class ConverterError(PackbuilderError):
    """LibreOffice is missing, crashed, or did not produce the expected PDF."""

    exit_code = ExitCode.CONVERTER_ERROR


class ConverterMissingError(ConverterError):
    """The ``soffice`` program is not installed."""


class ConversionTimeoutError(ConverterError):
    """LibreOffice did not finish converting a document in time."""


class NothingBuiltError(PackbuilderError):
    """What the command asks for has not been built yet (``open`` before ``build``)."""

    exit_code = ExitCode.USAGE


class OutputError(PackbuilderError):
    """The outputs cannot be written."""

    exit_code = ExitCode.OUTPUT_ERROR


class BuildLockedError(PackbuilderError):
    """Another build of the same meeting holds the lock."""

    exit_code = ExitCode.LOCKED


class ChecksFailedError(PackbuilderError):
    """The build succeeded but checks the user asked to enforce failed."""

    exit_code = ExitCode.CHECKS_FAILED


class BuildInterrupted(PackbuilderError):
    """The user pressed Ctrl-C; nothing was published."""

    exit_code = ExitCode.INTERRUPTED


class SeveralErrors(PackbuilderError):
    """Several problems found in one pass (every unusable paper, say), reported together.

    The exit code is the first problem's; ``errors`` holds them all.
    """

    def __init__(self, errors: list[PackbuilderError], *, what: str = "problems"):
        self.errors = list(errors)
        self.exit_code = self.errors[0].exit_code
        body = "\n".join("  - " + str(error).replace("\n", "\n    ") for error in self.errors)
        super().__init__(f"{len(self.errors)} {what}:\n{body}")
