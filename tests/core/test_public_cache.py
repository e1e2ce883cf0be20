"""Anonymous catalogue reads from the shared cache (marketplace/core/public_cache.py, issue 11):
served again without touching the database, never for a signed-in caller, never stale after a
change, and never a reason for an error when Redis is down."""

import uuid

import pytest
import redis
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from factories.services.products import product_delist
from marketplace.core import public_cache
from search.indexing import index_dirty
from tests import makers
from tests.conftest import REDIS_URL

# Commit hooks run through django_capture_on_commit_callbacks: the same hooks, without the
# ~8 s per test of flushing a transactional database on this machine.
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _redis_cache(settings):
    # As in production: a cache every process shares, its own prefix per test so no copy is
    # carried over from another test (or another run) on the same Redis.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-public-{uuid.uuid4().hex}",
        }
    }
    settings.PUBLIC_CACHE_SECONDS = 30
    shared = caches["default"]  # kept: a test may point the settings elsewhere
    yield
    # not clear(): on Redis that empties the whole database; the copies expire in 30 s
    shared.delete(public_cache.GENERATION_KEY)


@pytest.fixture
def product(django_capture_on_commit_callbacks):
    made = makers.ProductMaker(title="收纳盒 缓存测试")
    with django_capture_on_commit_callbacks(execute=True):
        index_dirty("product")
    return made


def _get(client, path, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    return response, len(queries.captured_queries)


def test_an_anonymous_read_is_served_again_from_the_cache_without_the_database(product):
    client = APIClient()
    first, _ = _get(client, "/api/v1/search/products/", data={"q": "收纳盒"})
    again, queries = _get(client, "/api/v1/search/products/", data={"q": "收纳盒"})
    assert first.status_code == again.status_code == 200
    assert first["X-Cache"] == "miss" and again["X-Cache"] == "hit"
    assert again.content == first.content
    assert [r["id"] for r in again.json()["results"]] == [product.pk]
    assert again["Content-Type"] == "application/json"
    assert queries == 0


def _commands(client) -> dict[str, int]:
    """Calls per Redis command so far on the tests' Redis (INFO commandstats), INFO itself left out."""
    stats = client.info("commandstats")
    return {name.removeprefix("cmdstat_"): v["calls"] for name, v in stats.items() if name != "cmdstat_info"}


def test_a_copy_is_served_in_one_round_trip_to_redis(product):
    # given: a copy kept
    redis_client = redis.Redis.from_url(REDIS_URL)
    APIClient().get("/api/v1/search/products/", data={"q": "收纳盒"})
    before = _commands(redis_client)
    # when
    again = APIClient().get("/api/v1/search/products/", data={"q": "收纳盒"})
    # then: the generation and the copy came in one MGET, and nothing else was asked of Redis
    after = _commands(redis_client)
    assert again["X-Cache"] == "hit"
    assert {name: n - before.get(name, 0) for name, n in after.items() if n != before.get(name, 0)} == {
        "mget": 1
    }


def test_variants_are_kept_apart_language_query_and_path(product):
    client = APIClient()
    en = client.get("/api/v1/products/", HTTP_ACCEPT_LANGUAGE="en")
    zh = client.get("/api/v1/products/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert en["X-Cache"] == zh["X-Cache"] == "miss"
    page_two = client.get("/api/v1/products/", data={"page": "2"})
    assert page_two.status_code == 404  # one product: no second page, and the 404 is not kept
    assert "X-Cache" not in page_two
    detail = client.get(f"/api/v1/products/{product.pk}/")
    assert detail["X-Cache"] == "miss" and detail.json()["id"] == product.pk


def test_a_signed_in_caller_is_never_served_or_stored_a_copy(product, buyer_user):
    signed_in = APIClient()
    signed_in.credentials(HTTP_AUTHORIZATION=f"Token {makers.token_for(buyer_user)}")
    first = signed_in.get("/api/v1/products/")
    assert first.status_code == 200 and "X-Cache" not in first
    # an anonymous copy exists now, and the signed-in caller still does not get it
    assert APIClient().get("/api/v1/products/")["X-Cache"] == "miss"
    again, queries = _get(signed_in, "/api/v1/products/")
    assert "X-Cache" not in again and queries > 0
    session = APIClient()
    session.force_login(buyer_user)
    assert "X-Cache" not in session.get("/api/v1/products/")


def test_a_change_to_the_catalogue_is_seen_at_the_next_request(product, django_capture_on_commit_callbacks):
    client = APIClient()
    assert client.get(f"/api/v1/products/{product.pk}/").status_code == 200
    listed = client.get("/api/v1/products/").json()
    assert [p["id"] for p in listed["results"]] == [product.pk]
    generation = public_cache.catalog_generation()
    # when: the factory takes the product off the market (a service, one transaction)
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        product_delist(product=product, actor=product.factory.owner)
    # then: the generation moved at commit (and again when the indexer, eager here, ran), and no
    # cached copy is served
    assert hooks and public_cache.catalog_generation() > generation
    assert client.get(f"/api/v1/products/{product.pk}/").status_code == 404
    assert client.get("/api/v1/products/").json()["results"] == []


def test_a_rolled_back_change_moves_nothing(product, django_capture_on_commit_callbacks):
    generation = public_cache.catalog_generation()
    with (
        django_capture_on_commit_callbacks(execute=True) as hooks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        product_delist(product=product, actor=product.factory.owner)
        raise RuntimeError("the caller's transaction fails after the change")
    assert hooks == []
    assert public_cache.catalog_generation() == generation


def test_search_results_change_once_the_indexer_made_them_searchable(
    product, django_capture_on_commit_callbacks
):
    client = APIClient()
    assert client.get("/api/v1/search/products/", data={"q": "茶具"}).json()["count"] == 0
    tea = makers.ProductMaker(title="茶具 缓存测试")  # a row written without a service
    assert client.get("/api/v1/search/products/", data={"q": "茶具"})["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        index_dirty("product")  # the indexer makes it searchable and moves the generation
    found = client.get("/api/v1/search/products/", data={"q": "茶具"})
    assert found["X-Cache"] == "miss"
    assert [r["id"] for r in found.json()["results"]] == [tea.pk]


def test_redis_down_serves_the_request_uncached(
    product, settings, caplog, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    response = APIClient().get("/api/v1/products/")
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [product.pk]
    assert "X-Cache" not in response
    assert "public cache: read failed" in caplog.text
    # and a write's commit hook does not fail the write either
    with django_capture_on_commit_callbacks(execute=True):
        delisted = product_delist(product=product, actor=product.factory.owner)
    assert delisted.status == "delisted"
    assert "could not move the catalogue generation" in caplog.text


def test_off_when_the_setting_is_zero(product, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    client = APIClient()
    client.get("/api/v1/products/")
    again, queries = _get(client, "/api/v1/products/")
    assert "X-Cache" not in again and queries > 0


def test_the_search_page_shares_its_results_part_but_not_its_frame(product, buyer_user):
    from django.test import Client

    signed_in = Client()
    signed_in.force_login(buyer_user)
    first = signed_in.get("/search/", {"q": "收纳盒"})
    assert first.status_code == 200 and product.title in first.content.decode()
    assert buyer_user.username in first.content.decode()  # the header greets them
    # an anonymous visitor gets the same results from the cache: only the session-less frame is built
    visitor = Client()
    with CaptureQueriesContext(connection) as queries:
        page = visitor.get("/search/", {"q": "收纳盒"})
    html = page.content.decode()
    assert page.status_code == 200 and product.title in html
    assert buyer_user.username not in html  # nothing of the signed-in visitor was kept
    assert '<nav class="tabs"' in html and "&lt;nav" not in html  # kept as HTML, not escaped text
    assert len(queries.captured_queries) == 0


def test_the_search_page_shows_a_change_at_once(product, django_capture_on_commit_callbacks):
    from django.test import Client

    visitor = Client()
    assert product.title in visitor.get("/search/", {"q": "收纳盒"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        product_delist(product=product, actor=product.factory.owner)
    assert product.title not in visitor.get("/search/", {"q": "收纳盒"}).content.decode()


def test_a_lost_counter_never_brings_back_an_old_copy(product):
    client = APIClient()
    assert client.get("/api/v1/products/")["X-Cache"] == "miss"
    before = public_cache.catalog_generation()
    # when: Redis loses the counter (eviction, restart) while the copy made under it lives on
    caches["default"].delete(public_cache.GENERATION_KEY)
    # then: the new counter starts above the old one, and the copy is not served
    assert public_cache.catalog_generation() > before
    assert client.get("/api/v1/products/")["X-Cache"] == "miss"


# Whole pages for anonymous visitors (public_page): the product, factory, home and search pages.


def _page(path, client=None, **extra):
    from django.test import Client

    client = client or Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    return response, len(queries.captured_queries)


@pytest.mark.parametrize("path", ["product", "factory", "/", "/search/?q=收纳盒"])
def test_an_anonymous_page_is_kept_whole_and_served_again_without_the_database(product, path):
    named = {"product": f"/products/{product.pk}/", "factory": f"/factories/{product.factory_id}/"}
    path = named.get(path, path)
    first, _ = _page(path)
    again, queries = _page(path)
    assert first.status_code == again.status_code == 200
    assert (first["X-Cache"], again["X-Cache"]) == ("miss", "hit")
    assert again.content == first.content and product.title in again.content.decode()
    assert queries == 0
    # nothing personal in it: no cookie was set, no token sits in a form
    assert not first.cookies and "csrfmiddlewaretoken" not in first.content.decode()


def test_a_signed_in_visitor_gets_their_own_page(product, buyer_user):
    from django.test import Client

    path = f"/products/{product.pk}/"
    assert _page(path)[0]["X-Cache"] == "miss"  # an anonymous copy exists
    signed_in = Client()
    signed_in.force_login(buyer_user)
    page, queries = _page(path, signed_in)
    html = page.content.decode()
    assert "X-Cache" not in page and queries > 0
    assert buyer_user.username in html and 'id="report"' in html and "csrfmiddlewaretoken" in html


def test_a_visitor_with_a_message_waiting_gets_a_page_that_shows_it(product):
    from django.test import Client

    path = f"/products/{product.pk}/"
    _page(path)  # the anonymous copy
    visitor = Client()
    visitor.cookies["messages"] = "anything"  # what CookieStorage leaves after a redirect
    page, queries = _page(path, visitor)
    assert "X-Cache" not in page and queries > 0


def test_a_product_change_is_on_its_page_at_the_next_request(product, django_capture_on_commit_callbacks):
    from factories.services.products import product_update

    path = f"/products/{product.pk}/"
    assert _page(path, HTTP_ACCEPT_LANGUAGE="en")[0]["X-Cache"] == "miss"
    assert _page(path, HTTP_ACCEPT_LANGUAGE="en")[0]["X-Cache"] == "hit"
    # when: the factory changes what applies at once (a title would wait for review)
    with django_capture_on_commit_callbacks(execute=True):
        product_update(product=product, actor=product.factory.owner, data={"lead_time_days": 23})
    # then
    page, _ = _page(path, HTTP_ACCEPT_LANGUAGE="en")
    assert page["X-Cache"] == "miss"
    assert "23 days" in page.content.decode()


def test_the_language_menu_works_without_a_token_and_each_language_is_its_own_copy(product):
    from django.test import Client

    visitor = Client(enforce_csrf_checks=True)
    path = f"/products/{product.pk}/"
    chinese, _ = _page(path, visitor, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese["Content-Language"] == "zh-hans"
    # when: the visitor switches with the header's menu (a POST without a CSRF token)
    switched = visitor.post("/i18n/setlang/", {"language": "en", "next": path})
    # then
    assert (switched.status_code, switched["Location"]) == (302, path)
    assert visitor.cookies["django_language"].value == "en"
    english, _ = _page(path, visitor, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert english["Content-Language"] == "en" and english["X-Cache"] == "miss"
    assert english.content != chinese.content
