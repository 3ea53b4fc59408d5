"""Schemathesis against the project's own OpenAPI document, in-process (WSGI): with a valid
token, no address answers 5xx and every response matches its documented status, content type
and schema — for generated values and for the ids of real data."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from assessment.web.api import openapi_document
from tests.web.api_helpers import api_world

#: Whether a body the schema allows is accepted depends on data a schema cannot state (the
#: installed banks and their question ids, the organisation's indicators and the kind of their
#: periods): such bodies are refused with 422 and a pointer, which test_api.py checks. Every
#: other check runs: no 5xx, documented status codes, content types, headers and schemas.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]

#: The document the app serves at /api/v1/openapi.json (the first test checks it is that).
schema = schemathesis.openapi.from_dict(openapi_document())


def test_the_served_document_is_the_one_tested(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == openapi_document()
    assert response.get_json()["openapi"] == "3.1.0"


@pytest.fixture()
def world(app, factory):
    data = api_world(app, factory)
    # The limit is tested on its own (test_api.py); here every example must get through.
    saved = app.config["API_RATE_LIMIT"]
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    yield data
    app.config["API_RATE_LIMIT"] = saved


@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_own_description(app, world, case):
    headers = {"Authorization": f"Bearer {world['token']}"}
    # The schema was collected before the app existed: checks that send requests of their
    # own (an unsupported method, a missing token) send them to this app too.
    case.operation.app = case.operation.schema.app = app
    case.call_and_validate(app=app, headers=headers, excluded_checks=EXCLUDED)
    # The same operation about data that exists (generated ids mostly name nothing), with the
    # generated body and query when they are meant to be valid.
    real = {name: world[name] for name in (case.path_parameters or {})}
    if real:
        positive = case.meta is None or case.meta.generation.mode == "positive"
        extra = (
            {"query": case.query, "body": case.body, "media_type": case.media_type}
            if positive
            else {}
        )
        other = case.operation.Case(path_parameters=real, **extra)
        other.call_and_validate(app=app, headers=headers, excluded_checks=EXCLUDED)
