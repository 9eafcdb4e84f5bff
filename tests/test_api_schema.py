"""Schemathesis against the API's own OpenAPI schema, in process: no 5xx, every response as described."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install -e '.[test]')")

from hypothesis import HealthCheck, settings  # noqa: E402

from lacs.store.shipped import SHIPPED  # noqa: E402
from lacs.web.app import create_app  # noqa: E402

schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(SHIPPED))


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_matches_its_schema(case) -> None:
    # A request the schema allows can still ask what the record cannot answer (an area no
    # inspection judged, a search of the shipped dataset, which has no page text): that is a
    # 422 with a message, so the check that every schema-valid request succeeds is left out; and a
    # URL over 2,048 characters is refused with 414 before its parameters are read, which the check
    # that invalid data gets a 4xx of its list does not count (test_web.py tests 422s directly).
    case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance,
                                            schemathesis.checks.negative_data_rejection])
