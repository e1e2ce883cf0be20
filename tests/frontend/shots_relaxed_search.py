"""Screenshots of a relaxed search (not a test module: run explicitly with
`pytest tests/frontend/shots_relaxed_search.py`; PNGs in /work/shots-relaxed-search)."""

from pathlib import Path

from tests.frontend.shots import shoot
from tests.search.test_compound_words import catalog  # noqa: F401 - a fixture


def test_shots(live_server, catalog, monkeypatch):  # noqa: F811
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    def noted(page):
        assert page.locator("#relaxed-note").count() == 1

    shoot(live_server, {"relaxed": "/search/?q=蓝牙耳机"}, Path("/work/shots-relaxed-search"), check=noted)
