"""Who is due: each council's last inspection, its grade, the time since, and the window in which
the framework expects the next one (frameworks.NEXT_INSPECTION, with its source), ordered by how
overdue each is.

    for d in due(db, as_at=date(2026, 11, 23)):
        d.council.name, d.status, d.window, d.beyond_record

`beyond_record`: the council's window closes after the latest report the record holds was
published, so the record cannot tell whether Ofsted inspected it before the window closed: a
council that looks overdue may only look so because the record is older than its window.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from lacs.domain.councils import Council
from lacs.domain.frameworks import NEXT_INSPECTION, REVIEW_KINDS, NextInspectionRule, maybe_framework
from lacs.store.database import Database, Inspection


@dataclass(frozen=True)
class Due:
    council: Council
    last: Inspection | None
    rule: NextInspectionRule | None
    earliest: date | None
    latest: date | None
    as_at: date
    why_no_window: str | None = None
    record_published: date | None = None  # the latest report the record holds was published then

    @property
    def beyond_record(self) -> bool:
        """True if its window closes after the latest report in the record was published: Ofsted
        may have inspected it since, unknown to the record."""
        return self.latest is not None and self.record_published is not None and self.latest > self.record_published

    @property
    def overdue_days(self) -> int | None:
        """Days past the end of the window (negative: days left); None without a window."""
        return (self.as_at - self.latest).days if self.latest else None

    @property
    def status(self) -> str:
        if self.latest is None or self.earliest is None:
            return "no window"
        if self.as_at > self.latest:
            return f"overdue by {self.overdue_days} days"
        if self.as_at >= self.earliest:
            return "due now"
        return f"not due before {self.earliest}"

    def to_json(self) -> dict[str, Any]:
        last = self.last
        return {"council": self.council.name, "urn": self.council.urn,
                "last_end": last.end.isoformat() if last and last.end else None,
                "last_framework": last.framework if last else None,
                "last_grade": last.overall.value if last and last.overall else None,
                "years_since": round((self.as_at - last.end).days / 365.25, 1) if last and last.end else None,
                "next_kind": self.rule.kind if self.rule else None,
                "window_from": self.earliest.isoformat() if self.earliest else None,
                "window_to": self.latest.isoformat() if self.latest else None,
                "status": self.status, "overdue_days": self.overdue_days, "why_no_window": self.why_no_window,
                "beyond_record": self.beyond_record,
                "rule_source": self.rule.source if self.rule else None}


def due(db: Database, as_at: date | None = None) -> list[Due]:
    """Every council existing on `as_at` (default today), most overdue first; those without a window last."""
    as_at = as_at or date.today()
    latest = db.latest(as_at, as_at)
    published = db.freshness().latest_published
    found = [replace(due_for(c, latest.get(c.gss_code), as_at), record_published=published)
             for c in db.councils(on=as_at)]
    return sorted(found, key=lambda d: (d.overdue_days is None, -(d.overdue_days or 0), d.council.name))


def due_for(council: Council, last: Inspection | None, as_at: date) -> Due:
    if last is None or last.end is None:
        return Due(council, last, None, None, None, as_at, "no inspection in the record")
    if last.kind in REVIEW_KINDS or last.overall is None:
        return Due(council, last, None, None, None, as_at,
                   f"its last inspection ({_framework_name(last.framework)}) gives no overall grade, and the "
                   "record holds no rule for what follows it")
    rule = NEXT_INSPECTION.get(last.overall.value)
    if rule is None or rule.earliest_months is None or rule.latest_months is None:
        return Due(council, last, rule, None, None, as_at, rule.source if rule else "no rule for this grade")
    return Due(council, last, rule, _add_months(last.end, rule.earliest_months),
               _add_months(last.end, rule.latest_months), as_at)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _framework_name(key: str) -> str:
    found = maybe_framework(key)
    return found.name if found else "a framework the registry does not know"
