"""Errors lacs raises, each naming the thing and the reason; every one of them is here.

    LacsError
    ├── ReportError               a report file that cannot be read as a report: `path`, `reason`
    │   ├── UnreadableFile        missing, a folder, no permission: the file system said no
    │   ├── NotAPDF               HTML error page, random bytes, anything without a PDF header
    │   ├── EmptyFile             zero bytes
    │   ├── TruncatedPDF          starts as a PDF but the file is cut short or damaged
    │   ├── EncryptedPDF          needs a password
    │   ├── NoTextLayer           pages are images only: nothing to read without OCR
    │   ├── NotAReport            a readable PDF that is not a children's services report
    │   └── InternalError         lacs itself failed on this file: a bug to report
    ├── StoreError                the database cannot be used for what was asked
    │   ├── NoDatabase            the database file is not there yet
    │   ├── NotADatabase          another file, or a database of another program or version
    │   ├── NoStore               no database of this lacs's schema to write to
    │   ├── BuildLocked           another build is writing this database
    │   ├── CannotWrite           the disk is full, or the folder may not be written in
    │   ├── WouldLoseRecord       the write would leave the user's record with less than it had
    │   └── NoPageText            the database holds no page text (the shipped dataset)
    ├── QuestionError             a question asked wrongly: `parameter`, `value`, what is `accepted`
    │   ├── BadQuestion           an unknown area or grouping, an impossible range, a bad export
    │   │   └── BadGrouping       theme_counts grouped by something other than region
    │   ├── BadDate               a date not given as YYYY-MM-DD
    │   │   └── DateOutOfRange    a real day, but outside the years lacs answers for
    │   ├── BadQuery              a search the query language cannot read
    │   ├── UnknownCouncil        no council has that name or code: `suggestions`
    │   ├── AmbiguousCouncil      more than one council answers to it: `candidates`
    │   ├── UnknownRelease        an official release lacs has no rule for
    │   ├── NoSuchInspection      no inspection of the council on that day
    │   └── BadSite               a site to read that is no http(s) address: nothing is asked of it
    ├── SourceError               what lacs reads from elsewhere is not as it expects
    │   ├── SiteError             Ofsted's website
    │   │   ├── FetchError        a request that failed: `url`, `reason`
    │   │   │   ├── GaveUp        every try failed with something a later try might pass
    │   │   │   ├── HTTPStatus    a status that retrying would not change
    │   │   │   ├── BadDownload   the body is not the whole, valid file
    │   │   │   └── OutOfTime     the time budget ran out before this request
    │   │   └── LayoutChanged     a page without the links lacs reads
    │   ├── SpreadsheetError      Ofsted's official statistics: `path`, `reason`
    │   │   ├── BadSpreadsheet    not an OpenDocument spreadsheet lacs can read
    │   │   └── BadLayout         sheets not laid out as any release lacs knows
    │   └── BadTaxonomy           themes.toml is malformed
    └── ExportError               an export that cannot be made or written
        ├── MissingPackage        an optional package it needs (pandas, polars) is not installed
        └── PublishRefused        a folder `lacs publish` may not write: files it did not make

A report error's message is one line: ``<file>: <reason>``. A question error keeps the
parameter by the library's name (``as_at``, ``judgement``); ``str()`` names it in plain words
("as at"), and ``spoken(name)`` as the caller knows it: the CLI ``--as-at``, the HTTP API
``as_at``. Every error has ``spoken``; those that name no parameter give their message as is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

Spelling = Callable[[str], str]


def in_words(parameter: str) -> str:
    """A parameter named in plain words, as neither the CLI nor the HTTP API spells it: as_at -> 'as at'."""
    return parameter.strip("_").replace("_", " ")


class LacsError(Exception):
    """Base class of every error lacs raises on purpose."""

    def spoken(self, name: Spelling = in_words) -> str:
        """The message, with any parameter it names spelled by `name`."""
        return str(self)


# --- report errors ------------------------------------------------------------------------------

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


# --- store errors -------------------------------------------------------------------------------

class StoreError(LacsError):
    """The database cannot be used for what was asked."""


class NoDatabase(StoreError):
    """The database file is not there yet."""


class NotADatabase(StoreError):
    """The file is not a lacs database (another file, or a database of another program)."""


class NoStore(StoreError):
    """There is no database of this lacs's schema to write to."""


class BuildLocked(StoreError):
    """Another build is writing this database."""


class CannotWrite(StoreError):
    """The database could not be written (a full disk, a folder lacs may not write in); nothing changed."""


class WouldLoseRecord(StoreError):
    """The write would leave the user's record with fewer inspections, councils or releases than it had."""


class NoPageText(StoreError):
    """The database holds no page text (the dataset shipped with lacs)."""


# --- question errors ----------------------------------------------------------------------------

class QuestionError(LacsError):
    """A question asked wrongly: which `parameter` (by the library's name), what `value`, and what
    is `accepted` (a list of values or a short description; None when it says nothing useful).

    `says` is the message with `{parameter}` where the parameter is named, `{value}` and
    `{accepted}`; a message that names other parameters too gives them in `others` (name: value),
    as `{name}` and `{name_value}`. Facts that are no parameter (a council's name) are written
    into `says` before it is given, with any braces doubled (see `literal`).
    """

    says = "{parameter} {value!r}: accepted are {accepted}"

    def __init__(self, parameter: str, value: object, accepted: Sequence[str] | str | None = None,
                 says: str | None = None, others: dict[str, object] | None = None) -> None:
        self.parameter = parameter
        self.value = value
        self.accepted = accepted
        self.says = says or type(self).says
        self.others = dict(others or {})
        super().__init__(self.spoken())

    @property
    def parameters(self) -> list[str]:
        """Every parameter the message names, the one at fault first."""
        return [self.parameter, *self.others]

    def spoken(self, name: Spelling = in_words) -> str:
        accepted = self.accepted
        if accepted is not None and not isinstance(accepted, str):
            accepted = ", ".join(accepted)
        named = {other: name(other) for other in self.others}
        values = {f"{other}_value": value for other, value in self.others.items()}
        return self.says.format(parameter=name(self.parameter), value=self.value, accepted=accepted,
                                **named, **values)

    def __reduce__(self):
        return (_rebuild, (type(self), self.__dict__))


def _rebuild(cls: type[QuestionError], state: dict[str, object]) -> QuestionError:
    """A question error again from its fields (subclasses' constructors take other arguments)."""
    error = cls.__new__(cls)
    error.__dict__.update(state)
    Exception.__init__(error, error.spoken())
    return error


def literal(text: str) -> str:
    """Text to write into a `says` template as is."""
    return text.replace("{", "{{").replace("}", "}}")


class BadQuestion(QuestionError):
    """A question the record cannot answer as asked: an unknown area, an impossible range."""


class BadGrouping(BadQuestion, ValueError):
    """theme_counts was asked to group by something other than region."""


class BadDate(QuestionError, ValueError):
    """A date not given as YYYY-MM-DD."""

    says = "{parameter} {value!r} is not a date; give it as YYYY-MM-DD, e.g. 2024-03-31"

    def __init__(self, parameter: str, value: object) -> None:
        super().__init__(parameter, value, "YYYY-MM-DD")


class DateOutOfRange(BadDate):
    """A day given rightly as YYYY-MM-DD but outside the span lacs answers for (`first` to `last`)."""

    says = "{parameter} {value!r} is outside the dates lacs answers for: {accepted}"

    def __init__(self, parameter: str, value: object, first: object, last: object, why: str) -> None:
        self.first, self.last = first, last
        QuestionError.__init__(self, parameter, value, f"a day from {first} to {last} ({why})")


class BadQuery(QuestionError):
    """A search the query language cannot read."""


class UnknownCouncil(QuestionError):
    """No council has that name or code; `suggestions` holds the nearest names."""

    def __init__(self, text: str, suggestions: list[str], parameter: str = "council") -> None:
        self.suggestions = suggestions
        hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(parameter, text, suggestions, "no council called {value!r}" + literal(hint))


class _Candidate(Protocol):
    """A council, as far as AmbiguousCouncil needs one (errors sit below domain, so no import of it).

    Read-only properties, so that a frozen dataclass (Council) matches.
    """

    @property
    def name(self) -> str: ...

    @property
    def gss_code(self) -> str: ...


class AmbiguousCouncil(QuestionError):
    """More than one council answers to that name; `candidates` lists them."""

    def __init__(self, text: str, candidates: Sequence[_Candidate], parameter: str = "council") -> None:
        self.candidates = candidates
        names = ", ".join(f"{c.name} ({c.gss_code})" for c in candidates)
        super().__init__(parameter, text, [c.name for c in candidates],
                         "{value!r} could be any of: " + literal(names) + "; give a code or a fuller name")


class UnknownRelease(QuestionError):
    """A release lacs has no rule for."""

    says = "{parameter} {value!r}: lacs knows the releases {accepted}"


class NoSuchInspection(QuestionError):
    """No inspection of the council matches the date given."""


class BadSite(QuestionError):
    """A site to read (`lacs update --site`) that is no http or https address; `reason` says why.
    Raised before any request is made."""

    def __init__(self, parameter: str, value: object, reason: str) -> None:
        self.reason = reason
        super().__init__(parameter, value, "an http or https address such as https://reports.ofsted.gov.uk",
                         "{parameter} {value!r}: " + literal(reason) + "; give {accepted}")


# --- source errors ------------------------------------------------------------------------------

class SourceError(LacsError):
    """What lacs reads from elsewhere (Ofsted's site and spreadsheets, themes.toml) is not as it expects."""


class SiteError(SourceError):
    """Ofsted's website did not give what lacs reads."""


class FetchError(SiteError):
    """A request that failed: `url` and `reason`."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


class GaveUp(FetchError):
    """Every try failed with something that might have passed on a later try."""


class HTTPStatus(FetchError):
    """A status that retrying would not change."""


class BadDownload(FetchError):
    """The body is not the whole, valid file."""


class OutOfTime(FetchError):
    """The time budget ran out before this request."""


class LayoutChanged(SiteError):
    """A page without the links lacs reads: the site's layout has changed."""


class SpreadsheetError(SourceError):
    """One of Ofsted's official statistics spreadsheets that lacs cannot read: `path` and `reason`."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class BadSpreadsheet(SpreadsheetError):
    """A file that cannot be read as an OpenDocument spreadsheet."""


class BadLayout(SpreadsheetError):
    """A spreadsheet whose sheets are not laid out as any release lacs knows."""

    def __init__(self, path: Path | str, sheet: str, reason: str) -> None:
        self.sheet = sheet
        super().__init__(path, f"sheet {sheet!r}: {reason}")
        self.reason = reason


class BadTaxonomy(SourceError):
    """themes.toml is malformed: a missing field, a duplicate key or a pattern that does not compile."""


# --- export errors ------------------------------------------------------------------------------

class ExportError(LacsError):
    """An export that cannot be made or written; the message names the thing and the reason."""


class MissingPackage(ExportError):
    """An optional package that an export or a DataFrame needs is not installed; the message says
    how to install it (`pip install 'lacs[pandas]'`)."""


class PublishRefused(ExportError):
    """A folder `lacs publish` may not write into: it holds files lacs did not publish there, or
    files changed since; nothing is written."""
