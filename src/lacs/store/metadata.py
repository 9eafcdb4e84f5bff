"""What the database's tables and columns hold, in words, as datasette's metadata.json states it:
the title, source and licence of the data, and a description of every table and column.

    datasette_metadata()              -> the metadata.json dict for a database file named lacs.db
    datasette_metadata("record")      -> ... for one named record.db (datasette names it by the file)

    datasette -i lacs.db --metadata metadata.json

The column lists come from schema.COLUMNS, so a column added to the schema without a
description here is an error (tests/test_datasette.py), not a silent gap.
"""

from __future__ import annotations

from lacs.store.schema import COLUMNS

TITLE = "Ofsted's judgements of English councils' children's services (lacs)"
LICENSE = "OGL-UK-3.0"
LICENSE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SOURCE = "Ofsted: inspection reports of local authority children's services, and Ofsted's official statistics"
SOURCE_URL = "https://reports.ofsted.gov.uk/"
ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
DESCRIPTION = (
    "Every inspection of the children's services of England's councils that lacs read from Ofsted's reports "
    "(frameworks since 2009), with each judgement, each report's own summary of its findings and what it says "
    "must improve, and the inspections Ofsted's official statistics list. " + ATTRIBUTION + " The data are "
    "Ofsted's, under that licence; lacs's own code is under the MIT licence. Grades are stored as "
    "outstanding, good, requires_improvement, adequate (before November 2013), inadequate and not_judged; "
    "dates as ISO 8601 (YYYY-MM-DD).")

_GSS = "The council's ONS GSS code (E08000003 for Manchester); councils.gss_code"
_INSPECTION = "The inspection (inspections.id)"

# table -> (what a row is, {column: what it holds}); every column of schema.COLUMNS, none else.
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "councils": ("The register: every current and former council with children's services duties, one row each.", {
        "gss_code": "ONS GSS code (E08000003): the key other tables refer to",
        "urn": "Ofsted's unique reference number for the council (80521 for Manchester)",
        "dfe_code": "DfE three-digit local authority code (352 for Manchester)",
        "name": "The council's usual short name (Manchester)",
        "official_name": "Its full name (Manchester City Council)",
        "other_names": "Other names reports print for it, separated by |",
        "region": "English region",
        "council_type": "ONS local authority type (Metropolitan District, Unitary Authority, ...)",
        "population_0_25": "ONS population aged 0 to 25",
        "neighbours": "DfE codes of its ten statistical neighbours, separated by spaces",
        "start_date": "The day the council was created, where the register records it",
        "end_date": "The day it was abolished or merged; blank for a current council",
        "successors": "DfE codes of the councils that replaced it, separated by spaces",
        "lat": "Latitude of the council's area (for maps)",
        "lon": "Longitude of the council's area (for maps)",
    }),
    "inspections": ("One row per inspection, however many copies of its report were read; from a report, or from "
                    "Ofsted's official statistics where no report was read.", {
        "id": "The inspection's number in this file (other tables refer to it)",
        "gss_code": _GSS,
        "council_printed": "The council's name as the report (or official table) prints it",
        "framework": "The inspection framework: pre_sif (2009 to 2013), sif (2013 to 2017), ilacs (2018 to "
                     "March 2026), ilacs_2026 (from April 2026, no overall grade)",
        "kind": "The kind of inspection: standard, short, re_inspection, lscb_review (a review of the "
                "safeguarding board alone), or one of the separate inspections before 2013",
        "kind_basis": "How the kind was known: the report's title, its time on site, or the official statistics",
        "title": "The report's title",
        "start_date": "First day of fieldwork",
        "end_date": "Last day of fieldwork",
        "published": "The day the report was published",
        "published_source": "Where the publication date comes from: report (printed in it), file_name (the date "
                            "Ofsted's site gave the file) or official (the official statistics)",
        "lead_inspector": "The lead inspector (two joined by 'and'); blank where the report names none",
        "source": "report (read from a report) or official (only the official statistics give it)",
        "source_ref": "For source official: the official rows it was made from (release, sheet, row)",
    }),
    "reports": ("Every report file read, good or bad.", {
        "path": "The file, relative to the folder it was read from",
        "sha256": "SHA-256 of the file",
        "size": "Its size in bytes",
        "extractor_version": "The version of lacs's reader that read it (a new version reads it again)",
        "status": "ok (read as a report) or problem (not a readable report)",
        "error_kind": "For a problem: what kind (not_a_pdf, empty, truncated, encrypted, no_text, not_a_report, ...)",
        "error": "For a problem: why, in words",
        "inspection_id": _INSPECTION + " it is a report of",
        "site_published": "The publication date Ofsted's site gave the file (from its file name)",
        "missing": "Fields the report does not state, each with the reason ('published: ...'), separated by ;",
        "warnings": "Anything odd the reader noticed, separated by ;",
    }),
    "judgements": ("One row per inspection and judged area: its grade.", {
        "inspection_id": _INSPECTION,
        "area": "The area judged (overall_effectiveness, leadership, help_and_protection, children_in_care, "
                "care_leavers, adoption, lscb, and the areas of the inspections before 2013)",
        "grade": "outstanding, good, requires_improvement, adequate, inadequate or not_judged",
    }),
    "improvements": ("What each report says must improve, one row per point.", {
        "inspection_id": _INSPECTION,
        "list": "council (what the council must improve) or lscb (the safeguarding board's recommendations)",
        "position": "The point's number in its list, from 1",
        "text": "The point, as the report words it",
    }),
    "findings": ("What inspectors said, searchable (full-text index findings_fts): each report's own summary of "
                 "its findings (a row per point it lists, or for a run of its prose) and each point it says must "
                 "improve (as in improvements).", {
        "id": "The finding's number in this file (the full-text index's rowid)",
        "inspection_id": _INSPECTION,
        "kind": "summary (the report's own summary of its findings: ILACS's headline findings, SIF's summary of "
                "findings or executive summary, the overall effectiveness section before 2013), improvement "
                "(what the council must improve) or lscb_improvement (what the safeguarding board must improve)",
        "position": "The passage's or point's number, from 1",
        "text": "The passage or point, as the report words it (a line break where a paragraph plainly ends)",
    }),
    "pages": ("Every page's text, once per distinct file; empty in the dataset shipped with lacs (a build of the "
              "reports fills it; full-text index pages_fts).", {
        "id": "The page's number in this file (the full-text index's rowid)",
        "sha256": "SHA-256 of the file (reports.sha256 or publications.sha256)",
        "page": "The page number, from 1",
        "text": "The page's text",
    }),
    "publications": ("What Ofsted's site lists for each council, as `lacs update` found it: reports and letters.", {
        "url": "The publication's address on Ofsted's site",
        "urn": "The council's Ofsted URN",
        "gss_code": _GSS,
        "kind": "report, focused_visit, monitoring_visit, ...",
        "site_published": "The date the site gives it",
        "description": "The site's description of it",
        "path": "The downloaded file, relative to the reports folder",
        "sha256": "SHA-256 of the downloaded file",
    }),
    "official_releases": ("Ofsted's official statistics releases imported: one row per release.", {
        "release": "The release: the year of its as-at date (2024)",
        "title": "The release's title",
        "published_on": "The day Ofsted published it",
        "as_at": "The date its figures are as at (31 March)",
        "published_by": "Its cut-off: inspections published by this day are counted",
        "file_name": "The spreadsheet it was imported from",
        "sha256": "SHA-256 of that spreadsheet",
    }),
    "official_rows": ("One inspection as one row of an official table gives it.", {
        "release": "The release (official_releases.release)",
        "sheet": "The spreadsheet's sheet",
        "row": "The row, as the spreadsheet numbers it, from 1",
        "part": "The column group of a history table that holds this inspection (ilacs, sif, ...); blank otherwise",
        "tbl": "Which table: latest, in_year or history",
        "council_printed": "The council's name as the table prints it",
        "gss_code": _GSS,
        "region_printed": "The region as the table prints it",
        "framework": "The framework, as lacs reads the table",
        "kind": "The kind of inspection, as lacs reads the table",
        "graded": "1 for a graded inspection; 0 for an ungraded visit or 'no full inspection'",
        "start_date": "First day of the inspection, as the table gives it",
        "published": "Publication date, as the table gives it",
        "judgements": "The grades it gives, as JSON: {\"area\": \"grade\", ...}",
        "note": "A note the table gives in place of grades ('No full inspection', ...)",
        "inspection_id": "The inspection it is a record of (inspections.id), where lacs matched one",
    }),
    "disagreements": ("Where a report's record and an official row differ; the report wins.", {
        "inspection_id": _INSPECTION,
        "field": "What differs (published, start, or an area's grade)",
        "report_value": "The value from the report",
        "report_source": "Where in the report's record it comes from",
        "official_value": "The value the official row gives",
        "official_source": "The official row (release, sheet, row)",
    }),
    "writes": ("Every time lacs wrote this file: when, how and which lacs.", {
        "at": "When (UTC, ISO 8601)",
        "how": "How: build, update, official import, upgrade or dataset",
        "lacs_version": "The version of lacs that wrote it",
    }),
    "visits": ("Ofsted's visits between inspections (focused and monitoring visits...), letters of findings with "
               "no grades: one row per record of a visit.", {
        "id": "The row's number in this file",
        "gss_code": "The council visited (councils.gss_code)",
        "kind": "focused_visit, monitoring_visit or joint_targeted_area_inspection",
        "start_date": "First day of the visit (YYYY-MM-DD)",
        "end_date": "Last day, where the letter states it (Ofsted's in-year tables do not)",
        "published": "The day Ofsted published the letter (YYYY-MM-DD), where known",
        "theme": "The visit's theme as Ofsted's in-year tables word it, or as its letter states it",
        "source": "official (a row of Ofsted's in-year tables) or letter (a letter lacs update fetched)",
        "source_ref": "The table row (release, sheet, row) or the letter's address",
    }),
    "themes": ("The taxonomy of themes the points to improve were matched with (lacs's data/themes.toml), as it "
               "was when this file was written.", {
        "key": "The theme's key (improvement_themes.theme refers to it)",
        "position": "Its place in the taxonomy's order",
        "name": "Its name",
        "description": "What it covers",
        "patterns": "The regular expressions that signal it (JSON)",
    }),
    "improvement_themes": ("Each point to improve's themes, worked out when the record was built: one row per "
                           "point and theme (a point with no row matched no theme).", {
        "inspection_id": "The inspection (improvements.inspection_id)",
        "list": "council or lscb (improvements.list)",
        "position": "The point's place in its list (improvements.position)",
        "theme": "The theme (themes.key)",
    }),
}

# Datasette's own search box on a table with a full-text index lacs keeps, and the column that
# names a row that others refer to.
_TABLE_EXTRAS: dict[str, dict[str, str]] = {
    "findings": {"fts_table": "findings_fts", "fts_pk": "id"},
    "pages": {"fts_table": "pages_fts", "fts_pk": "id"},
    "councils": {"label_column": "name"},
}


def table_metadata(table: str) -> dict[str, object]:
    """One table's description, its columns' (in schema order; KeyError for a column with none)."""
    description, columns = TABLES[table]
    return {"description": description, "columns": {c: columns[c] for c in COLUMNS[table]},
            **_TABLE_EXTRAS.get(table, {})}


def datasette_metadata(database: str = "lacs") -> dict[str, object]:
    """The metadata.json for datasette (`datasette -i lacs.db --metadata metadata.json`)."""
    return {"title": TITLE, "description": DESCRIPTION, "license": LICENSE, "license_url": LICENSE_URL,
            "source": SOURCE, "source_url": SOURCE_URL,
            "databases": {database: {"source": SOURCE, "source_url": SOURCE_URL, "license": LICENSE,
                                     "license_url": LICENSE_URL,
                                     "tables": {table: table_metadata(table) for table in COLUMNS}}}}
