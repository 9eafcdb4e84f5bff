"""lacs: the record of Ofsted's judgements of English councils' children's services.

    import lacs
    db = lacs.open()                             # the record: built, or shipped with lacs
    db.inspections(council="manchester")
    db.frame("history")                          # a pandas DataFrame (pip install 'lacs[pandas]')
    db.frame("latest", library="polars")         # or polars, or "arrow" (lacs.questions.frames)

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
    "Summary": "reports.corpus", "find_reports": "reports.corpus",
    "AmbiguousCouncil": "domain.councils", "Council": "domain.councils", "UnknownCouncil": "domain.councils",
    "resolve_council": "domain.councils",
    "Database": "store.database", "Inspection": "store.database", "NoDatabase": "store.database",
    "open": "questions.frames", "FramesDatabase": "questions.frames",
    "LacsError": "errors", "ReportError": "errors", "MissingPackage": "errors",
    "EXTRACTOR_VERSION": "reports.extract", "Record": "reports.extract",
    "extract_many": "reports.extract", "extract_report": "reports.extract",
    "Grade": "domain.grades", "parse_grade": "domain.grades",
}
__all__ = sorted(_WHERE) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'lacs' has no attribute {name!r}")
    module = import_module(f"lacs.{_WHERE[name]}")
    return getattr(module, "open_frames_database" if name == "open" else name)


def __dir__() -> list[str]:
    return __all__
