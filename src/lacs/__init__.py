"""lacs: the record of Ofsted's judgements of English councils' children's services.

    from lacs import extract_report
    record = extract_report("report.pdf")
    record.judgements["overall_effectiveness"]   # Grade.GOOD
"""

from .corpus import Summary, find_reports
from .councils import AmbiguousCouncil, Council, UnknownCouncil, resolve_council
from .database import Database, Inspection, NoDatabase, open_database as open
from .errors import LacsError, ReportError
from .extract import EXTRACTOR_VERSION, Record, extract_many, extract_report
from .grades import Grade, parse_grade

__version__ = "0.1.0"
__all__ = [
    "EXTRACTOR_VERSION", "AmbiguousCouncil", "Council", "Database", "Grade", "Inspection", "LacsError",
    "NoDatabase", "Record", "ReportError", "Summary", "UnknownCouncil", "extract_many", "extract_report",
    "find_reports", "open", "parse_grade", "resolve_council", "__version__",
]
