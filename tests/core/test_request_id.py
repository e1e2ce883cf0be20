"""A request id on every log line, in the response header, and JSON log lines (marketplace/core/request_id.py)."""

import io
import json
import logging
import logging.config
import re

import pytest
from django.conf import settings

from marketplace.core.request_id import NO_REQUEST, current_request_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines(settings):
    """The project's LOGGING (as configured from settings) writing into a buffer."""

    def configure(log_format: str) -> io.StringIO:
        config = json.loads(json.dumps(settings.LOGGING))  # a copy: dictConfig keeps what it gets
        config["handlers"]["console"]["formatter"] = log_format
        logging.config.dictConfig(config)
        stream = io.StringIO()
        logging.getLogger().handlers[0].setStream(stream)
        return stream

    yield configure
    logging.config.dictConfig(settings.LOGGING)


def test_each_response_carries_a_fresh_request_id(client):
    # when
    first = client.get("/healthz")
    second = client.get("/healthz")
    # then
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert current_request_id() == NO_REQUEST  # nothing left over once the request is served


def test_a_well_formed_incoming_id_is_kept_and_anything_else_replaced(client):
    # when
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c21"})
    too_long = client.get("/healthz", headers={"X-Request-ID": "a" * 65})
    control = client.get("/healthz", headers={"X-Request-ID": "abc\tdefgh12"})
    injected = client.get("/healthz", headers={"X-Request-ID": 'x" level=ERROR'})
    # then
    assert kept["X-Request-ID"] == "lb-7f3a9c21"
    for response in (too_long, control, injected):
        assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_lines_logged_while_serving_carry_the_id_as_json(client, log_lines):
    # given
    stream = log_lines("json")
    # when: Django logs a 404 while serving it
    response = client.get("/no-such-page/", headers={"X-Request-ID": "req-12345678"})
    logging.getLogger("yuantou.test").warning("after the request")
    # then
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert response.status_code == 404
    assert [(line["logger"], line["message"], line["request_id"]) for line in lines] == [
        ("django.request", "Not Found: /no-such-page/", "req-12345678"),
        ("yuantou.test", "after the request", "-"),
    ]
    assert set(lines[0]) == {"time", "level", "logger", "request_id", "message"}
    assert lines[0]["level"] == "WARNING" and lines[0]["time"].endswith("+00:00")


def test_text_lines_carry_the_id_too(log_lines):
    # given
    stream = log_lines("text")
    # when
    logging.getLogger("yuantou.test").error("boom")
    # then
    assert re.fullmatch(r".* ERROR yuantou\.test \[-\] boom\n", stream.getvalue())


def test_json_lines_hold_the_traceback_and_chinese_as_written(log_lines):
    stream = log_lines("json")
    try:
        raise ValueError("坏了")
    except ValueError:
        logging.getLogger("yuantou.test").exception("出错")
    line = json.loads(stream.getvalue())
    assert line["message"] == "出错"
    assert "ValueError: 坏了" in line["exception"]
    assert "出错" in stream.getvalue()  # not \\u escapes: readable in a terminal


def test_logging_is_configured_with_the_filter_on_the_console_handler():
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["request_id"]
