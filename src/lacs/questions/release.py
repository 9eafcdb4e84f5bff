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
from lacs.questions.columns import EXPORT_COLUMNS, WHATS, ExportTable, table_schema
from lacs.questions.export import export_table, write_export
from lacs.store.database import Database, Freshness
from lacs.store.metadata import datasette_metadata
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
    "councils": "The register of councils, current and former, that the other tables refer to by gss_code.",
    "latest": "Each council's latest inspection as at the record's date: one row per council.",
    "history": "Every inspection of every council in the record: one row per inspection.",
    "judgements": "Every graded judgement: one row per inspection and area.",
    "visits": "Ofsted's visits between inspections (focused and monitoring visits): one row per visit.",
    "improvements": "What inspectors said must improve: one row per point, in the report's order.",
}


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
    tables = {"councils": councils_table(db), **{what: export_table(db, what) for what in WHATS}}
    files = []
    for what, table in tables.items():
        for fmt in FORMATS if what in WHATS else ("csv",):  # the register: a CSV, and in lacs.db
            write_export(table, fmt, folder / f"{what}.{fmt}")
            files.append(f"{what}.{fmt}")
    write_compact(db.path, folder / "lacs.db", how="publish")
    files.append("lacs.db")
    content_hash = _content_hash(folder, [f"{what}.csv" for what in tables])
    freshness = db.freshness()
    version = f"{freshness.latest_published or 'empty'}+{content_hash[:12]}"
    record = record_index(tables["history"])
    changes = compare_records(previous, record)
    documents = {
        "datapackage.json": datapackage(tables, version, freshness),
        "metadata.json": release_metadata(version),
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

# Each table's primary key, where its columns make one (the columns questions/columns.py documents);
# every table's gss_code refers to the councils table, the register of current and former councils.
PRIMARY_KEYS = {"latest": ["gss_code"], "councils": ["gss_code"]}
COUNCIL_FIELDS = [
    ("gss_code", "string", "The ONS GSS code of the council's area: the key the other tables refer to"),
    ("urn", "integer", "Ofsted's unique reference number for the council"),
    ("dfe_code", "string", "The Department for Education's three-digit local authority code"),
    ("name", "string", "The council's name"),
    ("official_name", "string", "The council's official name"),
    ("region", "string", "The English region the council is in"),
    ("council_type", "string", "County, metropolitan district, London borough or unitary authority"),
    ("start", "date", "The day the council began, if after 2009 (empty: before the record starts)"),
    ("end", "date", "The day the council was replaced (empty: a current council)"),
    ("successors", "string", "The GSS codes of the councils that replaced it, space-separated"),
]


def resource_schema(what: str) -> dict[str, Any]:
    """The Table Schema of one table: its documented columns (questions/columns.py), its key, and
    its reference to the councils table."""
    if what == "councils":
        fields = [{"name": n, "type": t, "description": d} | ({"format": "%Y-%m-%d"} if t == "date" else {})
                  for n, t, d in COUNCIL_FIELDS]
        schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    else:
        schema = dict(table_schema(what))
        schema["foreignKeys"] = [{"fields": "gss_code", "reference": {"resource": "councils", "fields": "gss_code"}}]
    if what in PRIMARY_KEYS:
        schema["primaryKey"] = PRIMARY_KEYS[what]
    return schema


def councils_table(db: Database) -> ExportTable:
    """The register, current and former councils, as the release's `councils` table."""
    rows: list[dict[str, object]] = [
        {"gss_code": c.gss_code, "urn": c.urn, "dfe_code": c.dfe_code or None, "name": c.name,
             "official_name": c.official_name or None, "region": c.region or None,
             "council_type": c.council_type or None, "start": date.fromisoformat(c.start) if c.start else None,
             "end": date.fromisoformat(c.end) if c.end else None, "successors": " ".join(c.successors) or None}
            for c in db.councils()]
    return ExportTable("councils", [n for n, _, _ in COUNCIL_FIELDS], rows)


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
                       "mediatype": "text/csv", "encoding": "utf-8-sig", "description": TABLE_DESCRIPTIONS[what],
                       "schema": resource_schema(what)} for what in tables],
    }


def release_metadata(version: str) -> dict[str, Any]:
    """datasette's metadata.json for the release's lacs.db (store/metadata.py), naming the release."""
    metadata: dict[str, Any] = dict(datasette_metadata("lacs"))
    metadata["description"] = f"Release {version}. {metadata['description']}"
    return metadata


# --- what changed since the last release --------------------------------------------------------

RECORD_FIELDS = ("council", "gss_code", "framework", "kind", "start", "end", "published", "source")


def record_index(history: ExportTable) -> dict[str, dict[str, Any]]:
    """Every inspection keyed by council, framework and dates, with its grades: what a later
    release compares with."""
    grade_columns = [c.name for c in EXPORT_COLUMNS["history"] if c.type == "grade"]
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
