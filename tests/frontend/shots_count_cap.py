"""Screenshots of the search page past the count cap ("3+ results", facets counted on a sample)
(not a test module: run explicitly with `pytest tests/frontend/shots_count_cap.py`; PNGs in
/work/shots-count-cap)."""

from pathlib import Path

from tests.frontend.shots import shoot
from tests.frontend.test_search_page import catalog  # noqa: F401 - a fixture


def test_shots(live_server, catalog, monkeypatch, settings):  # noqa: F811
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SEARCH_COUNT_CAP = 3
    shoot(live_server, {"search": "/search/"}, Path("/work/shots-count-cap"))
