"""The whole corpus: no crash, every genuine report gets a framework, dates and judgements."""

from __future__ import annotations

from pathlib import Path

import pytest

from lacs.errors import NotAPDF, ReportError
from lacs.reports.corpus import Summary, find_reports
from lacs.reports.extract import Record, extract_many

CORE_AREAS = {
    "sif": {"overall_effectiveness", "help_and_protection", "children_in_care", "leadership"},
    "ilacs": {"overall_effectiveness", "help_and_protection", "children_in_care", "leadership"},
    "ilacs_2026": {"help_and_protection", "children_in_care", "care_leavers", "leadership"},
    "pre_sif": {"lac_overall_effectiveness"},
}


@pytest.fixture(scope="module")
def results(corpus: Path) -> list[tuple[str, Record | ReportError]]:
    return list(extract_many(find_reports([corpus])))


def not_pdfs(results: list[tuple[str, Record | ReportError]]) -> set[str]:
    """The files that are not PDFs at all, by their first bytes (the corpus has HTML error pages)."""
    return {path for path, _ in results if b"%PDF-" not in Path(path).read_bytes()[:1024]}


def test_whole_corpus_reads_without_a_crash(results: list[tuple[str, Record | ReportError]], corpus: Path) -> None:
    assert len(results) == len(list(corpus.rglob("*.pdf")))
    errors = {path: r for path, r in results if isinstance(r, ReportError)}
    assert set(errors) == not_pdfs(results), [str(e) for e in errors.values()]
    assert all(isinstance(e, NotAPDF) for e in errors.values())


def test_every_report_has_framework_dates_council_and_judgements(
    results: list[tuple[str, Record | ReportError]],
) -> None:
    for path, record in results:
        if isinstance(record, ReportError):
            continue
        assert record.framework in CORE_AREAS, path
        assert record.start and record.end and record.start <= record.end, path
        assert record.urn, (path, record.missing)
        assert not record.warnings or "single inspection date" in " ".join(record.warnings), (path, record.warnings)
        if record.kind != "lscb_review":
            assert CORE_AREAS[record.framework] <= set(record.judgements), (path, record.missing)


def test_summary_counts_every_file(results: list[tuple[str, Record | ReportError]]) -> None:
    summary = Summary()
    for _, result in results:
        summary.add(result)
    assert summary.reports + sum(summary.problems.values()) == len(results)
    assert summary.problems == {"not_a_pdf": len(not_pdfs(results))}
