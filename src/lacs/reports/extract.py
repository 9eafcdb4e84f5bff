"""Turning one report PDF into a typed record.

    extract_report(path) -> Record      raises a ReportError for a file that is not a report
    extract_many(paths)  -> iterator of (path, Record | ReportError), using every core

Every field comes from the report's own words. A field the report does not state, or
states two ways, is None with its reason in `Record.missing`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from lacs.domain import frameworks as fw
from lacs.domain.councils import Council, council_by_urn, councils_named_within, match_council
from lacs.domain.dates import PRINTED_DATE, Fieldwork, parse_fieldwork, parse_printed_date
from lacs.domain.grades import Grade, parse_grade
from lacs.domain.report_types import FINDINGS_AREAS
from lacs.errors import InternalError, NotAReport, ReportError
from lacs.reports.improvements import find_heading, first_list
from lacs.reports.pdf import PdfText, read_pdf
from lacs.reports.summary import read_summary
from lacs.reports.text import body_pages, flatten, normalise_page, page_ends

EXTRACTOR_VERSION = "3"  # 3: each report's own summary of its findings
FRONT_PAGES = 2  # a judgement table can run onto page 2


@dataclass
class Record:
    """What one report says. JSON keys are a public interface: see README."""

    file: str
    sha256: str
    council: str | None
    urn: int | None
    framework: str | None
    title: str | None
    kind: str | None
    start: date | None
    end: date | None
    published: date | None
    lead_inspector: str | None
    judgements: dict[str, Grade] = field(default_factory=dict)
    improvements: list[str] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)
    gss_code: str | None = None
    fieldwork: list[tuple[date, date]] = field(default_factory=list)
    kind_basis: str | None = None
    lead_inspectors: list[str] = field(default_factory=list)
    published_also: list[date] = field(default_factory=list)
    lscb_improvements: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)  # the report's own summary of its findings, by passage
    extractor_version: str = EXTRACTOR_VERSION
    pages: list[str] = field(default_factory=list, repr=False)

    def to_json(self, pages: bool = False) -> dict:
        """A JSON-ready dict: ISO dates, grade strings; page text only when asked for."""
        data = asdict(self)
        for key in ("start", "end", "published"):
            data[key] = data[key].isoformat() if data[key] else None
        data["judgements"] = {k: Grade(v).value for k, v in self.judgements.items()}
        data["fieldwork"] = [[a.isoformat(), b.isoformat()] for a, b in self.fieldwork]
        data["published_also"] = [d.isoformat() for d in self.published_also]
        data["page_count"] = len(self.pages)
        if not pages:
            del data["pages"]
        return data


def extract_report(path: Path | str, keep_pages: bool = True) -> Record:
    """Read one report file. Raises a ReportError subclass if it is not a readable report.

    keep_pages=False leaves `Record.pages` empty (less to carry between processes).
    """
    record = record_from_pdf(read_pdf(path))
    if not keep_pages:
        record.pages = []
    return record


def extract_many(paths: Iterable[Path | str], workers: int | None = None,
                 keep_pages: bool = True) -> Iterator[tuple[str, Record | ReportError]]:
    """Extract many files on every core, yielding (path, record or error) in the given order."""
    names = [str(p) for p in paths]
    workers = workers or os.cpu_count() or 1
    extract = partial(_safe_extract, keep_pages=keep_pages)
    if workers == 1 or len(names) < 4:
        yield from ((p, extract(p)) for p in names)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
        yield from zip(names, pool.map(extract, names, chunksize=2), strict=True)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent: int) -> None:
    """A worker ends when the process that started it does, so that a killed build leaves no
    worker running (and `lacs build | tee` no pipe held open). On Linux the kernel sends the
    worker SIGKILL when its parent dies; SIGKILL, not SIGTERM, because a forked worker inherits
    the parent's SIGTERM clean-up."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


def _safe_extract(path: str, keep_pages: bool = True) -> Record | ReportError:
    try:
        return extract_report(path, keep_pages)
    except ReportError as exc:
        return exc
    except Exception as exc:  # a bug in lacs: report it against the file, never crash the run
        return InternalError(path, f"lacs failed on this report ({type(exc).__name__}: {exc}); please report it")


def record_from_pdf(pdf: PdfText) -> Record:
    """The record for a PDF whose text has been read."""
    pages = [normalise_page(p) for p in pdf.pages]
    front = flatten("\n".join(pages[:FRONT_PAGES]))
    recognised = recognise(front)
    if recognised is None:
        raise NotAReport(pdf.path, f"not a children's services inspection report (starts: {front[:80]!r})")
    framework, report_type = recognised
    record = Record(file=pdf.path, sha256=pdf.sha256, council=None, urn=None, framework=framework.key,
                    title=report_type.title, kind=report_type.kind, start=None, end=None, published=None,
                    lead_inspector=None, pages=list(pdf.pages))
    by_page = body_pages(pages)
    lines = [line for page in by_page for line in page]
    _read_dates(record, front)
    _read_published(record, front, lines)
    _read_inspectors(record, pages)
    _read_council(record, front, report_type)
    _read_judgements(record, framework, report_type, pages, lines)
    _settle_framework_and_kind(record, framework, report_type)
    _read_improvements(record, report_type, lines, page_ends(by_page))
    record.summary, why_not = read_summary(lines, report_type, fw.areas_to_read(framework.key, report_type),
                                           _first_body_line(lines))
    if why_not:
        record.missing["summary"] = why_not
    return record


def recognise(front: str) -> tuple[fw.Framework, fw.ReportType] | None:
    """The report type (and its framework) whose title appears at the top of the front page."""
    top = front[:700]
    for framework, report_type in fw.report_types():
        if any(re.search(p, top, re.IGNORECASE) for p in report_type.title_excludes):
            continue
        if any(re.search(p, top, re.IGNORECASE) for p in report_type.title_patterns):
            return framework, report_type
    return None


# --- dates -----------------------------------------------------------------------------

_DATES_LINE = re.compile(
    r"Inspection dates?:?\s*(?P<text>.{4,160}?)(?=\s*(?:Report published|Published|Lead inspector|Reporting inspector|"
    r"Judgement|The overall|Children’s services|Age group|Inspection of|$|\b1\.\s))",
    re.IGNORECASE,
)


def _read_dates(record: Record, front: str) -> None:
    match = _DATES_LINE.search(front)
    if not match:
        record.missing["start"] = record.missing["end"] = "no inspection dates found on the front page"
        return
    text = match.group("text")
    try:
        fieldwork = parse_fieldwork(text)
    except ValueError as exc:
        record.missing["start"] = record.missing["end"] = f"inspection dates not readable: {exc}"
        return
    record.fieldwork = list(fieldwork.parts)
    record.start, record.end = fieldwork.start, fieldwork.end
    if len(fieldwork.parts) == 1 and fieldwork.start == fieldwork.end:
        record.warnings.append(f"the report prints a single inspection date ({text.strip()}), taken as start and end")


# Case matters: "Report published: ..." or "Published: ...", not "the letter published in ...".
_PUBLISHED = re.compile(rf"(?:Report [Pp]ublished|Published):?\s*({PRINTED_DATE})")
# A combined report's note: "The sections of this report that are about the local authority were
# originally published on 11 February 2014": the date the report was first published.
_ORIGINALLY_PUBLISHED = re.compile(rf"\boriginally published on:?\s*({PRINTED_DATE})", re.IGNORECASE)


def _read_published(record: Record, front: str, lines: list[str]) -> None:
    """The front page's publication date; a second report in the same file prints its own.

    A note that the report (or its council sections) was originally published on a day gives
    the publication date; a later date printed for the combined report is the other one.
    """
    texts = [m.group(1) for m in _ORIGINALLY_PUBLISHED.finditer(front)]
    texts += [m.group(1) for m in _PUBLISHED.finditer(front)]
    texts += [m.group(1) for line in lines if line.lower().startswith("report published")
              for m in _PUBLISHED.finditer(line)]
    dates = []
    for text in texts:
        try:
            dates.append(parse_printed_date(text))
        except ValueError:
            record.warnings.append(f"publication date {text!r} is not a real date; left out")
    unique = list(dict.fromkeys(dates))
    if not unique:
        record.missing["published"] = "the report does not print its publication date"
        return
    record.published = unique[0]
    record.published_also = unique[1:]


# --- people and places -------------------------------------------------------------------

_LEAD = re.compile(r"^(?:Lead inspectors?(?: on site)?|Reporting inspector)\b:?\s*(?P<rest>.*)$", re.IGNORECASE)
_TITLES = re.compile(  # in brackets too: "Karen Wareing (HMI)"
    r"\(?\b(?:(?:His|Her)\s+Majesty’s\s+Inspectors?|Senior\s+HMI|HMI|SCRI|Ofsted\s+Inspector|OI|"
    r"(?:Senior\s+)?Social\s+Care\s+(?:Regulatory\s+)?Inspector)\b\)?",
    re.IGNORECASE,
)


def _read_inspectors(record: Record, pages: list[str]) -> None:
    lines = [line.strip() for page in pages for line in page.split("\n")]
    for i, line in enumerate(lines):
        match = _LEAD.match(line)
        if not match:
            continue
        text = match.group("rest")
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if text.rstrip().endswith((",", " and")) or (not text.strip() and _TITLES.search(following)):
            text = f"{text} {following}"  # the name (or the second of two) is on the next line
        names = inspector_names(text)
        if names:
            record.lead_inspectors = names
            record.lead_inspector = " and ".join(names)
            return
    record.missing["lead_inspector"] = "the report names no lead inspector"


def inspector_names(text: str) -> list[str]:
    """'Rebecca Quested, His Majesty’s Inspector, and Matthew Reed' -> ['Rebecca Quested', 'Matthew Reed']."""
    text = _TITLES.sub(",", text)
    parts = re.split(r",|\band\b|;", text)
    names = [" ".join(p.split()) for p in parts]
    return [n for n in names if re.fullmatch(r"(?:Dr\.? )?[A-Z][\w’'.-]+(?: [A-Z][\w’'.-]*){1,3}", n)]


_NAME_IN_TITLE = re.compile(
    r"Inspection of (?:the )?(?P<name>.+?)"
    r"(?: (?:local authority )?children’s (?:social care )?services| Inspection dates?)",
    re.IGNORECASE)
_NAME_BEFORE = re.compile(r"^(?:\d{1,2} )?(?P<name>.{2,90}?) (?:Re-? ?inspection|Inspection|Review) of ", re.IGNORECASE)
_NAME_AFTER = re.compile(r"services (?P<name>[A-Z].{2,80}?) Inspection dates?", re.IGNORECASE)


def _read_council(record: Record, front: str, report_type: fw.ReportType) -> None:
    printed = _printed_council(front, report_type.council_in_title)
    record.council = printed
    if not printed:
        record.missing["council"] = record.missing["urn"] = "no council name found on the front page"
        return
    council, reason = _council_for(printed, record.start)
    hint = _folder_urn(record.file)
    if council is None:
        record.missing["urn"] = reason
        if hint:
            record.warnings.append(f"folder name suggests URN {hint}, not used: {reason}")
        return
    record.urn, record.gss_code = council.urn, council.gss_code
    if hint and council.urn and hint != council.urn:
        other = council_by_urn(hint)
        record.warnings.append(
            f"folder says URN {hint} ({other.name if other else 'unknown'}) but the report is about "
            f"{council.name} (URN {council.urn})")


def _printed_council(front: str, in_title: bool) -> str | None:
    """The council's name as the front page prints it: inside a title that names it, else before or after the title."""
    top = front[:400]
    match = _NAME_IN_TITLE.search(top) if in_title else None
    if match and not match.group("name").lower().startswith(("children", "services", "local authority")):
        return match.group("name").strip()
    match = _NAME_BEFORE.search(top)
    if match:
        return match.group("name").strip()
    match = _NAME_AFTER.search(top)
    return match.group("name").strip() if match else None


def _council_for(printed: str, on: date | None) -> tuple[Council | None, str]:
    found = match_council(printed, on.isoformat() if on else None)
    if len(found) == 1:
        return found[0], ""
    if not found:
        found = councils_named_within(printed, on.isoformat() if on else None)
        if len(found) == 1:
            return found[0], ""
    if len(found) > 1:
        return None, f"council name {printed!r} matches more than one council: {', '.join(c.name for c in found)}"
    return None, f"council name {printed!r} is not in the register"


def _folder_urn(path: str) -> int | None:
    match = re.match(r"(\d{5,8})_", Path(path).parent.name)
    return int(match.group(1)) if match else None


# --- judgements ----------------------------------------------------------------------------


def _read_judgements(record: Record, framework: fw.Framework, report_type: fw.ReportType, pages: list[str],
                     lines: list[str]) -> None:
    cover, front = flatten(pages[0]), flatten("\n".join(pages[:FRONT_PAGES]))
    areas = fw.areas_to_read(framework.key, report_type)
    whole = _mentions(lines, ("Board", "LSCB")) if any(a.where == "body" for a in areas) else ""
    for area in areas:
        zone = {"body": whole, "cover": cover}.get(area.where, front)
        _set_judgement(record, area.key, area, _grades_for(area, zone))
    if report_type.findings_heading:
        _read_findings(record, report_type, lines)


def _mentions(lines: list[str], words: tuple[str, ...], after: int = 2) -> str:
    """The passages (a line and the next few) that mention any of the words, flattened.

    Judgements stated "deep in the report" are searched for here rather than in all the
    text: the same answers, a fraction of the work.
    """
    keep: set[int] = set()
    for i, line in enumerate(lines):
        if any(word in line for word in words):
            keep.update(range(i, min(len(lines), i + after + 1)))
    # Passages that are not contiguous are kept apart with a full stop, so no sentence spans two.
    return flatten(" ".join(lines[i] if i - 1 in keep else f". {lines[i]}" for i in sorted(keep)))


def _set_judgement(record: Record, key: str, area: fw.Area, grades: set[Grade]) -> None:
    """One grade is the judgement; two different ones are a reason, not a guess."""
    if len(grades) == 1:
        record.judgements[key] = next(iter(grades))
    elif grades:
        record.missing[key] = f"the report gives {area.title or key} two ways: " + " and ".join(
            sorted(g.value for g in grades))


def _grades_for(area: fw.Area, zone: str) -> set[Grade]:
    found = set()
    for label in area.labels:
        if area.layout == "sentence":  # "The LSCB is good." but not "The LSCB is good at ..."
            pattern = label + r"(?=\s*(?:[.:;,]|because\b|$|(?-i:[A-Z0-9])))"
        else:
            pattern = rf"{label}[.:]?\s*{fw.GRADE}(?![a-z])"
        for match in re.finditer(pattern, zone, re.IGNORECASE):
            found.add(parse_grade(match.group("grade")))
    return found


def _read_findings(record: Record, report_type: fw.ReportType, lines: list[str]) -> None:
    """Pre-SIF: grades from the 'Record of main findings' table at the end, section by section."""
    start = None
    for i, line in enumerate(lines):
        if re.fullmatch(rf"{report_type.findings_heading}\s*", line, re.IGNORECASE):
            start = i
    if start is None:
        for area in FINDINGS_AREAS[report_type.findings_sections[0][1]]:
            record.missing[report_type.findings_sections[0][1] + area.key] = (
                f"no '{report_type.findings_heading}' table found")
        return
    table = flatten(" ".join(lines[start + 1:]))
    headings = [(table.find(h), prefix) for h, prefix in report_type.findings_sections if h in table]
    headings.sort()
    for n, (at, prefix) in enumerate(headings):
        section = table[at:headings[n + 1][0]] if n + 1 < len(headings) else table[at:]
        for area in FINDINGS_AREAS[prefix]:
            _set_judgement(record, prefix + area.key, area, _grades_for(area, section))


def _settle_framework_and_kind(record: Record, framework: fw.Framework, report_type: fw.ReportType) -> None:
    """The framework the report was made under (a later one may print the same title), the
    judgements it should have given, and the kind: from the title, else the time on site."""
    settled = fw.framework_of_report(framework.key, record.start, set(record.judgements))
    record.framework = settled.key
    for key in fw.required_areas(settled, report_type):
        if key not in record.judgements and key not in record.missing:
            record.missing[key] = f"no {key.replace('_', ' ')} judgement found"
    if report_type.kind is not None:
        record.kind_basis = "title"
        return
    record.kind, record.kind_basis = _kind_from_time_on_site(record)


def _kind_from_time_on_site(record: Record) -> tuple[str | None, str | None]:
    if not record.fieldwork:
        record.missing["kind"] = "no fieldwork dates to tell a standard from a short inspection"
        return None, None
    days = Fieldwork(tuple(record.fieldwork)).days_on_site
    basis = f"fieldwork length: {days} days on site (the report does not say standard or short)"
    if days <= fw.SHORT_MAX_DAYS_ON_SITE:
        return "short", basis
    if days >= fw.STANDARD_MIN_DAYS_ON_SITE:
        return "standard", basis
    record.missing["kind"] = f"{days} days on site fits neither a standard nor a short inspection"
    return None, None


# --- what needs to improve -----------------------------------------------------------------


def _read_improvements(record: Record, report_type: fw.ReportType, lines: list[str],
                       ends_of_pages: frozenset[int] = frozenset()) -> None:
    """The council's list, then (SIF) the LSCB review's list, which comes after the council's.

    A review alone (no council report, so no council list) has its own list: the LSCB's,
    read whether or not the review's judgement was found.
    """
    after = 0
    if report_type.improvement_headings:
        at, record.improvements, after = first_list(
            lines, report_type.improvement_headings, _first_body_line(lines), report_type.list_ends,
            ends_of_pages)
        if at is None:
            record.missing["improvements"] = "the report has no list of what needs to improve"
        elif not record.improvements:
            record.missing["improvements"] = "the report's 'what needs to improve' section has no list of points"
    review_alone = not report_type.improvement_headings
    if report_type.lscb_improvement_headings and ("lscb" in record.judgements or review_alone):
        lscb_at = find_heading(lines, report_type.lscb_section, start=after) if report_type.lscb_section else after
        if lscb_at is not None:
            _, record.lscb_improvements, _ = first_list(
                lines, report_type.lscb_improvement_headings, lscb_at, report_type.list_ends, ends_of_pages)


def _first_body_line(lines: list[str]) -> int:
    """Skip the front page's title block, which names the LSCB review too."""
    for i, line in enumerate(lines[:40]):
        if re.match(r"(?:Report )?published|Lead inspector|Inspection dates?", line, re.IGNORECASE):
            return i + 1
    return 0
