"""Ofsted's official releases as data: each one's rule for counting councils.

    RELEASES["2024"].as_at             # 2024-03-31
    release("2019-08").published_by    # 2019-09-30
    region_of(council, "ofsted")       # 'North East, Yorkshire and the Humber'

A release counts each council's most recent inspection whose fieldwork ended by its as-at
date and whose report was published by its cut-off, among the frameworks it reports on;
the councils with no such inspection are not in its denominator. Its exceptions are the
councils its notes say it counted otherwise. Releases from 2022 state their dates on the
cover sheet of their underlying data (`tests/test_releases.py` checks these entries
against the spreadsheets when they are at hand); earlier ones, in their main findings.
Adding a release is adding an entry here.

The default cut-off of a snapshot comes from these entries too (`cutoff_for`): a release's
own as-at date gets that release's cut-off; any other date gets the rule of the newest
release of that year or before whose cut-off follows a rule (CUTOFF_RULES: the end of the
following month until 2023, three months after the as-at date from 2024). A release whose
cut-off follows neither (the provisional June 2015 data, autumn 2017's 8 December) sets no
rule, nor does one whose cut-off is not seen (2026: assumed to follow the rule in force).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from lacs.domain.councils import Council
from lacs.domain.frameworks import SIF, frameworks_in_force
from lacs.errors import UnknownRelease

ONS, OFSTED = "ons", "ofsted"
REGION_GROUPINGS = (ONS, OFSTED)
# From 2023 Ofsted reports the North East with Yorkshire and the Humber, as one of its regions.
OFSTED_REGIONS = {
    "North East": "North East, Yorkshire and the Humber",
    "Yorkshire and the Humber": "North East, Yorkshire and the Humber",
}


@dataclass(frozen=True)
class Exception_:
    """A council a release counted against its own rule, and the note that says so."""

    gss_code: str
    counted_late: bool  # counted though its report came after the cut-off (by the release's own date)
    note: str


@dataclass(frozen=True)
class ReleaseRule:
    key: str
    title: str
    as_at: date
    published_by: date
    published_on: date | None  # the release's own date, where known
    frameworks: frozenset[str]  # the frameworks whose inspections it counts
    regions: str  # ONS or OFSTED
    source: str  # where the rule is stated
    exceptions: tuple[Exception_, ...] = ()
    national: str = ""  # the headline figure it published, in its words
    cutoff_seen: bool = True  # False: its cut-off is not seen, only assumed (the rule in force)

    @property
    def rule(self) -> str | None:
        """The rule its cut-off follows (a key of CUTOFF_RULES); None for a cut-off of its own, or
        one not seen."""
        if not self.cutoff_seen:
            return None
        return next((name for name, rule in CUTOFF_RULES.items() if rule(self.as_at) == self.published_by), None)

    def exception_for(self, gss_code: str) -> Exception_ | None:
        return next((e for e in self.exceptions if e.gss_code == gss_code), None)


def _counted(as_at: date) -> frozenset[str]:
    """The frameworks a release reports on: those in force from the single inspection framework's
    start to its as-at date (inspections 'from November 2013')."""
    return frameworks_in_force(SIF.starts or date.min, as_at)


def end_of_next_month(as_at: date) -> date:
    """The last day of the month after the as-at date's (31 March -> 30 April)."""
    year, month = (as_at.year + 1, 1) if as_at.month == 12 else (as_at.year, as_at.month + 1)
    return date(year, month, calendar.monthrange(year, month)[1])


def three_months_after(as_at: date) -> date:
    """Three months after the as-at date, on the same day or the month's last (31 March -> 30 June)."""
    month = as_at.month + 3
    year, month = as_at.year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, min(as_at.day, calendar.monthrange(year, month)[1]))


# The rules Ofsted's releases set their cut-offs by, in its words; which release follows which
# is read from the releases' own dates (ReleaseRule.rule).
CUTOFF_RULES: dict[str, Callable[[date], date]] = {
    "the end of the following month": end_of_next_month,
    "three months after the as-at date": three_months_after,
}

_GOV_UK = "https://www.gov.uk/government/statistics/"
_COVER = "cover sheet of its underlying data: "

RELEASES: dict[str, ReleaseRule] = {r.key: r for r in (
    ReleaseRule(
        "2015-06", "Children's social care inspections: July 2015 data (provisional)", date(2015, 6, 30),
        date(2015, 6, 30), None, _counted(date(2015, 6, 30)), ONS,
        "its notes: 'inspections of local authority children's services, cover those inspections published by "
        "30 June 2015, and are provisional'"),
    ReleaseRule(
        "2016-09", "Children's social care inspections and outcomes: key findings, December 2016",
        date(2016, 9, 30), date(2016, 10, 31), None, _counted(date(2016, 9, 30)), ONS,
        "its key findings: 'from 01 November 2013 to 30 September 2016, published by 31 October 2016'"),
    ReleaseRule(
        "2017", "Children's social care data in England 2017", date(2017, 3, 31), date(2017, 4, 30),
        date(2017, 8, 31), _counted(date(2017, 3, 31)), ONS,
        _GOV_UK + "childrens-social-care-data-in-england-2017 (main findings: 'inspections from November 2013, "
                  "covering all inspections published by 30 April 2017')",
        national="37 of 127 inspected councils good or outstanding"),
    ReleaseRule(
        "2017-10", "Local authority and children's homes in England inspections and outcomes: autumn 2017",
        date(2017, 10, 31), date(2017, 12, 8), None, _counted(date(2017, 10, 31)), ONS,
        "its main findings: 'from 1 November 2013 to 31 October 2017, published by 8 December 2017 (Final data)'"),
    ReleaseRule(
        "2018", "Children's social care data in England 2017 to 2018", date(2018, 3, 31), date(2018, 4, 30),
        None, _counted(date(2018, 3, 31)), ONS,
        "its main findings: 'from 1 November 2013, covering all inspections published by 30 April 2018'"),
    ReleaseRule(
        "2018-09", "Local authority and children's homes in England inspections and outcomes: autumn 2018",
        date(2018, 9, 30), date(2018, 10, 31), None, _counted(date(2018, 9, 30)), ONS,
        "its main findings: 'as at 30 September 2018 and published by 31 October 2018 (provisional data)'"),
    ReleaseRule(
        "2019", "Children's social care data in England 2019", date(2019, 3, 31), date(2019, 4, 30),
        None, _counted(date(2019, 3, 31)), ONS,
        _GOV_UK + "childrens-social-care-data-in-england-2019 (main findings: 'as at 31 March 2019, "
                  "and published by 30 April 2019')",
        national="46% good or outstanding"),
    ReleaseRule(
        "2019-08", "Local authority and children's homes in England inspections and outcomes: autumn 2019",
        date(2019, 8, 31), date(2019, 9, 30), None, _counted(date(2019, 8, 31)), ONS,
        _GOV_UK + "local-authority-and-childrens-homes-in-england-inspections-and-outcomes-autumn-2019 "
                  "(main findings: 'as at 31 August 2019 and published by 30 September 2019')",
        national="49% good or outstanding"),
    ReleaseRule(
        "2020", "Children's social care data in England 2020", date(2020, 3, 31), date(2020, 4, 30),
        None, _counted(date(2020, 3, 31)), ONS,
        "its main findings: 'from 1 November 2013 covering all inspections published by 30 April 2020'"),
    ReleaseRule(
        "2021", "Children's social care data in England 2021", date(2021, 3, 31), date(2021, 4, 30),
        None, _counted(date(2021, 3, 31)), ONS,
        "its main findings: 'from 1 November 2013 covering all inspections published by 30 April 2021'"),
    ReleaseRule(
        "2022", "Children's social care data in England 2022", date(2022, 3, 31), date(2022, 4, 30),
        date(2022, 7, 7), _counted(date(2022, 3, 31)), ONS,
        "cover sheet of its underlying data: 'as at 31 March 2022, published by 30 April 2022'",
        national="53% good or outstanding"),
    ReleaseRule(
        "2023", "Children's social care data in England 2023", date(2023, 3, 31), date(2023, 4, 30),
        date(2023, 7, 6), _counted(date(2023, 3, 31)), OFSTED,
        "cover sheet of its underlying data: 'As at 31 March 2023, published by 30 April 2023'",
        exceptions=(Exception_(
            "E08000023", True,
            "note 4: South Tyneside was inspected in 2022 to 2023 but its report was not published by the "
            "usual deadline; it is included so that every council has a full ILACS inspection"),)),
    ReleaseRule(
        "2024", "Local authority inspection outcomes as at 31 March 2024", date(2024, 3, 31), date(2024, 6, 30),
        date(2024, 8, 30), _counted(date(2024, 3, 31)), OFSTED,
        "cover sheet of its underlying data: 'Inspections as at 31 March 2024, with a report published by "
        "30 June 2024'",
        national="60% good or outstanding"),
    ReleaseRule(
        "2025", "Local authority inspection outcomes as at 31 March 2025", date(2025, 3, 31), date(2025, 6, 30),
        date(2025, 9, 25), _counted(date(2025, 3, 31)), OFSTED,
        "cover sheet of its underlying data: 'Inspections as at 31 March 2025, with a report published by "
        "30 June 2025'"),
    # The 2026 release exists (local_authority_inspection_outcomes_as_at_31_march_2026_underlying_data.ods),
    # but its cover sheet is not at hand: its cut-off is assumed to be the rule in force (three months on).
    ReleaseRule(
        "2026", "Local authority inspection outcomes as at 31 March 2026", date(2026, 3, 31), date(2026, 6, 30),
        None, _counted(date(2026, 3, 31)), OFSTED,
        "not seen: the release exists, but its cut-off here is assumed (three months after the as-at date, "
        "the rule since 2024)", cutoff_seen=False),
)}


_LONGEST_CUTOFF_DAYS = 93  # no rule's cut-off is further than this after its as-at date


def release(key: str) -> ReleaseRule:
    """The rule of the release named by its year ('2024'), or year and month ('2019-08')."""
    found = RELEASES.get(key.strip())
    if found is None:
        raise UnknownRelease("release", key, list(RELEASES))
    return found


def release_on(as_at: date) -> ReleaseRule | None:
    """The release whose as-at date is that day, if any (the first listed, were there two)."""
    return _by_as_at().get(as_at)


@cache
def _by_as_at() -> dict[date, ReleaseRule]:
    found: dict[date, ReleaseRule] = {}
    for r in RELEASES.values():
        found.setdefault(r.as_at, r)
    return found


def rule_in_force(as_at: date) -> tuple[str, ReleaseRule]:
    """The cut-off rule for an as-at date that is no release's: that of the newest release of that
    year or before whose cut-off follows a rule (before the first, the first's); with that release."""
    return _rule_of_year(as_at.year)


@cache
def _rule_of_year(year: int) -> tuple[str, ReleaseRule]:
    ruled = sorted((r for r in RELEASES.values() if r.rule), key=lambda r: r.as_at)
    before = [r for r in ruled if r.as_at.year <= year]
    found = before[-1] if before else ruled[0]
    return found.rule or "", found


@cache  # earliest_as_at asks it of every day of a window before each publication
def cutoff_for(as_at: date) -> date:
    """The default publication cut-off for an as-at date: a release's as-at date gets that
    release's cut-off, any other date the rule in force then (rule_in_force)."""
    own = release_on(as_at)
    return own.published_by if own is not None else _rule_cutoff(as_at)


def cutoff_reason(as_at: date) -> str:
    """Why `cutoff_for` gives the cut-off it does, in words."""
    own = release_on(as_at)
    if own is not None:
        seen = "" if own.cutoff_seen else " (assumed: its cut-off is not seen)"
        return f"the cut-off of Ofsted's release {own.key}{seen}"
    name, found = rule_in_force(as_at)
    return f"Ofsted's rule in force then ({name}, as in release {found.key})"


@cache
def earliest_as_at(published: date) -> date:
    """The earliest as-at date whose default cut-off a report published that day meets: where an
    inspection with no known end of fieldwork is placed (its fieldwork ended before it was published,
    and a snapshot counts it from there on). 27 April 2016 -> 1 March 2016 (cut-off 30 April)."""
    first = published - timedelta(days=_LONGEST_CUTOFF_DAYS)
    # The rules' cut-offs never fall as the as-at date rises, so the first day a rule meets the
    # publication is found by halving; a release's own as-at date (whose cut-off is its own) is
    # the only day that can break that order, so those in the window are looked at one by one.
    low, high = 0, _LONGEST_CUTOFF_DAYS
    while low < high:
        middle = (low + high) // 2
        if _rule_cutoff(first + timedelta(days=middle)) >= published:
            high = middle
        else:
            low = middle + 1
    day = first + timedelta(days=low)
    while cutoff_for(day) < published:  # a release's own, earlier cut-off on that very day
        day += timedelta(days=1)
    releases = [r.as_at for r in RELEASES.values() if first <= r.as_at < day and r.published_by >= published]
    return min([day, *releases])


def _rule_cutoff(as_at: date) -> date:
    """The cut-off the rule in force gives an as-at date, a release's own or not."""
    name, _ = rule_in_force(as_at)
    return CUTOFF_RULES[name](as_at)


def region_of(council: Council, grouping: str = ONS) -> str:
    """The council's region as the grouping names it (ONS's nine, or Ofsted's eight)."""
    region = council.region or ""
    return OFSTED_REGIONS.get(region, region) if grouping == OFSTED else region
