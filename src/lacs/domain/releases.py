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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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

    def exception_for(self, gss_code: str) -> Exception_ | None:
        return next((e for e in self.exceptions if e.gss_code == gss_code), None)


def _counted(as_at: date) -> frozenset[str]:
    """The frameworks a release reports on: those in force from the single inspection framework's
    start to its as-at date (inspections 'from November 2013')."""
    return frameworks_in_force(SIF.starts or date.min, as_at)


_GOV_UK = "https://www.gov.uk/government/statistics/"

RELEASES: dict[str, ReleaseRule] = {r.key: r for r in (
    ReleaseRule(
        "2017", "Children's social care data in England 2017", date(2017, 3, 31), date(2017, 4, 30),
        date(2017, 8, 31), _counted(date(2017, 3, 31)), ONS,
        _GOV_UK + "childrens-social-care-data-in-england-2017 (main findings: 'inspections from November 2013, "
                  "covering all inspections published by 30 April 2017')",
        national="37 of 127 inspected councils good or outstanding"),
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
)}


def release(key: str) -> ReleaseRule:
    """The rule of the release named by its year ('2024'), or year and month ('2019-08')."""
    found = RELEASES.get(key.strip())
    if found is None:
        raise UnknownRelease("release", key, list(RELEASES))
    return found


def region_of(council: Council, grouping: str = ONS) -> str:
    """The council's region as the grouping names it (ONS's nine, or Ofsted's eight)."""
    region = council.region or ""
    return OFSTED_REGIONS.get(region, region) if grouping == OFSTED else region
