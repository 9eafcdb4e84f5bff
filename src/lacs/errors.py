"""Errors lacs raises, each naming the thing and the reason.

    LacsError
    └── ReportError               a report file that cannot be read as a report
        ├── UnreadableFile        missing, a folder, no permission: the file system said no
        ├── NotAPDF               HTML error page, random bytes, anything without a PDF header
        ├── EmptyFile             zero bytes
        ├── TruncatedPDF          starts as a PDF but the file is cut short or damaged
        ├── EncryptedPDF          needs a password
        ├── NoTextLayer           pages are images only: nothing to read without OCR
        ├── NotAReport            a readable PDF that is not a children's services report
        └── InternalError         lacs itself failed on this file: a bug to report

Every error's message is one line: ``<file>: <reason>``.
"""

from __future__ import annotations

from pathlib import Path


class LacsError(Exception):
    """Base class of every error lacs raises on purpose."""


class ReportError(LacsError):
    """A report file that cannot be turned into a record."""

    kind = "unreadable"

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self):  # errors cross process boundaries in parallel extraction
        return (type(self), (self.path, self.reason))


class UnreadableFile(ReportError):
    kind = "unreadable"


class NotAPDF(ReportError):
    kind = "not_a_pdf"


class EmptyFile(ReportError):
    kind = "empty"


class TruncatedPDF(ReportError):
    kind = "truncated"


class EncryptedPDF(ReportError):
    kind = "encrypted"


class NoTextLayer(ReportError):
    kind = "no_text"


class NotAReport(ReportError):
    kind = "not_a_report"


class InternalError(ReportError):
    kind = "internal_error"
