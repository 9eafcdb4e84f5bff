"""The taxonomy of the "what needs to improve" points, and the matcher: text in, theme keys out.

    from lacs.domain.themes import load_themes, themes_of

    themes_of("The quality of pathway plans for care leavers.")   # ['care_leavers', 'pathway_plans']
    themes_of("The weather.")                    # []
    load_themes()[0].name                        # 'The front door: contacts, referrals and thresholds'

The taxonomy is `data/themes.toml`: each theme has a key, a name, a description and
`patterns`, regular expressions matched case-insensitively on word boundaries, any of which
signals the theme. A theme may also have `weak` patterns, which count only when one of its
`context` patterns matches the same point too ("housing" is about care leavers' homes only in a
point that speaks of care leavers). A point can have several themes, or none. Matching costs
under a millisecond a point and is cached.

It sits in the domain so that the store can record each point's themes when it writes the
point (the `improvement_themes` table), and the questions count them without matching again.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache

from lacs.domain import DATA_FOLDER
from lacs.errors import BadTaxonomy


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    description: str
    patterns: tuple[str, ...]
    weak: tuple[str, ...] = ()  # count only when a `context` pattern matches the point too
    context: tuple[str, ...] = ()

    def matches(self, point: str) -> bool:
        """True when the point signals this theme."""
        plain = _plain(point)
        return self._matches(plain, plain.lower())

    def _matches(self, plain: str, lower: str) -> bool:
        strong, weak, context = _compiled(self)
        return _found(strong, plain, lower) or (_found(weak, plain, lower) and _found(context, plain, lower))


@lru_cache(maxsize=1)
def load_themes() -> tuple[Theme, ...]:
    """Every theme in data/themes.toml, in the file's order (read once). Its patterns are
    compiled when a point is first matched, not here: a question that reads the themes the
    build stored does not wait for some 800 patterns to compile (70 ms)."""
    text = (DATA_FOLDER / "themes.toml").read_text(encoding="utf-8")
    return parse_themes(text, compile_patterns=False)


def parse_themes(text: str, compile_patterns: bool = True) -> tuple[Theme, ...]:
    """The themes of a taxonomy in themes.toml's format; raises BadTaxonomy if it is not sound
    (with compile_patterns=False, for a pattern that does not compile, when it is first matched)."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadTaxonomy(f"themes.toml: {exc}") from None
    themes: list[Theme] = []
    for n, entry in enumerate(table.get("theme", []), 1):
        try:
            theme = Theme(key=entry["key"], name=entry["name"], description=entry["description"],
                          patterns=tuple(entry.get("patterns", ())), weak=tuple(entry.get("weak", ())),
                          context=tuple(entry.get("context", ())))
        except KeyError as exc:
            raise BadTaxonomy(f"themes.toml: theme {n} has no {exc.args[0]}") from None
        if not theme.patterns and not theme.weak:
            raise BadTaxonomy(f"themes.toml: theme {theme.key!r} has no patterns")
        if bool(theme.weak) != bool(theme.context):
            raise BadTaxonomy(f"themes.toml: theme {theme.key!r} needs both `weak` and `context`, or neither")
        if theme.key in {t.key for t in themes}:
            raise BadTaxonomy(f"themes.toml: theme {theme.key!r} appears twice")
        if compile_patterns:
            _check_patterns(theme)
        themes.append(theme)
    if not themes:
        raise BadTaxonomy("themes.toml: no [[theme]] entries")
    return tuple(themes)


def _check_patterns(theme: Theme) -> None:
    for pattern in theme.patterns + theme.weak + theme.context:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise BadTaxonomy(f"themes.toml: theme {theme.key!r}: pattern {pattern!r}: {exc}") from None


_Union = tuple[re.Pattern[str] | None, re.Pattern[str] | None]


@cache
def _compiled(theme: Theme) -> tuple[_Union, _Union, _Union]:
    try:
        return _union(theme.patterns), _union(theme.weak), _union(theme.context)
    except re.error:
        _check_patterns(theme)  # BadTaxonomy naming the pattern, if one alone does not compile
        raise


def _union(patterns: tuple[str, ...]) -> _Union:
    """Two regexes for a list of patterns: the case-insensitive ones lowercased, to search the
    lowercased point without re.IGNORECASE (twice as fast), and those with a case-sensitive part
    (?-i:...), searched in the point as written."""
    def compile_(group: list[str], flags: int) -> re.Pattern[str] | None:
        # One \b before the alternation, not one per pattern: the engine skips mid-word positions fast.
        return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in group) + r")\b", flags) if group else None
    exact = [p for p in patterns if "(?-i:" in p]
    folded = [_ESCAPE_OR_UPPER.sub(lambda m: m.group(1) or m.group(2).lower(), p) for p in patterns if p not in exact]
    return compile_(folded, 0), compile_(exact, re.IGNORECASE)


_ESCAPE_OR_UPPER = re.compile(r"(\\.)|([A-Z])")  # \W stays \W; other capitals are lowered


def _found(union: _Union, plain: str, lower: str) -> bool:
    folded, exact = union
    return bool((folded and folded.search(lower)) or (exact and exact.search(plain)))


# Typographic apostrophes, dashes and the odd characters PDFs leave in hyphenated words, made plain.
_PLAIN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-", "\u2010": "-",
                        "\u2011": "-", "\ufffe": "-", "\u00ad": "-", "\u00a0": " "})


def _plain(point: str) -> str:
    return " ".join(point.translate(_PLAIN).split())


def themes_of(point: str) -> list[str]:
    """The keys of the themes a point signals, in taxonomy order; [] when none does."""
    return list(_themes_of(point))


@lru_cache(maxsize=16384)
def _themes_of(point: str) -> tuple[str, ...]:
    plain = _plain(point)
    lower = plain.lower()
    return tuple(theme.key for theme in load_themes() if theme._matches(plain, lower))
