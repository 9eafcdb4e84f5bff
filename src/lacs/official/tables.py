"""Reading Ofsted's official statistics: the "underlying data" spreadsheets of each release.

    read_release(path) -> OfficialRelease(release, rows)

Ofsted's sheets and columns change from year to year, so nothing here depends on a sheet's
position or name or on the file's name. A sheet holds council inspection tables if a row
names the column "Local authority name"; that row is a table's header, and every column in
it must be one this module knows (COLUMNS, PREFIXES, GROUPS below: the layouts as data).
A column it does not know is refused with BadLayout naming the sheet and the column, so a
changed layout can never be half read. The cover sheet says what the release covers: its
as-at date and publication cut-off.

Each data row becomes one OfficialRow per inspection it holds: a row of an as-at or in-year
table holds one; a row of a history table holds one per column group (first SIF, SIF
re-inspection, first ILACS...). Rows are linked to the register's councils by the area code
where the sheet gives one, else by name as the council existed on the inspection's date
("Dorset" in 2016 is the county council, in 2021 the unitary one).

An in-year table lists the year's focused and monitoring visits too: each is a row of kind
focused_visit or monitoring_visit, not graded, with its date ("Inspection/Visit date", the first
day), its theme ("Visit Theme") and, from the 2025 release, its publication date; no sheet
gives a visit's last day.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lacs.domain.councils import load_councils, match_council
from lacs.domain.dates import parse_date
from lacs.domain.frameworks import ILACS, PRE_SIF, SIF, framework_in_force, maybe_framework
from lacs.domain.grades import Grade, parse_grade
from lacs.domain.report_types import FOCUSED_VISIT, MONITORING_VISIT
from lacs.errors import BadLayout
from lacs.official.ods import Row, read_ods


@dataclass(frozen=True)
class Group:
    """A column group of a history table: one inspection, of this framework and kind."""

    framework: str | None  # None: from the inspection type column, else from the date
    kind: str | None
    title: str = ""  # what the inspection was called, where the framework alone does not say


# Column groups of history tables, by the key the prefix patterns below give them.
GROUPS = {
    "": Group(None, None),
    "slac": Group(PRE_SIF.key, "safeguarding_and_looked_after_children",
                  "Inspection of safeguarding and looked after children services"),
    "slac_re_safeguarding": Group(PRE_SIF.key, "safeguarding_re_inspection", "Re-inspection of safeguarding services"),
    "slac_re_lac": Group(PRE_SIF.key, "looked_after_children_re_inspection",
                         "Re-inspection of services for looked after children"),
    "cpi": Group(PRE_SIF.key, "child_protection",
                 "Inspection of local authority arrangements for the protection of children"),
    "cpri": Group(PRE_SIF.key, "child_protection_re_inspection",
                  "Re-inspection of local authority arrangements for the protection of children"),
    "tlac": Group(PRE_SIF.key, "looked_after_children", "Targeted inspection of looked after children services"),
    "sif": Group(SIF.key, "standard"),
    "sif_re": Group(SIF.key, "re_inspection",
                    "Re-inspection of services for children in need of help and protection, children looked after "
                    "and care leavers"),
    "ilacs": Group(ILACS.key, None),
    "ilacs_1": Group(ILACS.key, None),
    "ilacs_2": Group(ILACS.key, None),
}

# Fields of a column: "council", "gss_code", "region", "status", "start", "published", "type",
# "theme" (a visit's), "-" (read and left: links, council types), or an area key (its grade).
_ILACS_FIELDS = (
    (r"inspection(?:/visit)? date", "start"),
    (r"publication date", "published"),
    (r"inspection(?:/visit)? type", "type"),
    (r"overall effectiveness", "overall_effectiveness"),
    (r"(?:the )?impact of leaders(?: on social work practice with children and families)?", "leadership"),
    (r"(?:the )?experiences and progress of children who need help and protection", "help_and_protection"),
    (r"(?:the )?experiences? and progress of children in care(?: and care leavers)?", "children_in_care"),
    (r"(?:the )?experiences? and progress of care leavers", "care_leavers"),
)
COLUMNS: tuple[tuple[str, str, str], ...] = (  # (pattern, group, field); patterns match a whole header
    (r"web link", "", "-"),
    (r"local authority name", "", "council"),
    (r"local authority area code", "", "gss_code"),
    (r"local authority status", "", "status"),
    (r"(?:ofsted |la )?region", "", "region"),
    (r"la authority type", "", "-"),
    (r"visit theme", "", "theme"),
    *((pattern, "", name) for pattern, name in _ILACS_FIELDS),
    (r"safeguarding & looked after children \(slac\) inspection publication date", "slac", "published"),
    (r"slac safeguarding overall effectiveness \(oe\)", "slac", "safeguarding_overall_effectiveness"),
    (r"slac looked after children overall effectiveness \(oe\)", "slac", "lac_overall_effectiveness"),
    (r"slac re-inspection of safeguarding publication date", "slac_re_safeguarding", "published"),
    (r"slac re-inspection safeguarding oe", "slac_re_safeguarding", "safeguarding_overall_effectiveness"),
    (r"slac re-inspection of services for children looked after publication date", "slac_re_lac", "published"),
    (r"slac re-inspection of services children looked after oe", "slac_re_lac", "lac_overall_effectiveness"),
    (r"child protection inspections \(cpi\) publication date", "cpi", "published"),
    (r"cpi overall effectiveness \(oe\)", "cpi", "child_protection_overall_effectiveness"),
    (r"child protection re-inspection \(cpri\) publication date", "cpri", "published"),
    (r"cpri overall effectiveness \(oe\)", "cpri", "child_protection_overall_effectiveness"),
    (r"targeted looked after children \(tlac\) inspection publication date", "tlac", "published"),
    (r"tlac overall effectiveness \(oe\)", "tlac", "lac_overall_effectiveness"),
    (r"lscb overall effectiveness", "sif", "lscb"),
)
_SIF_FIELDS = (
    (r"publication date", "published"),
    (r"overall judgement \(oe\)", "overall_effectiveness"),
    (r"children who need help and protection", "help_and_protection"),
    (r"children looked after and achieving permanence", "children_in_care"),
    (r"cla sub: adoption performance", "adoption"),
    (r"cla sub: experiences and progress of care leavers", "care_leavers"),
    (r"leadership, management and governance", "leadership"),
)
# A prefix names the group; the rest of the header is one of the fields listed with it.
PREFIXES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (r"(?:single inspection of la children's services \(sif\) )?first sif ", "sif", _SIF_FIELDS),
    (r"(?:single inspection of la children's services \(sif\) )?sif re-inspection ", "sif_re", _SIF_FIELDS),
    (r"first ilacs (?:framework )?", "ilacs_1", _ILACS_FIELDS),
    (r"second ilacs (?:framework )?", "ilacs_2", _ILACS_FIELDS),
    (r"ilacs framework ", "ilacs", _ILACS_FIELDS),
)

# Values of the inspection type column: (kind, graded inspection or ungraded visit).
TYPES = {
    "ilacs standard inspection": ("standard", True),
    "ilacs short inspection": ("short", True),
    "standard": ("standard", True),
    "short": ("short", True),
    "ilacs focused visit": (FOCUSED_VISIT.key, False),
    "la monitoring visit": (MONITORING_VISIT.key, False),
}
# Words a table puts where an inspection's date or grade would be when there is none.
NO_INSPECTION = ("no full inspection", "not yet inspected", "not inspected", "no inspection")
# Ofsted's grade codes, which a table sometimes gives in place of the words.
GRADE_CODES = {"1": Grade.OUTSTANDING, "2": Grade.GOOD, "3": Grade.REQUIRES_IMPROVEMENT, "4": Grade.INADEQUATE}
# "Requires improvement" replaced "adequate" when the single inspection framework began (the registry's date).
FOUR_POINT_SCALE_FROM = SIF.starts
# Cells that hold a mark for "nothing here" rather than a value.
BLANKS = ("-", "–", "—", "n/a", "na", ".")

# What a table is, from its title: Ofsted's names for the three kinds.
TABLE_KINDS = ((r"\bin[ -]year\b", "in_year"), (r"\bas at\b|\bat (?:\d{1,2} )?mar(?:ch)?\b", "latest"),
               (r".", "history"))
_COVER_RULE = re.compile(r"as at (\d{1,2} \w+ \d{4}),? (?:with a report )?published by (\d{1,2} \w+ \d{4})",
                         re.IGNORECASE)


@dataclass(frozen=True)
class Release:
    """One official release, as its cover sheet states it."""

    key: str  # the year of its as-at date: "2024"
    title: str
    published_on: date | None
    as_at: date
    published_by: date
    file_name: str
    sha256: str


@dataclass(frozen=True)
class OfficialRow:
    """One inspection as one row (and column group) of an official table gives it."""

    release: str
    sheet: str
    row: int  # as the spreadsheet numbers it, from 1
    part: str  # the column group ("" for a table of one inspection a row)
    table: str  # "latest", "in_year" or "history"
    council: str  # as printed
    gss_code: str | None
    region: str | None  # as printed
    framework: str | None
    kind: str | None
    graded: bool  # False: an ungraded visit, or "no full inspection"
    start: date | None
    published: date | None
    judgements: dict[str, Grade] = field(default_factory=dict)
    note: str | None = None  # "no full inspection" and the like
    theme: str | None = None  # a visit's theme, as the table words it ("Care leavers")

    @property
    def source(self) -> str:
        """Where the row came from, as a person would look it up: 'release 2024, sheet X, row 7'."""
        part = f" ({self.part})" if self.part else ""
        return f"release {self.release}, sheet {self.sheet}, row {self.row}{part}"


@dataclass(frozen=True)
class OfficialRelease:
    release: Release
    rows: list[OfficialRow]


def read_release(path: Path | str) -> OfficialRelease:
    """Every council inspection in one release's spreadsheet; BadLayout if a table is not understood."""
    path = Path(path)
    sheets = read_ods(path)
    release = _release(path, sheets)
    rows: list[OfficialRow] = []
    for name, sheet in sheets.items():
        rows.extend(_sheet_rows(path, release, name, sheet))
    if not rows:
        raise BadLayout(path, "*", "no sheet has a 'Local authority name' column: not a release of council "
                                   "inspection outcomes, or its layout has changed")
    return OfficialRelease(release, rows)


def _release(path: Path, sheets: dict[str, list[Row]]) -> Release:
    """The release's rule from its cover sheet: the sheet whose text states an as-at date and cut-off."""
    for name, sheet in sheets.items():
        lines = [" ".join(c or "" for c in row) for row in sheet[:40]]
        rules = [m for line in lines for part in line.splitlines() if (m := _COVER_RULE.search(part))]
        if not rules:
            continue
        text = " ".join(lines).lower()
        council_rules = [m for line in lines for part in line.splitlines()
                         if "local authorit" in part.lower() or part.lower().startswith("inspections as at")
                         for m in [_COVER_RULE.search(part)] if m]
        rule = (council_rules or rules)[0]
        as_at, published_by = parse_date(rule.group(1)), parse_date(rule.group(2))
        published = re.search(r"published on:\s*(\d{4}-\d{2}-\d{2})", text)
        title = _cover_value(sheet, "policy area:") or ""
        if not re.search(r"\d{4}", title):  # "Local Authority Inspection Outcomes": the heading says more
            title = sheet[0][0] if sheet and sheet[0] and sheet[0][0] else title or name
        return Release(str(as_at.year), title or "", date.fromisoformat(published.group(1)) if published else None,
                       as_at, published_by, path.name, hashlib.sha256(path.read_bytes()).hexdigest())
    raise BadLayout(path, "Cover", "no sheet states the release's as-at date and publication cut-off "
                                   "('as at <date>, published by <date>')")


def _cover_value(sheet: list[Row], label: str) -> str | None:
    for row in sheet:
        if len(row) > 1 and row[0] and row[0].strip().lower() == label:
            return row[1]
    return None


def _normal(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("–", "-").lower().split())


def column_field(header: str) -> tuple[str, str] | None:
    """(group, field) of a header as Ofsted prints it; None if this module does not know it."""
    text = _normal(header)
    for pattern, group, name in COLUMNS:
        if re.fullmatch(pattern, text):
            return group, name
    for prefix, group, fields in PREFIXES:
        found = re.match(prefix, text)
        if found:
            rest = text[found.end():]
            for pattern, name in fields:
                if re.fullmatch(pattern, rest):
                    return group, name
    return None


def _sheet_rows(path: Path, release: Release, name: str, sheet: list[Row]) -> list[OfficialRow]:
    rows: list[OfficialRow] = []
    headers = [n for n, row in enumerate(sheet) if any(c and _normal(c) == "local authority name" for c in row)]
    for i, header_at in enumerate(headers):
        end = headers[i + 1] if i + 1 < len(headers) else len(sheet)
        columns = _columns(path, name, sheet[header_at])
        kind = _table_kind(sheet[:header_at])
        for n in range(header_at + 1, end):
            rows.extend(_data_rows(path, release, name, kind, columns, sheet[n], n + 1))
    return rows


def _columns(path: Path, sheet: str, header: Row) -> dict[int, tuple[str, str]]:
    columns: dict[int, tuple[str, str]] = {}
    for n, text in enumerate(header):
        if not text or not text.strip():
            continue
        found = column_field(text)
        if found is None:
            raise BadLayout(path, sheet, f"column {text.strip()!r} is not one lacs knows; the layout has changed")
        columns[n] = found
    fields = {name for _, name in columns.values()}
    if not fields & {"start", "published"}:
        raise BadLayout(path, sheet, "no inspection or publication date column")
    return columns


def _table_kind(above: list[Row]) -> str:
    title = " ".join(c for row in above for c in row if c).lower()
    return next(kind for pattern, kind in TABLE_KINDS if re.search(pattern, title))


def _data_rows(path: Path, release: Release, sheet: str, table: str, columns: dict[int, tuple[str, str]],
               row: Row, number: int) -> list[OfficialRow]:
    def cell(n: int) -> str | None:
        raw = row[n] if n < len(row) else None
        value = raw.strip() if raw else None
        return value if value and value.lower() not in BLANKS else None

    shared = {name: cell(n) for n, (group, name) in columns.items() if group == "" and name in
              ("council", "gss_code", "region", "status")}
    if not shared.get("council"):
        return []  # a title, a note or a blank line between tables
    by_group: dict[str, dict[str, str]] = {}
    for n, (group, name) in columns.items():
        value = cell(n)
        if value is not None and name not in ("-", "council", "gss_code", "region", "status"):
            by_group.setdefault(group, {})[name] = value
    if table != "history" and not by_group:
        by_group[""] = {}
    found = []
    for group, values in by_group.items():
        where = f"row {number}, {group or 'table'}"
        found.append(_official_row(path, release, sheet, table, number, group, shared, values, where))
    return found


def _official_row(path: Path, release: Release, sheet: str, table: str, number: int, group: str,
                  shared: dict[str, str | None], values: dict[str, str], where: str) -> OfficialRow:
    note = next((v for v in values.values() if _normal(v) in NO_INSPECTION), None)
    start = _date(path, sheet, where, values.get("start"))
    published = _date(path, sheet, where, values.get("published"))
    kind, graded = GROUPS[group].kind, note is None
    if "type" in values:
        found = TYPES.get(_normal(values["type"]))
        if found is None:
            raise BadLayout(path, sheet, f"{where}: inspection type {values['type']!r} is not one lacs knows")
        kind, graded = found[0], found[1] and graded
    judgements = {}
    for name, value in values.items():
        if name in ("start", "published", "type", "theme") or _normal(value) in NO_INSPECTION:
            continue
        try:
            judgements[name] = GRADE_CODES.get(value) or parse_grade(value)
        except ValueError:
            raise BadLayout(path, sheet, f"{where}, {name}: {value!r} is not a grade") from None
    on = start or published or release.as_at
    # A table that names no framework (the as-at tables) leaves it to matching: SIF ran into 2018.
    # Only ILACS tables have an inspection type column.
    framework = GROUPS[group].framework or (ILACS.key if "type" in values else None)
    judgements = {area: grade_of_its_time(grade, framework, start) for area, grade in judgements.items()}
    return OfficialRow(
        release=release.key, sheet=sheet, row=number, part=group, table=table, council=shared["council"] or "",
        gss_code=_gss_code(shared.get("gss_code"), shared["council"] or "", on), region=shared.get("region"),
        framework=framework, kind=kind, graded=graded and bool(judgements), start=start,
        published=published, judgements=judgements, note=note, theme=values.get("theme"))


def grade_of_its_time(grade: Grade, framework: str | None, start: date | None) -> Grade:
    """The grade in the words of its time: Ofsted's history tables write the third grade of an
    inspection before the single inspection framework (November 2013) as 'requires improvement',
    but then it was 'adequate'. The inspection's time is its framework's, or where the row names
    none, that of its start."""
    found = maybe_framework(framework) or (framework_in_force(start) if start else None)
    before = bool(found and found.ends and FOUR_POINT_SCALE_FROM and found.ends < FOUR_POINT_SCALE_FROM)
    return Grade.ADEQUATE if before and grade is Grade.REQUIRES_IMPROVEMENT else grade


def _date(path: Path, sheet: str, where: str, value: str | None) -> date | None:
    if value is None or _normal(value) in NO_INSPECTION:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        try:
            return parse_date(value)
        except ValueError:
            raise BadLayout(path, sheet, f"{where}: {value!r} is not a date") from None


def framework_on(day: date | None) -> str | None:
    """The family of frameworks in force when an inspection began (or, failing that, was published):
    a row that does not say its framework (an as-at table) is placed by that date."""
    return framework_in_force(day).family if day else None


def _gss_code(code: str | None, name: str, on: date) -> str | None:
    """The register's council: by the GSS code printed, else by name as the council was on that day."""
    if code:
        for council in load_councils():
            if council.gss_code == code:
                return code
    found = match_council(name, on.isoformat())
    return found[0].gss_code if len(found) == 1 else None

