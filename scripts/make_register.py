"""Write lacs's own register of councils, src/lacs/data/councils.csv.

Facts come from two public reference files kept outside the repository
(../shared/reference/): the Data to Insight lookup of the 153 councils (Ofsted
URN, DfE code, GSS code, region, type, population aged 0-25, statistical
neighbours) and mySociety's register of UK local authorities (MIT licence:
official names, other names, start and end dates, successors, positions).
Neither file is copied; this script selects and renames the facts lacs needs.

Usage: python scripts/make_register.py [REFERENCE_DIR]
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "lacs" / "data" / "councils.csv"
COLUMNS = [
    "urn", "dfe_code", "gss_code", "name", "official_name", "other_names", "region",
    "council_type", "population_0_25", "neighbours", "start", "end", "successors",
    "lat", "lon",
]
# Former councils whose DfE codes the lookup lacks (DfE's published LA code list).
FORMER_DFE_CODES = {"E06000028": "837", "E10000009": "835"}
# mySociety still lists Barnsley and Sheffield under their older GSS codes.
OLD_GSS = {"E08000038": "E08000016", "E08000039": "E08000019"}
FORMER_GSS = ["E06000028", "E06000029", "E10000009", "E10000021", "E10000006"]
# The lookup's also_known_as lists names that themselves hold commas, so they are
# spelled out here rather than split.
ALIASES = {
    "E06000058": ["BCP", "Bournemouth, Christchurch & Poole"],
    "E06000023": ["City of Bristol", "Bristol, City of"],
    "E06000010": ["Hull", "Kingston upon Hull", "Kingston Upon Hull, City of"],
    "E06000011": ["East Riding"],
}


def main(reference: Path) -> None:
    lookup = list(csv.DictReader((reference / "la_lookup.csv").open(encoding="utf-8-sig")))
    mysoc = {r["gss-code"]: r for r in csv.DictReader((reference / "uk_local_authorities.csv").open(encoding="utf-8"))}
    by_code = {r["local-authority-code"]: r for r in mysoc.values()}
    dfe_by_gss = {r["la_code_new"]: r["la_code"] for r in lookup}
    dfe_by_gss.update(FORMER_DFE_CODES)
    rows = []
    seen = set()
    for r in lookup:
        gss = r["la_code_new"]
        m = mysoc.get(gss) or mysoc.get(OLD_GSS.get(gss, ""), {})
        rows.append(council_row(r, m, by_code, dfe_by_gss))
        seen.add(gss)
    for gss in FORMER_GSS:
        if gss not in seen:
            rows.append(council_row(None, mysoc[gss], by_code, dfe_by_gss))
    settle_former_councils(rows)
    primary = {row["name"] for row in rows}
    for row in rows:
        row["other_names"] = "|".join(n for n in row["other_names"].split("|") if n not in primary)
    rows.sort(key=lambda row: row["name"])
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} councils to {OUT}")


def council_row(lookup: dict | None, m: dict, by_code: dict, dfe_by_gss: dict) -> dict:
    gss = lookup["la_code_new"] if lookup else m["gss-code"]
    names = set()
    if lookup:
        names.add(lookup["local_authority_ons_name"])
        names.update(ALIASES.get(gss, []))
    for key in ("official-name", "nice-name"):
        if m.get(key):
            names.add(m[key])
    names.update(a.strip() for a in m.get("alt-names", "").split(",") if plausible_alias(a.strip()))
    name = display_name(lookup, m)
    successors = [by_code[c]["gss-code"] for c in m.get("replaced-by", "").split(",") if c in by_code]
    return {
        "urn": lookup["urn"] if lookup else "",
        "dfe_code": dfe_by_gss.get(gss, ""),
        "gss_code": gss,
        "name": name,
        "official_name": m.get("official-name", ""),
        "other_names": "|".join(sorted(n for n in names if n != name)),
        "region": lookup["region_name"] if lookup else m.get("region", ""),
        "council_type": (lookup["ons_la_type"] if lookup else "") or m.get("local-authority-type-name", ""),
        "population_0_25": lookup["ons_population_0-25"] if lookup else "",
        "neighbours": " ".join(c.strip() for c in lookup["stat_neighbours"].split(",") if c.strip()) if lookup else "",
        "start": services_start(m, by_code, dfe_by_gss.get(gss, "")),
        "end": m.get("end-date", ""),
        "successors": " ".join(dfe_by_gss.get(g, g) for g in successors),
        "lat": position(m, by_code)[0],
        "lon": position(m, by_code)[1],
    }


def services_start(m: dict, by_code: dict, dfe_code: str) -> str:
    """When the council became the children's services authority. A county that became a
    unitary council under a new GSS code (Buckinghamshire 2020, North Yorkshire and Somerset
    2023) kept its DfE code and Ofsted URN: the same authority carried on, so its start is
    its predecessor's, not the new code's."""
    code = m.get("local-authority-code", "")
    for old in by_code.values():
        if (
            code
            and code in old.get("replaced-by", "").split(",")
            and dfe_code
            and old.get("old-ons-la-code") == dfe_code
        ):
            return services_start(old, by_code, dfe_code)
    return m.get("start-date", "")


COUNTY_TOLERANCE_KM = 15.0


def position(m: dict, by_code: dict) -> tuple[str, str]:
    """The council's (lat, lon). mySociety places some county councils far from their area
    (Lancashire in Northamptonshire): a county more than 15 km from the area-weighted mean of
    its current districts' positions takes that mean instead."""
    lat, lon = m.get("lat", ""), m.get("long", "")
    if m.get("local-authority-type") != "CTY" or not lat:
        return lat, lon
    districts = [d for d in by_code.values() if d.get("county-la") == m.get("local-authority-code")
                 and not d.get("end-date") and d.get("lat") and d.get("area")]
    area = sum(float(d["area"]) for d in districts)
    if not area:
        return lat, lon
    mean_lat = sum(float(d["area"]) * float(d["lat"]) for d in districts) / area
    mean_lon = sum(float(d["area"]) * float(d["long"]) for d in districts) / area
    if km(float(lat), float(lon), mean_lat, mean_lon) <= COUNTY_TOLERANCE_KM:
        return lat, lon
    return f"{mean_lat:.6f}", f"{mean_lon:.6f}"


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


TYPES_BY_GSS_PREFIX = {"E06": "Unitary Authority", "E08": "Metropolitan District", "E09": "London Borough",
                       "E10": "County"}


def settle_former_councils(rows: list[dict]) -> None:
    """One rule for every council: its type from its GSS code's prefix (the sources spell
    types differently and some are out of date); a former council's region is its
    successors', and its end is the day its successors began (the first day it no longer
    existed), whichever way the source wrote it."""
    by_dfe = {row["dfe_code"]: row for row in rows if row["dfe_code"]}
    for row in rows:
        row["council_type"] = TYPES_BY_GSS_PREFIX.get(row["gss_code"][:3], row["council_type"])
        successors = [by_dfe[code] for code in row["successors"].split() if code in by_dfe]
        if successors:
            row["region"] = row["region"] or successors[0]["region"]
            row["end"] = min(s["start"] for s in successors if s["start"]) or row["end"]


def plausible_alias(name: str) -> bool:
    """mySociety's alt-names are comma-joined, so 'Bristol, City of' splits badly."""
    return bool(name) and not name.islower() and name != "City of"


def display_name(lookup: dict | None, m: dict) -> str:
    """A plain name: 'Bristol' rather than 'Bristol, City of'."""
    if lookup:
        name = lookup["local_authority_ons_name"]
        if name.endswith(", City of"):
            return name.removesuffix(", City of")
        return name
    return m["nice-name"]


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "reference")
