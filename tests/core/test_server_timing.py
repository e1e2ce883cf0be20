"""Where a request's time went, in the Server-Timing header (marketplace/core/server_timing.py)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.core.server_timing import header
from tests.makers import ProductMaker

pytestmark = pytest.mark.django_db

TIMING = re.compile(r"app;dur=([\d.]+), cpu;dur=([\d.]+), db;dur=([\d.]+), dbq;desc=(\d+)")


def test_the_header_names_app_cpu_and_database_time_in_milliseconds():
    assert header(app=0.05724, cpu=0.0098, db=0.02141, queries=13) == (
        "app;dur=57.2, cpu;dur=9.8, db;dur=21.4, dbq;desc=13"
    )


def test_with_server_timing_on_each_response_says_where_its_time_went(client, settings):
    # given: a page that reads the database
    settings.SERVER_TIMING = True
    ProductMaker.create_batch(3)
    # when
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/products/")
    # then: the request's own queries are counted, and the parts fit inside the whole
    assert response.status_code == 200
    app, cpu, db, count = TIMING.fullmatch(response["Server-Timing"]).groups()
    assert int(count) == len(queries) > 0
    assert 0 < float(db) <= float(app)
    assert float(cpu) <= float(app) + 0.1  # rounding


def test_a_request_without_queries_counts_none(client, settings):
    settings.SERVER_TIMING = True
    response = client.get("/healthz")
    assert TIMING.fullmatch(response["Server-Timing"]).group(3, 4) == ("0.0", "0")


def test_off_by_default_no_response_carries_it(client, settings):
    assert settings.SERVER_TIMING is False
    assert "Server-Timing" not in client.get("/api/v1/products/")
