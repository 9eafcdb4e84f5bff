from __future__ import annotations

import pytest

from lacs.domain.grades import Grade, parse_grade


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("Outstanding", Grade.OUTSTANDING),
        ("good ", Grade.GOOD),
        ("Requires improvement to be good", Grade.REQUIRES_IMPROVEMENT),
        ("Requires \nimprovement", Grade.REQUIRES_IMPROVEMENT),
        ("require improvement", Grade.REQUIRES_IMPROVEMENT),
        ("Requires improvement  to\nbe good", Grade.REQUIRES_IMPROVEMENT),
        ("Adequate", Grade.ADEQUATE),
        ("INADEQUATE", Grade.INADEQUATE),
        ("Not Judged", Grade.NOT_JUDGED),
    ],
)
def test_parse_grade(text: str, grade: Grade) -> None:
    assert parse_grade(text) is grade


@pytest.mark.parametrize("text", ["", "very good", "good and outstanding", "improvement", "judged"])
def test_not_a_grade(text: str) -> None:
    with pytest.raises(ValueError):
        parse_grade(text)


def test_ranks_put_adequate_with_requires_improvement_and_not_judged_nowhere() -> None:
    assert Grade.OUTSTANDING.rank < Grade.GOOD.rank < Grade.REQUIRES_IMPROVEMENT.rank < Grade.INADEQUATE.rank
    assert Grade.ADEQUATE.rank == Grade.REQUIRES_IMPROVEMENT.rank
    assert Grade.NOT_JUDGED.rank is None
