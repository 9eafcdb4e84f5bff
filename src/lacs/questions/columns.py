"""The export tables' columns: each one's name, type and meaning, in one place.

    EXPORT_COLUMNS["history"]           # (Column('council', 'string', ...), Column('urn', 'integer', ...), ...)
    column_names("judgements")          # ['council', 'urn', 'gss_code', ...]
    table_schema("history")             # a Frictionless Table Schema (the CSV's column-types sidecar)

The exports (lacs.questions.export), the DataFrames (lacs.questions.frames), the workbook's
Notes sheet and the data release all read these. A table's columns never depend on the data:
the grade columns are every area the framework registry knows (lacs.domain.frameworks), the
areas of the pre-2013 inspections' findings tables (lacs.domain.report_types) and those only
Ofsted's official statistics give (lacs.official.tables), so a record without an area still
has its column, empty. Registering a framework with a new area adds its column.

Types: "string", "integer", "date" (ISO 8601, YYYY-MM-DD) and "grade": one of GRADE_ORDER's words.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from lacs.domain.frameworks import area_order, current_areas, frameworks
from lacs.domain.report_types import FINDINGS_AREAS
from lacs.errors import MissingPackage
from lacs.store.database import Freshness

TYPES = ("string", "integer", "date", "grade")

# The grades worst first, the order of an ordered categorical. Adequate (the third grade before
# November 2013) and requires improvement rank the same (3); a categorical cannot hold a tie, so
# adequate, the older word, sits just before requires_improvement. Comparisons with good,
# outstanding or inadequate are exact; one with either tied word splits the tie (compare
# grade_rank then). Not judged is no grade: it sorts last, after outstanding, beside the empty cells.
GRADE_ORDER: tuple[str, ...] = ("inadequate", "adequate", "requires_improvement", "good", "outstanding",
                                "not_judged")
GRADE_ORDER_NOTE = ("worst first: inadequate < adequate < requires_improvement < good < outstanding; adequate and "
                    "requires_improvement rank the same (3), adequate placed first; not_judged (no grade) last")


@dataclass(frozen=True)
class Column:
    """One column of an export table."""

    name: str
    type: str  # one of TYPES
    meaning: str

    def to_field(self) -> dict[str, object]:
        """The column as a Frictionless Table Schema field."""
        field: dict[str, object] = {"name": self.name, "type": "string" if self.type == "grade" else self.type,
                                    "description": self.meaning}
        if self.type == "date":
            field["format"] = "%Y-%m-%d"
        if self.type == "grade":
            field["constraints"] = {"enum": list(GRADE_ORDER)}
        return field


@dataclass(frozen=True)
class ExportTable:
    """One table's rows, with what the workbook's notes say of them."""

    what: str
    columns: list[str]
    rows: list[dict[str, object]]  # values: str, int, date or None, as EXPORT_COLUMNS types them
    freshness: Freshness | None = None  # how current the record is
    releases: tuple[str, ...] = ()  # the titles of the official releases imported into the record
    as_at: date | None = None  # the day of the latest table


def needs(module: str, what: str, extra: str | None = None) -> Any:
    """The module, imported; MissingPackage saying how to install it if it is not there."""
    try:
        return __import__(module)
    except ImportError as error:
        how = f"pip install 'lacs[{extra}]'" if extra else f"pip install {module}"
        raise MissingPackage(f"{what}: needs the {module} package, which is not installed; install it with "
                             f"`{how}`") from error


WHATS = ("latest", "history", "judgements", "visits", "improvements")


def column_names(what: str) -> list[str]:
    return [c.name for c in EXPORT_COLUMNS[what]]


def date_columns(what: str) -> list[str]:
    return [c.name for c in EXPORT_COLUMNS[what] if c.type == "date"]


def table_schema(what: str) -> dict[str, object]:
    """The table's Frictionless Table Schema: its columns' types and meanings; an empty cell is no value."""
    return {"fields": [c.to_field() for c in EXPORT_COLUMNS[what]], "missingValues": [""]}


# --- the areas ----------------------------------------------------------------------------------

def every_area() -> list[str]:
    """Every area a table can have a grade for: the registry's areas in display order, then the
    pre-2013 findings tables' (safeguarding_..., lac_...), then any only the official statistics give."""
    found = list(area_order())
    for framework in frameworks():
        for report_type in framework.report_types:
            for _, prefix in report_type.findings_sections:
                found += [prefix + a.key for a in FINDINGS_AREAS[prefix] if prefix + a.key not in found]
    return found + [a for a in official_areas() if a not in found]


def official_areas() -> list[str]:
    """The areas whose grades Ofsted's official tables give (their columns' fields that are no date,
    code or name: see lacs.official.tables)."""
    from lacs.official import tables  # its patterns take a while to compile: only when a table is made

    not_areas = {"-", "council", "gss_code", "region", "status", "start", "published", "type", "theme"}
    fields = [f for _, _, f in tables.COLUMNS] + [f for _, _, group in tables.PREFIXES for _, f in group]
    return list(dict.fromkeys(f for f in fields if f not in not_areas))


def area_meaning(key: str) -> str:
    """'Grade for <the area>': each framework's own title for it, newest first."""
    titles: dict[str, list[str]] = {}
    for framework in reversed(frameworks()):
        info = framework.area(key)
        if info:
            for title in dict.fromkeys(t for t in (info.title, info.title_covering) if t):
                names = titles.setdefault(title, [])
                if _family_name(framework.family) not in names:
                    names.append(_family_name(framework.family))
    if titles:
        return "Grade for " + "; ".join(f"{title} ({', '.join(names)})" for title, names in titles.items())
    for prefix, areas in FINDINGS_AREAS.items():
        area = next((a for a in areas if prefix + a.key == key), None)
        if area:
            section = "safeguarding services" if prefix == "safeguarding_" else "services for looked after children"
            return f"Grade for {area.title.lower()}, of {section} (inspections before November 2013)"
    if key == "child_protection_overall_effectiveness":
        return ("Grade for overall effectiveness, of a child protection inspection (before November 2013; only "
                "Ofsted's official statistics give it)")
    return f"Grade for {key.replace('_', ' ')}"


def _family_name(family: str) -> str:
    """The name of a family of frameworks: that of its first."""
    return next(f.name for f in frameworks() if f.family == family)


# --- the tables ---------------------------------------------------------------------------------

def _framework_meaning() -> str:
    return "The inspection framework: " + "; ".join(f"{f.key} ({f.name})" for f in frameworks())


def _council_columns(region: bool = True, dfe: bool = True, urn: bool = True) -> list[Column]:
    found = [Column("council", "string", "The council's name (lacs's register; the name the report printed where "
                                         "the register lacks the council)")]
    if urn:
        found.append(Column("urn", "integer", "Ofsted's unique reference number for the council (empty where "
                                              "lacs's register has none for it)"))
    if dfe:
        found.append(Column("dfe_code", "string", "The Department for Education's three-digit local authority code"))
    found.append(Column("gss_code", "string", "The ONS GSS code of the council's area (E06..., E08..., E09..., "
                                              "E10...)"))
    if region:
        found.append(Column("region", "string", "The English region the council is in"))
    return found


def _inspection_columns(full: bool = True) -> list[Column]:
    found = [
        Column("framework", "string", _framework_meaning()),
        Column("kind", "string", "The kind of inspection: standard, short, re_inspection, lscb_review (a review of "
                                 "the Local Safeguarding Children Board alone); before November 2013 "
                                 "safeguarding_and_looked_after_children, looked_after_children, child_protection "
                                 "and their re-inspections"),
        Column("start", "date", "First day of the inspection's fieldwork (empty where the record does not know it: "
                                "some inspections only Ofsted's official statistics give)"),
        Column("end", "date", "Last day of the inspection's fieldwork (empty where the record does not know it)"),
        Column("published", "date", "The day the report was published"),
    ]
    if full:
        found += [
            Column("published_source", "string", "Where the publication date comes from: report (printed in it), "
                                                 "file_name (the date Ofsted's site gave the file) or official "
                                                 "(Ofsted's official statistics)"),
            Column("lead_inspector", "string", "The lead inspector the report names (empty where it names none)"),
        ]
    found.append(Column("source", "string", "Where the inspection comes from: report (lacs read the report) or "
                                            "Ofsted official statistics (only Ofsted's tables give it)"))
    return found


def _area_columns(areas: list[str]) -> list[Column]:
    return [Column(a, "grade", area_meaning(a)) for a in areas]


REPORT_URL = Column("report_url", "string", "Ofsted's page listing the council's inspection reports")


def _latest() -> tuple[Column, ...]:
    return (*_council_columns(), Column("council_type", "string", "The ONS type of local authority"),
            *_inspection_columns(), *_area_columns(current_areas()),
            Column("previous_overall_effectiveness", "grade",
                   "The overall effectiveness grade of the council's last inspection before this one that gave one"),
            Column("previous_end", "date", "Last day of fieldwork of that previous inspection"),
            REPORT_URL)


def _history() -> tuple[Column, ...]:
    return (*_council_columns(), *_inspection_columns(), *_area_columns(every_area()),
            Column("improvements_count", "integer", "How many points the report lists as what needs to improve "
                                                    "(the council's list; for a review of the safeguarding board, "
                                                    "the board's)"),
            REPORT_URL,
            Column("source_files", "string", "The report files lacs read it from, separated by ' | '"),
            Column("source_ref", "string", "For an inspection only Ofsted's official statistics give: the release, "
                                           "sheet and row"))


def _judgements() -> tuple[Column, ...]:
    return (*_council_columns(dfe=False), *_inspection_columns(full=False),
            Column("area", "string", "The area judged (a column of the history table)"),
            Column("grade", "grade", "The grade Ofsted gave the area (not_judged where it judged none)"),
            Column("grade_rank", "integer", "1 (outstanding) to 4 (inadequate); adequate and requires improvement "
                                            "both 3; empty for not judged"))


def _visits() -> tuple[Column, ...]:
    return (*_council_columns(region=False, dfe=False, urn=False),
            Column("kind", "string", "The kind of visit: focused_visit, monitoring_visit, ..."),
            Column("date", "date", "First day of the visit (empty where the record does not know it)"),
            Column("end", "date", "Last day of the visit (empty where the record does not know it)"),
            Column("published", "date", "The day Ofsted published the visit's letter"),
            Column("theme", "string", "The visit's theme as Ofsted's in-year tables word it, or as its letter "
                                      "states it (empty where neither says)"),
            Column("source", "string", "Where the record has the visit from: official (Ofsted's in-year tables) "
                                       "or letter (the letter lacs update fetched)"),
            Column("source_ref", "string", "The table row (release, sheet, row) or the letter's address"))


def _improvements() -> tuple[Column, ...]:
    return (*_council_columns(region=False, dfe=False, urn=False),
            Column("framework", "string", _framework_meaning()),
            Column("start", "date", "First day of the inspection's fieldwork"),
            Column("end", "date", "Last day of the inspection's fieldwork"),
            Column("published", "date", "The day the inspection's report was published"),
            Column("list", "string", "Whose list the point is on: council (what the council needs to improve) or "
                                     "lscb (the Local Safeguarding Children Board's)"),
            Column("position", "integer", "The point's place in its list, from 1"),
            Column("text", "string", "The point, as the report words it"))


_TABLES = {"latest": _latest, "history": _history, "judgements": _judgements, "visits": _visits,
           "improvements": _improvements}


class _Columns(Mapping[str, tuple[Column, ...]]):
    """Each table's columns, made when asked, so that a framework registered later has its columns."""

    def __getitem__(self, what: str) -> tuple[Column, ...]:
        return _TABLES[what]()

    def __iter__(self) -> Iterator[str]:
        return iter(WHATS)

    def __len__(self) -> int:
        return len(WHATS)


EXPORT_COLUMNS: Mapping[str, tuple[Column, ...]] = _Columns()
