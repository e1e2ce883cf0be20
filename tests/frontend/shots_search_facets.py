"""Screenshots of the search page with every facet (not a test module: run explicitly with
`pytest tests/frontend/shots_search_facets.py`; PNGs in /work/shots-search-facets)."""

from pathlib import Path

from tests.frontend.shots import shoot
from tests.frontend.test_search_page import catalog  # noqa: F401 - a fixture


def test_shots(live_server, catalog, monkeypatch):  # noqa: F811
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    shoot(live_server, {"search": "/search/?q=面"}, Path("/work/shots-search-facets"))
