"""Index freshness with a real Celery worker on Redis: edits become searchable within 2 s, and an
edit made while the search backend is down is kept and indexed once it is back."""

import pytest

from factories.models import Product
from search.tasks import sweep_dirty
from tests.search.conftest import index_all, product
from tests.search.flaky import FlakyBackend
from tests.waiting import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.async_worker]

URL = "/api/v1/search/products/"


def found(api, **params) -> list[str]:
    return [row["title"] for row in api.get(URL, params).json()["results"]]


@pytest.fixture
def listed(db):
    item = product("折叠收纳箱", moq=500)
    index_all()
    return item


def test_an_api_edit_is_searchable_within_two_seconds(api, live_celery_worker, listed):
    # given
    api.as_user(listed.factory.owner)
    assert found(api, q="收纳箱", moq_max=100) == []
    # when
    response = api.patch(f"/api/v1/products/{listed.pk}/", {"moq": 60}, format="json")
    # then
    assert response.status_code == 200
    elapsed = wait_until(lambda: found(api, q="收纳箱", moq_max=100) == ["折叠收纳箱"], timeout=2.0)
    assert elapsed < 2.0
    assert Product.objects.get(pk=listed.pk).search_index_dirty is False


def test_an_edit_during_an_outage_is_kept_and_indexed_after_recovery(
    api, live_celery_worker, listed, settings
):
    # given: the search backend refuses every write
    settings.SEARCH_BACKEND = "tests.search.flaky.FlakyBackend"
    FlakyBackend.down, FlakyBackend.attempts = True, 0
    api.as_user(listed.factory.owner)
    try:
        # when
        response = api.patch(f"/api/v1/products/{listed.pk}/", {"moq": 60}, format="json")
        # then: the write succeeded, the worker tried (and will retry), the row stays dirty
        assert response.status_code == 200
        wait_until(lambda: FlakyBackend.attempts >= 1, timeout=5.0)
        assert Product.objects.get(pk=listed.pk).moq == 60
        assert Product.objects.get(pk=listed.pk).search_index_dirty is True
        assert found(api, q="收纳箱", moq_max=100) == []
        # when: the backend is back and the periodic sweep runs on the worker
        FlakyBackend.down = False
        sweep_dirty.delay()
        # then
        wait_until(lambda: found(api, q="收纳箱", moq_max=100) == ["折叠收纳箱"], timeout=5.0)
        wait_until(lambda: Product.objects.get(pk=listed.pk).search_index_dirty is False, timeout=2.0)
    finally:
        FlakyBackend.down = False
