"""lacs: the record of Ofsted's judgements of English councils' children's services.

    from lacs import extract_report
    record = extract_report("report.pdf")
    record.judgements["overall_effectiveness"]   # Grade.GOOD
"""

from .corpus import Summary, find_reports
from .errors import LacsError, ReportError
from .extract import EXTRACTOR_VERSION, Record, extract_many, extract_report
from .grades import Grade, parse_grade

__version__ = "0.1.0"
__all__ = [
    "EXTRACTOR_VERSION", "Grade", "LacsError", "Record", "ReportError", "Summary",
    "extract_many", "extract_report", "find_reports", "parse_grade", "__version__",
]
