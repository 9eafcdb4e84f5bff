"""Rich tables for the terminal. Grades are always written in words; colour only adds to them.

The CLI prints these; they take the API's records and hold no queries of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.table import Table

from .database import Inspection
from .grades import Grade
from .history import CouncilHistory, Standing

if TYPE_CHECKING:
    from .extract import Record

GRADE_STYLES = {
    "outstanding": "bold green", "good": "green", "requires_improvement": "yellow",
    "adequate": "yellow", "inadequate": "bold red", "not_judged": "dim",
}

# Column titles for the areas, in the order the columns go.
AREA_TITLES = {
    "overall_effectiveness": "overall",
    "leadership": "leaders",
    "help_and_protection": "help & protection",
    "children_in_care": "in care",
    "care_leavers": "care leavers",
    "adoption": "adoption",
    "lscb": "LSCB",
}
RECORD_AREAS = ("overall_effectiveness", "help_and_protection", "children_in_care", "care_leavers", "leadership")


def grade_words(grade: Grade | str | None) -> str:
    """'requires_improvement' -> 'requires improvement'; None -> '-'."""
    if grade is None:
        return "-"
    return Grade(grade).value.replace("_", " ")


def grade_cell(grade: Grade | str | None, short: bool = False) -> str:
    """The grade in words, coloured (rich markup)."""
    if grade is None:
        return "-"
    value = Grade(grade).value
    words = "req. improvement" if short and value == "requires_improvement" else grade_words(value)
    return f"[{GRADE_STYLES[value]}]{words}[/]"


def area_title(area: str) -> str:
    """A short column title: the table's own, else the key in words ('lac_outcomes' -> 'lac outcomes')."""
    return AREA_TITLES.get(area, area.replace("_", " "))


def records_table(records: list[Record]) -> Table:
    """`lacs extract --table`: one row per report."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for name in ("council", "framework", "kind", "fieldwork", "published", "lead inspector"):
        table.add_column(name, no_wrap=name != "council", overflow="fold")
    for area in RECORD_AREAS:
        table.add_column(area_title(area), no_wrap=True)
    for record in sorted(records, key=lambda r: (r.urn or 0, str(r.start or r.end or r.published or ""))):
        grades = record.to_json()["judgements"]
        table.add_row(
            record.council or "?", record.framework or "?", record.kind or "?",
            f"{record.start or '?'} to {record.end or '?'}", str(record.published or "-"),
            record.lead_inspector or "-",
            *(grade_cell(grades.get(area), short=True) for area in RECORD_AREAS),
        )
    return table


def inspections_table(inspections: list[Inspection]) -> Table:
    """One row per inspection with every area any of them judged; predecessors' rows marked."""
    areas = _areas_in(inspections)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for name in ("fieldwork", "published", "framework"):
        table.add_column(name, no_wrap=True)
    for area in areas:
        table.add_column(area_title(area), no_wrap=True)
    table.add_column("lead inspector", overflow="fold")
    for i in inspections:
        framework = f"{i.framework} {i.kind}" if i.kind and i.kind != "standard" else i.framework
        if i.predecessor:
            framework = f"{framework} ({i.council}, predecessor)"
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
            line += f" ({facts.change} from {grade_cell(facts.previous_grade)})"
        if facts.first_time_at_grade:
            line += f"; the first time this council has been judged {grade_words(facts.grade)}"
        lines.append(line + ".")
    lines.extend(f"{note[0].upper()}{note[1:]}." for note in facts.notes)
    if facts.last_inadequate:
        lines.append(f"Last judged inadequate: fieldwork ending {facts.last_inadequate}, "
                     f"{facts.years_since_inadequate} years before {history.as_at}.")
    elif facts.grade is not None:
        lines.append("Never judged inadequate overall in the record.")
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
    found = {area for i in inspections for area in i.judgements}
    known = [a for a in AREA_TITLES if a in found]
    return known + sorted(found - set(known))
