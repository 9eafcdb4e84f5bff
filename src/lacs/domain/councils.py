"""The register of councils: England's 153 councils with children's services duties and
the former councils whose inspections are in the record.

The register is lacs's own file, `data/councils.csv`, derived by
`scripts/make_register.py` from public reference data (see that script for sources).
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from lacs.domain import DATA_FOLDER
from lacs.errors import AmbiguousCouncil, UnknownCouncil


@dataclass(frozen=True)
class Council:
    urn: int | None
    dfe_code: str
    gss_code: str
    name: str
    official_name: str
    other_names: tuple[str, ...]
    region: str
    council_type: str
    population_0_25: int | None
    neighbours: tuple[str, ...]  # DfE codes of the ten statistical neighbours
    start: str
    end: str
    successors: tuple[str, ...]  # DfE codes
    lat: float | None
    lon: float | None

    @property
    def is_current(self) -> bool:
        return not self.end

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.official_name, *self.other_names)


@lru_cache(maxsize=1)
def load_councils() -> tuple[Council, ...]:
    """Every council in the register, current and former."""
    text = (DATA_FOLDER / "councils.csv").read_text(encoding="utf-8")
    return tuple(_council(row) for row in csv.DictReader(text.splitlines()))


def _council(row: dict[str, str]) -> Council:
    return Council(
        urn=int(row["urn"]) if row["urn"] else None,
        dfe_code=row["dfe_code"],
        gss_code=row["gss_code"],
        name=row["name"],
        official_name=row["official_name"],
        other_names=tuple(n for n in row["other_names"].split("|") if n),
        region=row["region"],
        council_type=row["council_type"],
        population_0_25=int(row["population_0_25"]) if row["population_0_25"] else None,
        neighbours=tuple(row["neighbours"].split()),
        start=row["start"],
        end=row["end"],
        successors=tuple(row["successors"].split()),
        lat=float(row["lat"]) if row["lat"] else None,
        lon=float(row["lon"]) if row["lon"] else None,
    )


def council_by_urn(urn: int) -> Council | None:
    return next((c for c in load_councils() if c.urn == urn), None)


def council_by_dfe_code(code: str) -> Council | None:
    return next((c for c in load_councils() if c.dfe_code == code), None)


# Words that say what kind of body a council is, not which one.
_FILLER = re.compile(
    r"\b(?:the|london|royal|borough|of|council|city|county|metropolitan|district|"
    r"corporation|ua|local|authority|children’s|childrens|services|and)\b"
)


def name_key(name: str) -> str:
    """A comparable form of a council name: 'London Borough of Barking and Dagenham' -> 'barking dagenham'."""
    text = name.lower().replace("'", "’").replace("&", " and ").replace("-", " ")
    text = re.sub(r"[^\w’ ]", " ", text)
    core = " ".join(_FILLER.sub(" ", text).split())
    return core or " ".join(text.split())  # 'City of London' is all filler words


@lru_cache(maxsize=1024)  # the record's council and region names: a page draws hundreds
def slug(name: str) -> str:
    """The name as it appears in the dashboard's addresses: 'Barking and Dagenham' -> 'barking-dagenham'.
    Unique among the register's councils: where two names come to the same address ('Dorset' and
    the former 'Dorset County'), the current council keeps it and the other is spelt in full
    ('dorset-county')."""
    short = _short_slug(name)
    sharing = _names_by_slug().get(short, ())
    if len(sharing) > 1 and name != sharing[0]:
        return "-".join(re.sub(r"[^\w’ ]", " ", name.lower()).split())
    return short


def _short_slug(name: str) -> str:
    return name_key(name).replace(" ", "-") or name.lower().replace(" ", "-")


@lru_cache(maxsize=1)
def _names_by_slug() -> dict[str, tuple[str, ...]]:
    """Each short address and the register's names that come to it, current councils first."""
    found: dict[str, list[str]] = {}
    for council in sorted(load_councils(), key=lambda c: (bool(c.end), c.name)):
        found.setdefault(_short_slug(council.name), []).append(council.name)
    return {key: tuple(names) for key, names in found.items()}


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[Council, ...]]:
    index: dict[str, list[Council]] = {}
    for council in load_councils():
        for name in council.names:
            key = name_key(name)
            if key and council not in index.setdefault(key, []):
                index[key].append(council)
    return {k: tuple(v) for k, v in index.items()}


def match_council(printed: str, on: str | None = None) -> list[Council]:
    """Councils whose name matches a name as printed in a report.

    `on` (an ISO date) prefers councils that existed then, so "Dorset" in 2016 is the
    county council and in 2021 the unitary one. More than one result means ambiguous.
    """
    found = list(_index().get(name_key(printed), ()))
    if len(found) > 1 and on:
        existing = [c for c in found if _existed(c, on)]
        found = existing or found
    return found


def councils_named_within(printed: str, on: str | None = None) -> list[Council]:
    """Councils whose whole name appears inside a longer printed one, longest name first
    ('Bradford Children and Families Trust' -> Bradford). More than one result means ambiguous."""
    words = f" {name_key(printed)} "
    hits: dict[int, list[Council]] = {}
    for council in load_councils():
        if on and not _existed(council, on):
            continue
        for name in council.names:
            key = name_key(name)
            if key and f" {key} " in words:
                hits.setdefault(len(key), []).append(council)
    return list(dict.fromkeys(hits[max(hits)])) if hits else []


def _existed(council: Council, on: str) -> bool:
    return (not council.start or council.start <= on) and (not council.end or on < council.end)


def predecessors(council: Council) -> list[Council]:
    """The former councils this one took over from (Northamptonshire for North Northamptonshire)."""
    return [c for c in load_councils() if council.dfe_code and council.dfe_code in c.successors]


def resolve_council(text: str) -> Council:
    """The one council meant by a URN, a DfE code, a GSS code or a name (any of its names).

    Raises UnknownCouncil with the nearest names as suggestions ("Manchster" -> Manchester),
    or AmbiguousCouncil listing the candidates.
    """
    wanted = text.strip()
    councils = load_councils()
    by_code = [c for c in councils if wanted.upper() in (str(c.urn), c.dfe_code, c.gss_code)]
    if by_code:
        return by_code[0]
    exact = [c for c in councils if wanted.lower() in (n.lower() for n in c.names)]
    if len(exact) == 1:
        return exact[0]
    found = match_council(wanted) or councils_named_within(wanted)
    current = [c for c in found if c.is_current]
    if len(found) == 1 or len(current) == 1:
        return (current or found)[0]
    if not found:
        found = _councils_starting_with(wanted)
        if len(found) == 1:
            return found[0]
    if found:
        raise AmbiguousCouncil(wanted, found)
    raise UnknownCouncil(wanted, suggest_councils(wanted))


def _councils_starting_with(text: str) -> list[Council]:
    """'Kensington' -> Kensington and Chelsea; 'North' -> every council named North ..."""
    key = name_key(text)
    if len(key) < 3:
        return []
    return [c for c in load_councils() if any(name_key(n).startswith(key) for n in c.names)]


def suggest_councils(text: str, limit: int = 3) -> list[str]:
    """The council names nearest to a misspelt one."""
    names = {name_key(n) or n.lower(): c.name for c in load_councils() for n in c.names}
    close = difflib.get_close_matches(name_key(text) or text.lower(), list(names), n=limit * 3, cutoff=0.6)
    return list(dict.fromkeys(names[k] for k in close))[:limit]
