"""lacs: the record of Ofsted's judgements of English councils' children's services.

    import lacs
    db = lacs.open()                             # the record: built, or shipped with lacs
    db.inspections(council="manchester")

    from lacs import extract_report
    record = extract_report("report.pdf")
    record.judgements["overall_effectiveness"]   # Grade.GOOD

Names are imported on first use, so that `lacs council` does not pay for the PDF reader.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_WHERE = {
    "Summary": "corpus", "find_reports": "corpus",
    "AmbiguousCouncil": "councils", "Council": "councils", "UnknownCouncil": "councils",
    "resolve_council": "councils",
    "Database": "database", "Inspection": "database", "NoDatabase": "database", "open": "database",
    "LacsError": "errors", "ReportError": "errors",
    "EXTRACTOR_VERSION": "extract", "Record": "extract", "extract_many": "extract", "extract_report": "extract",
    "Grade": "grades", "parse_grade": "grades",
}
__all__ = sorted(_WHERE) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'lacs' has no attribute {name!r}")
    module = import_module(f".{_WHERE[name]}", __name__)
    return getattr(module, "open_database" if name == "open" else name)


def __dir__() -> list[str]:
    return __all__
