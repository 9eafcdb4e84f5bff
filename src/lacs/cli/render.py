"""Tables for the terminal. Grades are always written in words; colour only adds to them.

The CLI prints these; they take the API's records and hold no queries of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lacs.cli.grid import Grid
from lacs.domain.frameworks import current_areas, maybe_framework, ordered_areas, short_title
from lacs.domain.grades import Grade, grade_words
from lacs.questions.changes import DIRECTIONS, Changes
from lacs.questions.compare import Comparison
from lacs.questions.history import CouncilHistory, Standing
from lacs.questions.snapshot import Snapshot
from lacs.questions.wording import day_words
from lacs.store.database import Disagreement, Inspection

if TYPE_CHECKING:
    from lacs.reports.extract import Record

GRADE_STYLES = {
    "outstanding": "bold green", "good": "green", "requires_improvement": "yellow",
    "adequate": "yellow", "inadequate": "bold red", "not_judged": "dim",
}


def grade_cell(grade: Grade | str | None, short: bool = False) -> str:
    """The grade in words, coloured (rich markup)."""
    if grade is None:
        return "-"
    value = Grade(grade).value
    words = "req. improvement" if short and value == "requires_improvement" else grade_words(value)
    return f"[{GRADE_STYLES[value]}]{words}[/]"


def area_title(area: str) -> str:
    """A short column title: the registry's, else the key in words ('lac_outcomes' -> 'lac outcomes')."""
    return short_title(area)


def records_table(records: list[Record]) -> Grid:
    """`lacs extract --table`: one row per report."""
    table = Grid()
    for name in ("council", "framework", "kind", "fieldwork", "published", "lead inspector"):
        table.add_column(name, no_wrap=name != "council", overflow="fold")
    areas = current_areas()
    for area in areas:
        table.add_column(area_title(area), no_wrap=True)
    for record in sorted(records, key=lambda r: (r.urn or 0, str(r.start or r.end or r.published or ""))):
        grades = record.to_json()["judgements"]
        table.add_row(
            record.council or "?", record.framework or "?", record.kind or "?",
            f"{record.start or '?'} to {record.end or '?'}", str(record.published or "-"),
            record.lead_inspector or "-",
            *(grade_cell(grades.get(area), short=True) for area in areas),
        )
    return table


def inspections_table(inspections: list[Inspection]) -> Grid:
    """One row per inspection with every area any of them judged; predecessors' rows marked."""
    areas = _areas_in(inspections)
    table = Grid()
    for name in ("fieldwork", "published", "framework"):
        table.add_column(name, no_wrap=True)
    for area in areas:
        table.add_column(area_title(area), no_wrap=True)
    table.add_column("lead inspector", overflow="fold")
    for i in inspections:
        framework = f"{i.framework} {i.kind}" if i.kind and i.kind != "standard" else i.framework
        if i.predecessor:
            framework = f"{framework} ({i.council}, predecessor)"
        if i.official:
            framework = f"{framework} (official statistics)"
        table.add_row(f"{i.start or '?'} to {i.end or '?'}", str(i.published or "-"), framework,
                      *(grade_cell(i.judgements.get(area), short=True) for area in areas), i.lead_inspector or "-")
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
    lines.extend(f"{note[0].upper()}{note[1:]}." for note in facts.notes)
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


def snapshot_table(snap: Snapshot) -> Grid:
    """One row per group (England first): councils, counts by grade, and the share good or better."""
    title = f"{snap.judgement.replace('_', ' ')} as at {snap.as_at}, reports published by {snap.published_by}"
    if snap.release:
        title += f" (the rule of Ofsted's release {snap.release.key}; regions: {snap.regions})"
    elif snap.cutoff_rule != "given":
        title += f" ({snap.cutoff_rule})"
    table = Grid(title=title)
    counts = snap.groups[0].counts
    shown = [g for g in counts if g in ("outstanding", "good", "requires_improvement", "inadequate", "none")
             or any(group.counts[g] for group in snap.groups)]
    table.add_column("group")
    table.add_column("councils", justify="right")
    for grade in shown:
        table.add_column(grade_cell(grade, short=True) if grade != "none" else "no grade", justify="right")
    table.add_column("good or better", justify="right")
    for group in snap.groups:
        percent = group.good_or_better_percent
        table.add_row(group.name, str(len(group.councils)), *(str(group.counts[g]) for g in shown),
                      f"{percent:.0f}% of {group.graded}" if percent is not None else "-")
    return table


def snapshot_notes(snap: Snapshot) -> list[str]:
    """Which councils have no grade and why: a missing report is said, never hidden."""
    notes = [f"{c.council.name}: {c.why_none}" for c in snap.councils if c.grade is None]
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


def disagreements_table(found: list[Disagreement]) -> Grid:
    """One row per value where a report and an official row differ, with both sources."""
    table = Grid(title="Where the reports and Ofsted's official tables differ (the report wins in the record)")
    for name in ("council", "inspection", "what", "report", "official", "official source"):
        table.add_column(name)
    for d in found:
        i = d.inspection
        when = f"{i.framework} {i.start or ''}–{i.end or ''}"
        table.add_row(i.council, when, d.field.replace("_", " "), f"{d.report_value or '-'} ({d.report_source})",
                      d.official_value or "-", d.official_source)
    return table


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
    """Counts by direction and by framework pair, then the transition matrix."""
    title = (f"{result.judgement.replace('_', ' ')}: {len(result.changes)} pairs of consecutive inspections, "
             f"the later ending {result.start or 'any time'} to {result.end}")
    summary = Grid(title=title)
    summary.add_column("frameworks")
    for direction in DIRECTIONS:
        summary.add_column(direction.replace("_", " "), justify="right")
    summary.add_row("all", *(str(n) for n in result.counts.values()))
    for pair, counts in result.by_frameworks.items():
        summary.add_row(pair, *(str(n) for n in counts.values()))
    grades = [g for g in ("outstanding", "good", "requires_improvement", "adequate", "inadequate", "not_judged", "none")
              if any(g in key for key in result.matrix)]
    matrix = Grid(title="from (rows) to (columns)")
    matrix.add_column("")
    for grade in grades:
        matrix.add_column(grade_cell(grade, short=True) if grade != "none" else "no grade", justify="right")
    for before in grades:
        matrix.add_row(grade_cell(before, short=True) if before != "none" else "no grade",
                       *(str(result.matrix.get((before, after), 0) or "·") for after in grades))
    return [summary, matrix]


def comparison_tables(comparison: Comparison) -> list[Grid]:
    """The latest grades of the council and its group, then the years before."""
    areas = comparison.areas
    title = f"{comparison.council.name} and its {_group_words(comparison)}, latest as at {comparison.as_at}"
    latest = Grid(title=title)
    for name in ("council", "inspected"):
        latest.add_column(name, no_wrap=True)
    for area in areas:
        latest.add_column(area_title(area), no_wrap=True)
    for m in comparison.members:
        name = f"[bold]{m.council.name}[/]" if m.is_subject else m.council.name
        i = m.inspection
        latest.add_row(name, str(i.end) if i else "not inspected",
                       *(grade_cell(i.judgements.get(a), short=True) if i else "-" for a in areas))
    years = Grid(title="over time (as at 31 March)")
    for name in ("as at", comparison.council.name, "group good or better", "England good or better"):
        years.add_column(name, justify="right" if "better" in name else "left", no_wrap=True)
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
