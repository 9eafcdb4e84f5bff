"""Hand-verified expected records (tests/expected/reports/*.json), compared field by field.

Each file was written by a person reading the report itself, keyed by the file's SHA-256.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lacs.reports.extract import extract_report

EXPECTED = sorted((Path(__file__).parent / "expected" / "reports").glob("*.json"))
FIELDS = ("urn", "framework", "kind", "start", "end", "published", "lead_inspector")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_are_enough_expected_records() -> None:
    assert len(EXPECTED) >= 60
    frameworks = {load(p)["framework"] for p in EXPECTED}
    assert frameworks == {"pre_sif", "sif", "ilacs", "ilacs_2026"}
    assert {load(p)["framework"] for p in EXPECTED if "summary_passages" in load(p)} == frameworks


@pytest.mark.parametrize("expected_file", EXPECTED, ids=lambda p: p.stem)
def test_report_matches_hand_verified_record(expected_file: Path, corpus: Path) -> None:
    expected = load(expected_file)
    pdf = corpus / expected["source"]
    if not pdf.exists():
        pytest.skip(f"{expected['source']} is not in the corpus")
    record = extract_report(pdf).to_json()
    assert record["sha256"] == expected["sha256"], "the corpus file changed since it was checked"
    assert " ".join(record["council"].split()) == " ".join(expected["council_printed"].split())
    for name in FIELDS:
        assert record[name] == expected[name], name
    assert record["judgements"] == expected["judgements"]
    assert len(record["improvements"]) == (expected["improvements_count"] or 0)
    if expected["improvements_count"]:
        assert " ".join(record["improvements"][0].split()[:8]) == expected["improvements_first_words"]
    if expected.get("lscb_improvements_count") is not None:
        assert len(record["lscb_improvements"]) == expected["lscb_improvements_count"]
    if "summary_passages" in expected:  # the report's own summary of its findings, where checked by reading it
        words = " ".join(record["summary"]).split()
        assert len(record["summary"]) == expected["summary_passages"]
        assert " ".join(words[:8]) == expected["summary_first_words"]
        assert " ".join(words[-8:]) == expected["summary_last_words"]
