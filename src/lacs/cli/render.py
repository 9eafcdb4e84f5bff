"""Tables for the terminal. Grades are always written in words; colour only adds to them.

The CLI prints these; they take the API's records and hold no queries of their own.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text

from lacs.cli.grid import Forms, Grid
from lacs.domain.frameworks import (
    REVIEW_KINDS,
    Framework,
    current_areas,
    frameworks,
    maybe_framework,
    ordered_areas,
    report_types,
    short_title,
)
from lacs.domain.grades import Grade, grade_words
from lacs.domain.report_types import findings_area
from lacs.official.tables import GROUPS
from lacs.questions.changes import DIRECTIONS, Changes
from lacs.questions.compare import Comparison
from lacs.questions.due import Due
from lacs.questions.history import CouncilHistory, Standing
from lacs.questions.snapshot import Snapshot
from lacs.questions.wording import day_words, lower_first, ordinal
from lacs.store.database import Disagreement, Inspection

if TYPE_CHECKING:
    from lacs.domain.councils import Council
    from lacs.reports.extract import Record

GRADE_STYLES = {
    "outstanding": "bold green", "good": "green", "requires_improvement": "yellow",
    "adequate": "yellow", "inadequate": "bold red", "not_judged": "dim",
}
# Grades in a narrow table, each explained in the key line under it.
GRADE_ABBREVIATIONS = {"outstanding": "outst.", "requires_improvement": "RI", "adequate": "adeq.",
                       "inadequate": "inad.", "not_judged": "NJ"}
OFFICIAL_MARK = "(tables)"  # a row only Ofsted's official tables give, in a narrow table


def grade_cell(grade: Grade | str | None, short: bool = False) -> str:
    """The grade in words, coloured (rich markup)."""
    if grade is None:
        return "-"
    value = Grade(grade).value
    words = "req. improvement" if short and value == "requires_improvement" else grade_words(value)
    return f"[{GRADE_STYLES[value]}]{words}[/]"


def grade_forms(grade: Grade | str | None) -> Forms | str:
    """A table's grade cell: 'req. improvement', or in a narrow table 'RI', with its key."""
    if grade is None:
        return "-"
    value = Grade(grade).value
    short = GRADE_ABBREVIATIONS.get(value)
    if short is None:
        return grade_cell(value, short=True)
    return Forms((grade_cell(value, short=True), f"[{GRADE_STYLES[value]}]{short}[/]"),
                 (None, f"{short} = {grade_words(value)}"))


def grade_header(grade: str) -> Forms | str:
    """A column of counts of a grade: its name, abbreviated as its cells would be."""
    if grade == "none":
        return "no grade"
    forms = grade_forms(grade)
    return Forms(tuple(Text.from_markup(f).plain for f in forms.forms), forms.keys) if isinstance(
        forms, Forms) else Text.from_markup(forms).plain


def area_title(area: str) -> str:
    """A short column title: the registry's ('help & protection'); for an area of the findings
    tables before 2013, its section and name ('safeguarding: overall effectiveness')."""
    found = findings_area(area)
    if found is not None:
        section = next((name for _, t in report_types() for name, prefix in t.findings_sections
                        if area.startswith(prefix)), "")
        section = section.removeprefix("Services for ").removesuffix(" services").lower()
        return f"{section}: {found.title.lower()}" if section else found.title.lower()
    return short_title(area)


def framework_label(key: str | None) -> str:
    """A framework's name for a table cell, from the registry: its abbreviation ('SIF', 'ILACS'),
    an abbreviation and its first year ('ILACS 2026'), or 'before' its successor ('before SIF')."""
    found = maybe_framework(key)
    if found is None:
        return "framework not known"
    return _label(found)


def _label(framework: Framework) -> str:
    acronym = re.search(r"\(([A-Z]{2,})\)$", framework.name)
    if acronym:
        return acronym.group(1)
    first = framework.name.split()[0]
    if first.isupper() and framework.starts:
        return f"{first} {framework.starts.year}"
    later = [f for f in frameworks() if framework.ends and f.starts and f.starts > framework.ends]
    return f"before {_label(later[0])}" if later else framework.name


def kind_words(kind: str | None) -> str:
    """An inspection's kind in words ('re_inspection' -> 're-inspection'); '' for a standard one."""
    if not kind or kind == "standard":
        return ""
    words = kind.replace("_", " ")
    return re.sub(r"^re ", "re-", words).replace("lscb", "LSCB")


def inspection_forms(i: Inspection) -> Forms:
    """The framework cell of an inspection: 'SIF re-inspection', 'before SIF: looked after
    children, from Ofsted's tables'; in a narrow table the framework alone and marks."""
    label, kind = framework_label(i.framework), kind_words(i.kind)
    full, short, keys = label + (f" {kind}" if kind else ""), label, []
    if kind and i.kind in ("short", "re_inspection") or i.kind in REVIEW_KINDS:
        short += f" {kind}"
    if i.official:
        full += ", from Ofsted's tables"
        short += f" {OFFICIAL_MARK}"
        keys.append(f"{OFFICIAL_MARK} = from Ofsted's official tables, no report in the record")
    if i.predecessor:
        full += f" ({i.council}, predecessor)"
        short += f" ({i.council})"
        keys.append("(a council's name) = its predecessor's inspection")
    return Forms((full, short), (None, "; ".join(keys) or None))


def day_forms(day: date | None) -> Forms | str:
    """A date, in a narrow table its month: '2025-10-03', 'Oct 2025'."""
    return Forms((str(day), f"{day:%b %Y}")) if day else "-"


def fieldwork_forms(i: Inspection) -> Forms | str:
    """The fieldwork: '2014-06-25 to 2014-07-16', '25 Jun–16 Jul 2014', 'Jul 2014'; with no dates
    known (a row of Ofsted's tables), the year it was published."""
    start, end = i.start, i.end
    if start and end:
        compact = (f"{start.day} {start:%b}–{end.day} {end:%b %Y}" if start.year == end.year
                   else f"{start.day} {start:%b %Y}–{end.day} {end:%b %Y}")
        return Forms((f"{start} to {end}", compact, f"{end:%b %Y}"))
    if end or start:
        day = end or start
        return Forms((f"to {day}" if end else f"from {day}", f"{day:%b %Y}"))
    return str(i.published.year) if i.published else "dates not known"


def name_forms(name: str, other_names: tuple[str, ...] = ()) -> Forms | str:
    """A council's or region's name; in a narrow table 'and' written '&' ('Bath & North East Somerset'),
    or the initials it is known by, with a key ('BCP = Bournemouth, Christchurch and Poole')."""
    initials = next((n for n in other_names if n.isupper() and n.isalpha() and len(n) < len(name)), None)
    if initials:
        return Forms((name, initials), (None, f"{initials} = {name}"))
    short = name.replace(" and ", " & ")
    return Forms((name, short)) if short != name else name


def council_forms(council: Council) -> Forms | str:
    return name_forms(council.name, council.other_names)


def records_table(records: list[Record]) -> Grid:
    """`lacs extract --table`: one row per report, narrowed to fit as `lacs extract --help` says."""
    table = Grid()
    for name, drop, shorten, wrap in (("council", None, (2,), 7), ("framework", None, (), None),
                                      ("kind", 6, (), None), ("fieldwork", None, (4, 5), None),
                                      ("published", 3, (), None), ("lead inspector", 1, (), None)):
        table.add_column(name, drop=drop, shorten=shorten, wrap=wrap)
    areas = current_areas()
    for area in areas:
        table.add_column(area_title(area), shorten=(2,))
    for record in sorted(records, key=lambda r: (r.urn or 0, str(r.start or r.end or r.published or ""))):
        grades = record.to_json()["judgements"]
        start, end = record.start, record.end
        fieldwork = Forms((f"{start} to {end}", f"{end:%b %Y}")) if start and end else (
            str(start or end) if start or end else "dates not found")
        table.add_row(
            name_forms(record.council) if record.council else "council not found",
            framework_label(record.framework) if record.framework else "not recognised",
            kind_words(record.kind) or "standard", fieldwork, str(record.published or "-"),
            record.lead_inspector or "-",
            *(grade_forms(grades.get(area)) for area in areas),
        )
    return table


# The order in which a council's table is narrowed to fit (said in `lacs council --help`).
COUNCIL_FIT = ("the lead inspector is left out; then the framework is shortened and grades abbreviated (with "
               "a key); then the publication date is left out; then the fieldwork is shortened; then the "
               "areas judged only before 2013 are left out; then the fieldwork is given as its last month; "
               "then the areas no framework judges today are left out")


def inspections_table(inspections: list[Inspection]) -> Grid:
    """One row per inspection with every area any of them judged; predecessors' rows and those
    only Ofsted's tables give marked. Narrowed to fit as COUNCIL_FIT says."""
    areas = _areas_in(inspections)
    current = set(current_areas())
    table = Grid()
    table.add_column("fieldwork", shorten=(4, 6))
    table.add_column("published", drop=3)
    table.add_column("framework", shorten=(2,), wrap=8)
    for area in areas:
        table.add_column(area_title(area), shorten=(2,), spill=True,
                         drop=None if area in current else 5 if findings_area(area) else 7)
    table.add_column("lead inspector", drop=1)
    for i in inspections:
        table.add_row(fieldwork_forms(i), str(i.published or "-"), inspection_forms(i),
                      *(grade_forms(i.judgements.get(area)) for area in areas), i.lead_inspector or "-")
    if any(i.official and not (i.start or i.end) for i in inspections):
        table.notes.append("Ofsted's tables give no fieldwork dates for the rows they alone hold: the year shown "
                           "is the year of publication.")
    return table


def history_lines(history: CouncilHistory) -> list[str]:
    """The council's facts and standing, as sentences with rich markup."""
    c, facts = history.council, history.facts
    lines = []
    if facts.grade is not None:
        line = f"Latest overall effectiveness: {grade_cell(facts.grade)}"
        if facts.previous_grade is not None:
            change = "unchanged at" if facts.change == "same" else f"{facts.change} from"
            line += f" ({change} {grade_cell(facts.previous_grade)})"
        lines.append(line + ".")
    lines.extend(spoken(f"{note[0].upper()}{note[1:]}.") for note in facts.notes)
    lines.extend(facts.claims)  # first time, last inadequate, firsts beyond the council: the stories' sentences
    if facts.last_inadequate and facts.years_since_inadequate is not None:
        lines.append(f"As at {day_words(history.as_at)}, its last inadequate overall judgement "
                     f"({day_words(facts.last_inadequate)}) was {facts.years_since_inadequate:g} years ago.")
    if history.region:
        lines.append(f"{c.region}: {_standing_summary(history.region)}.")
    if history.neighbours:
        lines.append("Statistical neighbours: " + ", ".join(
            f"{s.council.name} {grade_cell(s.grade) if s.grade else _no_grade(s)}" for s in history.neighbours) + ".")
    return lines


def _standing_summary(standings: list[Standing]) -> str:
    counts: dict[str, int] = {}
    for s in standings:
        key = s.grade.value if s.grade else "none"
        counts[key] = counts.get(key, 0) + 1
    order = [g.value for g in Grade] + ["none"]
    parts = [f"{n} {grade_cell(k) if k != 'none' else 'no overall grade'}"
             for k in order if (n := counts.get(k))]
    return f"{len(standings)} councils: " + ", ".join(parts)


def _no_grade(standing: Standing) -> str:
    return "(no overall grade)" if standing.inspection else "(not inspected)"


def _areas_in(inspections: list[Inspection]) -> list[str]:
    return ordered_areas({area for i in inspections for area in i.judgements})


def region_forms(name: str) -> Forms | str:
    """A region's name; as a narrow table's column, its initials with a key ('YH: Yorkshire and the Humber')."""
    if name == "England":
        return name
    capitals = "".join(w[0] for w in re.split(r"[\s,]+", name) if w[:1].isupper())
    short = capitals if len(capitals) > 1 else name[:3]
    return Forms((name, short), (None, f"{short} = {name}"))


SNAPSHOT_FIT = ("the grades are abbreviated (with a key), then the groups' names shortened, then the share "
                "good or better given without its base")


def snapshot_table(snap: Snapshot) -> Grid:
    """One row per group (England first): councils, counts by grade, and the share good or better.
    Narrowed to fit as SNAPSHOT_FIT says."""
    title = f"{snap.judgement.replace('_', ' ')} as at {snap.as_at}, reports published by {snap.published_by}"
    if snap.release:
        title += f" (the rule of Ofsted's release {snap.release.key}; regions: {snap.regions})"
    elif snap.cutoff_rule != "given":
        title += f" ({snap.cutoff_rule})"
    table = Grid(title=title)
    counts = snap.groups[0].counts
    shown = [g for g in counts if g in ("outstanding", "good", "requires_improvement", "inadequate", "none")
             or any(group.counts[g] for group in snap.groups)]
    table.add_column("group", shorten=(2,), wrap=4)
    table.add_column("councils", justify="right")
    for grade in shown:
        table.add_column(grade_header(grade), justify="right", shorten=(1,))
    table.add_column("good or better", justify="right", shorten=(3,))
    for group in snap.groups:
        percent = group.good_or_better_percent
        table.add_row(name_forms(group.name), str(len(group.councils)), *(str(group.counts[g]) for g in shown),
                      Forms((f"{percent:.0f}% of {group.graded}", f"{percent:.0f}%"),
                            (None, "good or better = % of the councils graded")) if percent is not None else "-")
    return table


def snapshot_notes(snap: Snapshot) -> list[str]:
    """Which councils have no grade and why: a missing report is said, never hidden."""
    notes = [f"{c.council.name}: {_why_none(c.inspection, snap.judgement) if c.inspection else c.why_none}"
             for c in snap.councils if c.grade is None]
    if snap.cutoff_release:
        notes += [f"{c.council.name}: {e.note}" for c in snap.councils
                  if (e := snap.cutoff_release.exception_for(c.council.gss_code))]
    official = [c for c in snap.councils if c.inspection and c.inspection.official]
    if official:
        notes.append("From Ofsted's official statistics (no report in the record): "
                     + ", ".join(c.council.name for c in official))
    placed = [c.inspection for c in snap.councils if c.inspection and c.inspection.placed_by_rule and c.grade]
    if placed:
        notes.append("Counted with no end of fieldwork known, so placed by rule on the earliest as-at date whose "
                     "default cut-off its publication meets (or its start, if later): "
                     + ", ".join(f"{i.council} (published {i.published}, placed {i.placed_on})" for i in placed))
    return notes


def _why_none(i: Inspection, area: str) -> str:
    return (f"its latest inspection ({framework_label(i.framework)}, {i.end or i.published}) gives no "
            f"{area.replace('_', ' ')} grade")


def spoken(text: str) -> str:
    """A sentence of the questions layer with any framework key in it said by its name ('(ILACS 2026,')."""
    for framework in sorted(frameworks(), key=lambda f: -len(f.key)):
        text = re.sub(rf"(?<![\w-]){re.escape(framework.key)}(?![\w-])", _label(framework), text)
    return text


def disagreements_table(found: list[Disagreement]) -> Grid:
    """One row per value where a report and an official row differ, with both sources. To fit, the
    grades are abbreviated (with a key) and the inspection given by its framework and month; then
    the council, the area, the values and their sources wrap at spaces; then the inspection."""
    table = Grid(title="Where the reports and Ofsted's official tables differ (the report wins in the record)")
    for name, shorten, wrap in (("council", (), 2), ("inspection", (1,), 3), ("what", (), 2),
                                ("report", (1,), 2), ("official", (1,), None), ("official source", (), 2)):
        table.add_column(name, shorten=shorten, wrap=wrap)
    for d in found:
        i = d.inspection
        label = framework_label(i.framework)
        when = Forms((f"{label} {i.start}–{i.end}", f"{label} {i.end:%b %Y}")) if i.start and i.end else (
            f"{label} {i.start or i.end or 'dates not known'}")
        report = _value_forms(d.report_value)
        what = {"start": "start of fieldwork", "published": "published"}.get(d.field) or area_title(d.field)
        table.add_row(i.council, when, what,
                      Forms(tuple(f"{f} ({spoken(d.report_source)})" for f in report.forms), report.keys),
                      _value_forms(d.official_value), source_words(d.official_source))
    return table


def source_words(source: str) -> str:
    """An official row's source with the column group it came from in words: 'row 124 (the
    columns of the second ILACS inspection)' for the store's 'row 124 (ilacs_2)'."""
    found = re.search(r" \((\w+)\)$", source)
    group = GROUPS.get(found.group(1)) if found else None
    if found is None or group is None:
        return spoken(source)
    number = re.search(r"_(\d)$", found.group(1))
    what = group.title or " ".join(w for w in (ordinal(int(number.group(1))) if number else "",
                                              framework_label(group.framework) if group.framework else "",
                                              kind_words(group.kind), "inspection") if w)
    return f"{source[:found.start()]} (the columns of the {lower_first(what)})"


def _value_forms(value: str | None) -> Forms:
    """A value of a disagreement: a grade as in the tables (abbreviated to fit), a date as it is."""
    if value in {g.value for g in Grade}:
        forms = grade_forms(value)
        if isinstance(forms, Forms):
            return forms
        return Forms((forms,))
    return Forms((value or "-",))


def _value(value: str | None) -> str:
    if value is None:
        return "-"
    return grade_words(value) if value in {g.value for g in Grade} else value


def framework_name(key: str | None) -> str:
    found = maybe_framework(key)
    return found.name if found else "framework not known"


def filing_notes(found: list[Disagreement]) -> list[str]:
    """Grades a table files under another inspection than the one whose record holds them."""
    return [f"{d.inspection.council}: Ofsted's table ({d.official_source}) files the {short_title(d.field)} "
            f"grade ({grade_words(d.official_value)}) under the inspection of {d.inspection.start or '(date unknown)'} "
            f"({framework_name(d.inspection.framework)}); lacs holds the same grade on the record of "
            f"{d.report_source.split(';')[0]}. Not a disagreement."
            for d in found]


def changes_tables(result: Changes) -> list[Grid]:
    """Counts by direction and by framework pair, then the transition matrix (its grades
    abbreviated, with a key, to fit)."""
    title = (f"{_judgement_words(result.judgement)}: {len(result.changes)} pairs of consecutive inspections, "
             f"the later ending {result.start or 'any time'} to {result.end}")
    summary = Grid(title=title)
    summary.add_column("frameworks")
    for direction in DIRECTIONS:
        summary.add_column(direction.replace("_", " "), justify="right")
    summary.add_row("all", *(str(n) for n in result.counts.values()))
    for pair, counts in result.by_frameworks.items():
        summary.add_row(" to ".join(framework_label(k) for k in pair.split(" to ")), *(str(n) for n in counts.values()))
    grades = [g for g in ("outstanding", "good", "requires_improvement", "adequate", "inadequate", "not_judged", "none")
              if any(g in key for key in result.matrix)]
    matrix = Grid(title="from (rows) to (columns)")
    matrix.add_column("")
    for grade in grades:
        matrix.add_column(grade_header(grade), justify="right", shorten=(1,))
    for before in grades:
        matrix.add_row(grade_cell(before, short=True) if before != "none" else "no grade",
                       *(str(result.matrix.get((before, after), 0) or "·") for after in grades))
    return [summary, matrix]


def _judgement_words(area: str) -> str:
    return area.replace("_", " ")


COMPARE_FIT = ("the grades are abbreviated (with a key) and the councils' names shortened, then the date of "
               "inspection given as its month, then left out")


def comparison_tables(comparison: Comparison) -> list[Grid]:
    """The latest grades of the council and its group, then the years before. Narrowed to fit as
    COMPARE_FIT says."""
    areas = comparison.areas
    title = f"{comparison.council.name} and its {_group_words(comparison)}, latest as at {comparison.as_at}"
    latest = Grid(title=title)
    latest.add_column("council", shorten=(1,))
    latest.add_column("inspected", shorten=(2,), drop=3)
    for area in areas:
        latest.add_column(area_title(area), shorten=(1,))
    for m in comparison.members:
        name = council_forms(m.council)
        if m.is_subject:
            name = Forms(tuple(f"[bold]{f}[/]" for f in name.forms)) if isinstance(name, Forms) else f"[bold]{name}[/]"
        i = m.inspection
        latest.add_row(name, day_forms(i.end) if i else "not inspected",
                       *(grade_forms(i.judgements.get(a)) if i else "-" for a in areas))
    years = Grid(title="over time (as at 31 March)")
    for name in ("as at", comparison.council.name, "group good or better", "England good or better"):
        years.add_column(name, justify="right" if "better" in name else "left")
    for p in comparison.over_time:
        years.add_row(str(p.day), grade_cell(p.grade), _percent(p.group_percent, p.group_graded),
                      _percent(p.england_percent, p.england_graded))
    return [latest, years]


def _group_words(comparison: Comparison) -> str:
    c = comparison.council
    return {"neighbours": "statistical neighbours", "region": f"region ({c.region})",
            "type": f"council type ({c.council_type})"}[comparison.with_]


def _percent(value: float | None, of: int) -> str:
    """'45% of 11': the base shown, since early years have few councils graded."""
    return f"{value:.0f}% of {of}" if value is not None else "-"


BEYOND_MARK = "*"


def due_table(rows: list[Due], as_at: date) -> Grid:
    """`lacs next`: a row per council, those whose window closed after the record's latest report
    marked; narrowed to fit as `lacs next --help` says."""
    grid = Grid(title=f"Next inspections as at {as_at}")
    grid.add_column("council", shorten=(2,))
    grid.add_column("last inspected", drop=7)
    grid.add_column("grade", shorten=(2,))
    grid.add_column("next", shorten=(1,), drop=5)
    grid.add_column("window", shorten=(3, 6))
    grid.add_column("status", shorten=(4,))
    for d in rows:
        kind = d.rule.kind if d.rule else "-"
        grid.add_row(council_forms(d.council), str(d.last.end) if d.last and d.last.end else "-",
                     grade_forms(d.last.overall if d.last else None), Forms((kind, kind.split()[0])),
                     _window_forms(d), _status_forms(d))
    published = rows[0].record_published if rows else None
    if any(_marked(d) for d in rows):
        grid.notes.append(f"{BEYOND_MARK} its window closed after the latest report in the record was published "
                          f"({published}): Ofsted may have inspected it since, unknown to the record.")
    return grid


def due_sentence(rows: list[Due], published: date | None) -> str | None:
    """The sentence above `lacs next`'s table when some councils may only look overdue."""
    overdue = [d for d in rows if d.overdue_days is not None and d.overdue_days > 0]
    marked = [d for d in overdue if _marked(d)]
    if not marked:
        return None
    return (f"The record holds reports published up to {published}: {len(marked)} of the {len(overdue)} councils "
            f"that look overdue (marked {BEYOND_MARK}) had windows closing after that, so they may only look "
            "overdue because the record is older than their window.")


def _marked(d: Due) -> bool:
    return d.beyond_record and d.overdue_days is not None and d.overdue_days > 0


def _window_forms(d: Due) -> Forms | str:
    if not d.earliest or not d.latest:
        return "-"
    return Forms((f"{d.earliest} to {d.latest}", f"{d.earliest:%b %Y} to {d.latest:%b %Y}", f"by {d.latest:%b %Y}"))


def _status_forms(d: Due) -> Forms:
    mark = f" {BEYOND_MARK}" if _marked(d) else ""
    if d.overdue_days is not None and d.overdue_days > 0:
        short = f"{d.overdue_days} days late"
    elif d.earliest and d.as_at < d.earliest:
        short = "not yet due"
    else:
        short = d.status
    return Forms((d.status + mark, short + mark))
