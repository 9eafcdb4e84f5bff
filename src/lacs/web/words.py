"""How the topic pages name things people read: frameworks, kinds of inspection, areas, dates,
a council's standing. Every name comes from the registries (lacs.domain.frameworks, the report
types, the official tables' column groups), never a key such as `pre_sif` spelt out.

    framework_name("sif")                        # 'Single inspection framework (SIF)'
    area_label("lac_overall_effectiveness")      # 'Services for looked after children: overall effectiveness'
    no_overall_words("ilacs_2026")               # 'no overall grade under the 2026 framework'
"""

from __future__ import annotations

from datetime import date
from functools import cache

from lacs.domain.frameworks import HEADLINE, area_title, frameworks, maybe_framework, short_title
from lacs.domain.report_types import FINDINGS_AREAS, RECOGNITION_ORDER, findings_area
from lacs.official.tables import GROUPS
from lacs.questions import claims
from lacs.questions.wording import day_words, lower_first
from lacs.store.database import Inspection

# Words for the kinds of SIF and ILACS inspections, whose report types share a title.
NOT_PART = "not part of this inspection"
_PLAIN_KINDS = {"standard": "standard inspection", "short": "short inspection", "re_inspection": "re-inspection"}


def framework_name(key: str | None) -> str:
    """The registry's name of a framework; 'framework not known' for one it does not hold."""
    found = maybe_framework(key)
    return found.name if found else "framework not known"


@cache
def _kind_titles() -> dict[str, str]:
    titles = {t.kind: t.title for t in RECOGNITION_ORDER if t.kind}
    titles |= {g.kind: g.title for g in GROUPS.values() if g.kind and g.title}
    return titles


def kind_words(framework: str | None, kind: str | None) -> str:
    """What the inspection was: 'standard inspection', 'Inspection of safeguarding and looked after
    children services' (a pre-2013 kind, by its own title); '' when the record does not say."""
    if not kind:
        return ""
    found = maybe_framework(framework)
    if kind in _PLAIN_KINDS and not (found and found.separate_inspections):
        return _PLAIN_KINDS[kind]
    return _kind_titles().get(kind, kind.replace("_", " "))


@cache
def _sections() -> dict[str, str]:
    """Each pre-2013 findings prefix ('lac_') and the section of the report it is ('Services for
    looked after children')."""
    return {prefix: section for t in RECOGNITION_ORDER for section, prefix in t.findings_sections}


def area_label(key: str, framework: str | None = None, judged: frozenset[str] | set[str] = frozenset()) -> str:
    """An area as a row or column title: the framework's own name for it (the newest framework's
    when none is given), a pre-2013 findings area with its section; never the key."""
    if findings_area(key) is not None:
        prefix = next(p for p in FINDINGS_AREAS if key.startswith(p))
        return f"{_sections().get(prefix, prefix.strip('_'))}: {lower_first(area_title(framework, key))}"
    if key.endswith("_" + HEADLINE):  # an official table's pre-2013 kind: 'child protection'
        return f"{key.removesuffix('_' + HEADLINE).replace('_', ' ').capitalize()}: overall effectiveness"
    title = area_title(framework or _newest_judging(key), key, judged or frozenset(area_keys_of(key)))
    return title[:1].upper() + title[1:]


def area_keys_of(key: str) -> tuple[str, ...]:
    """The areas of the newest framework that judges `key`: what its title is read against."""
    found = maybe_framework(_newest_judging(key))
    return found.area_keys if found else ()


def short_label(key: str) -> str | None:
    """The registry's short title of an area, as a label ('Help & protection', 'Overall'); None
    for an area no framework of the registry names (the pre-2013 findings)."""
    if key == HEADLINE:
        return "Overall effectiveness"
    if _newest_judging(key) is None:
        return None
    short = short_title(key)
    return short[:1].upper() + short[1:]


def _newest_judging(key: str) -> str | None:
    return next((f.key for f in reversed(frameworks()) if key in f.area_keys), None)


def no_overall_words(framework: str | None) -> str | None:
    """Where a framework gives no overall effectiveness grade though its family did ('no overall
    grade under the 2026 framework'); None for one that gives it, or that judged other areas
    instead (the pre-2013 kinds)."""
    found = maybe_framework(framework)
    if found is None or found.has_overall or found.separate_inspections:
        return None
    return f"no overall grade under the {found.starts.year} framework" if found.starts else \
        "no overall grade under this framework"


def day_or_unknown(day: date | None) -> str:
    return day_words(day) if day else "date not in the record"


def standing_words(inspection: Inspection | None) -> str:
    """A council's latest overall grade in words, or why it has none: 'good', 'no overall grade under
    the 2026 framework', 'no inspection in the record'."""
    if inspection is None:
        return "no inspection in the record"
    if inspection.overall is not None:
        return inspection.overall.value.replace("_", " ")
    if said := claims.overall_words(inspection):  # the pre-2013 kinds' own overall judgements
        return said
    return no_overall_words(inspection.framework) or f"no overall grade ({framework_name(inspection.framework)})"


def missing_words(inspection: Inspection, key: str) -> str:
    """Why an inspection has no grade in an area: 'no overall grade under the 2026 framework',
    'judged with children in care' (ILACS before 2023 judged the two together), or not part of it."""
    if key == HEADLINE and (words := no_overall_words(inspection.framework)):
        return words
    framework = maybe_framework(inspection.framework)
    covering = next((a for a in framework.areas if a.covers == key and a.key in inspection.judgements),
                    None) if framework else None
    if covering is not None:
        return f"judged with {covering.key.replace('_', ' ')}"
    return NOT_PART
