"""Screenshots of the trial-record reasons (not a test module: run explicitly with
`pytest tests/frontend/shots_trial_records.py`; PNGs in /work/shots-trial-records): a streamer's
recommendations over tests/search/records.py's market, and a bad-record factory's record panel."""

from pathlib import Path

from tests.frontend.shots import login_cookie, shoot
from tests.search.conftest import index_all
from tests.search.records import mask_streamer, record_market


def test_shots(live_server, db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    market = record_market()
    streamer = mask_streamer()
    index_all()
    pages = {"recommended": "/me/recommended/", "factory": f"/factories/{market['bad'].factory_id}/"}
    shoot(
        live_server, pages, Path("/work/shots-trial-records"), cookie=login_cookie(streamer.user, live_server)
    )
