"""Many reports at once: finding report files under folders, and summarising a run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lacs.errors import ReportError

if TYPE_CHECKING:
    from lacs.reports.extract import Record


def find_reports(paths: Iterable[Path | str]) -> list[Path]:
    """Every .pdf file named, or under a folder named, in a stable order.

    Raises FileNotFoundError naming the first path that does not exist.
    """
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf"))
        elif path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return found


@dataclass
class Summary:
    """What a run over many files found: counts by framework, missing fields and why, problems."""

    reports: int = 0
    by_framework: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    missing: Counter[tuple[str, str]] = field(default_factory=Counter)
    problems: Counter[str] = field(default_factory=Counter)
    warnings: int = 0

    def add(self, result: Record | ReportError) -> None:
        if isinstance(result, ReportError):
            self.problems[result.kind] += 1
            return
        self.reports += 1
        self.by_framework[result.framework or "unknown"] += 1
        self.by_kind[f"{result.framework}/{result.kind}"] += 1
        self.warnings += len(result.warnings)
        for name, reason in result.missing.items():
            self.missing[(name, reason)] += 1

    def lines(self) -> list[str]:
        """The summary as plain lines of text."""
        out = [f"{self.reports} reports read, {sum(self.problems.values())} files failed"]
        out += [f"  {fw}: {n}" for fw, n in sorted(self.by_framework.items())]
        out.append("kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(self.by_kind.items())))
        if self.problems:
            out.append("problems: " + ", ".join(f"{k} {n}" for k, n in sorted(self.problems.items())))
        if self.missing:
            out.append("fields missing, and why:")
            out += [f"  {n:4d}  {name}: {reason}" for (name, reason), n in self.missing.most_common()]
        if self.warnings:
            out.append(f"warnings: {self.warnings} (see each record's 'warnings')")
        return out
