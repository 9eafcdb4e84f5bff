"""The data release: the record as open data files, described for reuse, and what changed since
the last release.

    import lacs
    from lacs.questions.release import write_release
    release = write_release(lacs.open(), Path("site/data"), previous=None)
    release.version          # '2026-08-20+3f9c2a1b0d4e' : the record's date and a content hash
    release.files            # latest.csv, latest.xlsx, latest.parquet, ..., lacs.db, datapackage.json

Every export table (questions/export.py) is written as CSV, XLSX and Parquet; the record itself
as a SQLite file (the compact copy, no page text); `datapackage.json` describes the CSVs as a
Frictionless Data Package (a Table Schema per table: types, the grades as an enum, keys and
descriptions) and `metadata.json` the SQLite file for datasette. `record.json` keys every
inspection, so the next release into the same folder can say what is new and what was corrected.

Ofsted's data come under the Open Government Licence v3.0, which asks for the attribution in
OFSTED_ATTRIBUTION; lacs's own work (the code, the reading of the reports) is under the MIT licence.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from lacs import __version__
from lacs.domain.grades import Grade
from lacs.questions.export import DATE_COLUMNS, INT_COLUMNS, WHATS, ExportTable, export_table, write_export
from lacs.store.database import Database, Freshness
from lacs.store.shipped import write_compact

OFSTED_ATTRIBUTION = ("Contains public sector information licensed under the Open Government Licence v3.0: "
                      "Ofsted's inspection reports and official statistics.")
OGL = {"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0",
       "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}
MIT = {"name": "MIT", "title": "MIT License (lacs's own code and its reading of the reports)",
       "path": "https://opensource.org/license/mit"}
SOURCES = [{"title": "Ofsted: children's social care inspection reports of local authorities",
            "path": "https://reports.ofsted.gov.uk/"},
           {"title": "Ofsted: Children's social care in England, official statistics (underlying data)",
            "path": "https://www.gov.uk/government/collections/childrens-social-care-statistics"}]
FORMATS = ("csv", "xlsx", "parquet")
TABLE_DESCRIPTIONS = {
    "latest": "Each council's latest inspection as at the record's date: one row per council.",
    "history": "Every inspection of every council in the record: one row per inspection.",
    "judgements": "Every graded judgement: one row per inspection and area.",
}
GRADES = [g.value for g in Grade]


@dataclass(frozen=True)
class RecordChanges:
    """How this release's record differs from the previous one published into the folder."""

    previous: str | None  # the previous release's version, None for the first
    new: list[dict[str, Any]] = field(default_factory=list)
    corrected: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)  # (before, after)
    removed: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Release:
    version: str
    record_date: date | None
    content_hash: str
    files: list[str]  # relative to the release's folder
    changes: RecordChanges
    freshness: Freshness
    tables: dict[str, ExportTable]


def write_release(db: Database, folder: Path, previous: dict[str, Any] | None = None) -> Release:
    """Write the data release into `folder` (which must exist and be empty); `previous` is the
    record.json of the last release in the same place, if any."""
    tables = {what: export_table(db, what) for what in WHATS}
    files = []
    for what, table in tables.items():
        for fmt in FORMATS:
            write_export(table, fmt, folder / f"{what}.{fmt}")
            files.append(f"{what}.{fmt}")
    write_compact(db.path, folder / "lacs.db")
    files.append("lacs.db")
    content_hash = _content_hash(folder, [f"{what}.csv" for what in tables])
    freshness = db.freshness()
    version = f"{freshness.latest_published or 'empty'}+{content_hash[:12]}"
    record = record_index(tables["history"])
    changes = compare_records(previous, record)
    documents = {
        "datapackage.json": datapackage(tables, version, freshness),
        "metadata.json": datasette_metadata(version),
        "record.json": {"version": version, "inspections": record},
        "version.json": {"version": version, "record_date": _iso(freshness.latest_published),
                         "content_hash": content_hash, "lacs_version": __version__,
                         "record_written_at": freshness.written_at.isoformat() if freshness.written_at else None},
    }
    for name, document in documents.items():
        (folder / name).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        files.append(name)
    return Release(version, freshness.latest_published, content_hash, files, changes, freshness, tables)


def _content_hash(folder: Path, names: list[str]) -> str:
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes())
    return digest.hexdigest()


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# --- describing the tables ----------------------------------------------------------------------

def field_type(column: str, table: ExportTable) -> str:
    """The Table Schema type of an export column."""
    if column in DATE_COLUMNS:
        return "date"
    if column in INT_COLUMNS:
        return "integer"
    value = next((row[column] for row in table.rows if row[column] is not None), None)
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string"


def is_grade_column(column: str, table: ExportTable) -> bool:
    values = {row[column] for row in table.rows if row[column] is not None}
    return bool(values) and values <= set(GRADES) and field_type(column, table) == "string"


def table_schema(table: ExportTable) -> dict[str, Any]:
    fields = []
    for column in table.columns:
        described: dict[str, Any] = {"name": column, "type": field_type(column, table)}
        if described["type"] == "date":
            described["format"] = "%Y-%m-%d"
        if is_grade_column(column, table) or (table.what == "judgements" and column == "grade"):
            described["constraints"] = {"enum": GRADES}
            described["description"] = "A grade: " + ", ".join(GRADES) + " (empty: no grade)"
        fields.append(described)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if table.what == "latest":
        schema["primaryKey"] = ["gss_code"]
    return schema


def datapackage(tables: dict[str, ExportTable], version: str, freshness: Freshness) -> dict[str, Any]:
    """The Frictionless Data Package of the release's CSV files."""
    return {
        "profile": "tabular-data-package",
        "name": "lacs-ofsted-childrens-services-judgements",
        "title": "Ofsted's judgements of English councils' children's services",
        "description": ("Every judgement and visit Ofsted published for each of England's councils' children's "
                        "services, read from Ofsted's own reports and reconciled with Ofsted's official "
                        "statistics, by lacs. " + freshness.sentence() + " " + OFSTED_ATTRIBUTION),
        "version": version,
        "licenses": [OGL, MIT],
        "sources": SOURCES,
        "contributors": [{"title": "lacs", "role": "author"}],
        "resources": [{"name": what, "path": f"{what}.csv", "profile": "tabular-data-resource", "format": "csv",
                       "mediatype": "text/csv", "encoding": "utf-8-sig", "description": TABLE_DESCRIPTIONS.get(
                           what, what), "schema": table_schema(table)} for what, table in tables.items()],
    }


def datasette_metadata(version: str) -> dict[str, Any]:
    """A datasette metadata.json for lacs.db."""
    return {"title": "lacs: Ofsted's judgements of English councils' children's services",
            "description": f"Release {version}. {OFSTED_ATTRIBUTION}",
            "license": OGL["title"], "license_url": OGL["path"],
            "source": "Ofsted's inspection reports and official statistics", "source_url": SOURCES[0]["path"],
            "databases": {"lacs": {"source": "Ofsted", "license": OGL["title"], "license_url": OGL["path"]}}}


# --- what changed since the last release --------------------------------------------------------

RECORD_FIELDS = ("council", "gss_code", "framework", "kind", "start", "end", "published", "source")


def record_index(history: ExportTable) -> dict[str, dict[str, Any]]:
    """Every inspection keyed by council, framework and dates, with its grades: what a later
    release compares with."""
    grade_columns = [c for c in history.columns if is_grade_column(c, history)]
    index = {}
    for row in history.rows:
        key = "|".join(str(row[c] or "") for c in ("gss_code", "framework", "start", "end"))
        entry = {c: _json_value(row[c]) for c in RECORD_FIELDS}
        entry["grades"] = {c: row[c] for c in grade_columns if row[c] is not None}
        index[key] = entry
    return index


def _json_value(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def compare_records(previous: dict[str, Any] | None, record: dict[str, dict[str, Any]]) -> RecordChanges:
    if not previous:
        return RecordChanges(None)
    before: dict[str, dict[str, Any]] = previous.get("inspections", {})
    return RecordChanges(
        previous=previous.get("version"),
        new=[record[k] for k in record if k not in before],
        corrected=[(before[k], record[k]) for k in record if k in before and before[k] != record[k]],
        removed=[before[k] for k in before if k not in record])
