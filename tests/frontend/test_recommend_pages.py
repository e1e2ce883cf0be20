"""Matching on the web (issue 9, points 3 and 4): "streamers who fit you" for a verified factory,
"recommended for you" for a streamer. Same selectors as the match endpoints, so the pages show the
API's order and reason sentences, in the reader's language."""

import html as htmllib
import re
from decimal import Decimal

import pytest

from factories.models import FactoryTier, VerificationStatus
from search.backends import SearchUnavailable
from tests import makers
from tests.frontend.helpers import html
from tests.search.conftest import index_all, product

pytestmark = pytest.mark.django_db


@pytest.fixture
def streamer(db):
    return makers.BuyerMaker(
        display_name="小鹿主播",
        categories=["facial-masks"],
        price_min=Decimal("30.00"),
        price_max=Decimal("60.00"),
        units_per_session=500,
        province="广东",
    )


@pytest.fixture
def catalog(db):
    star = makers.FactoryMaker(
        name="白云美妆超级工厂",
        province="广东",
        tier=FactoryTier.SUPER,
        trial_conversion_rate=Decimal("0.400"),
        return_rate=Decimal("0.050"),
        response_rate=Decimal("0.900"),
        categories=["facial-masks"],
    )
    far = makers.FactoryMaker(name="浙江护肤厂", province="浙江", categories=["beauty"])
    rows = {
        "A": product("A 补水面膜", factory=star, category="facial-masks", price="38.00", moq=200),
        "B": product("B 清洁面膜", factory=far, category="facial-masks", price="45.00", moq=300),
        "F": product("F 大批量面膜", factory=far, category="facial-masks", price="99.00", moq=2000),
    }
    index_all()
    return rows


def reasons_per_match(page: str) -> list[list[str]]:
    """The reason sentences shown in each match card, in page order."""
    blocks = page.split('class="match"')[1:]
    return [[htmllib.unescape(r) for r in re.findall(r"<li>([^<]+)</li>", block)] for block in blocks]


def titles(page: str) -> list[str]:
    return re.findall(r'<div class="title">([^<]+)</div>', page)


# ---- permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/me/fit/", "/me/recommended/"])
def test_anonymous_is_sent_to_sign_in(web, url):
    response = web.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={url}"


def test_each_page_belongs_to_one_role(web, streamer, catalog, staff):
    factory_owner = catalog["A"].factory.owner
    assert web.as_user(streamer.user).get("/me/fit/").status_code == 403
    assert web.as_user(factory_owner).get("/me/recommended/").status_code == 403
    assert web.as_user(staff).get("/me/fit/").status_code == 403
    assert web.as_user(staff).get("/me/recommended/").status_code == 403


# ---- streamer -------------------------------------------------------------------------------


def test_streamer_sees_products_and_factories_in_the_apis_order_with_its_reasons(web, api, streamer, catalog):
    # given what the API answers
    api_products = api.as_user(streamer.user).get("/api/v1/matches/products/", {"limit": 12}).json()
    api_factories = api.as_user(streamer.user).get("/api/v1/matches/factories/", {"limit": 6}).json()
    # when
    response = web.as_user(streamer.user).get("/me/recommended/")
    # then
    assert response.status_code == 200
    page = html(response)
    assert (
        titles(page)
        == [row["product"]["title"] for row in api_products]
        == ["A 补水面膜", "B 清洁面膜", "F 大批量面膜"]
    )
    shown = reasons_per_match(page)
    expected = [row["reasons"] for row in api_products] + [row["reasons"] for row in api_factories]
    assert shown == expected
    assert "Price ¥38 is within your price band ¥30–60" in shown[0]
    assert f"Fit {api_products[0]['score']} / 100" in page
    assert [f["factory"]["name"] for f in api_factories] == ["白云美妆超级工厂", "浙江护肤厂"]
    assert page.index("白云美妆超级工厂</a></h3>") < page.index("浙江护肤厂</a></h3>")


def test_reasons_are_in_chinese_for_chinese_readers(web_zh, streamer, catalog):
    page = html(web_zh.as_user(streamer.user).get("/me/recommended/"))
    assert "为你推荐" in page
    assert "匹配理由" in page
    assert "超级工厂" in page


def test_streamer_without_profile_is_led_to_the_first_run_page(web, buyer_user):
    response = web.as_user(buyer_user).get("/me/recommended/")
    assert (response.status_code, response["Location"]) == (302, "/welcome/?next=%2Fme%2Frecommended%2F")


def test_search_outage_is_a_message_not_an_error(web, streamer, catalog, monkeypatch):
    def down(**kwargs):
        raise SearchUnavailable("down")

    monkeypatch.setattr("search.selectors.product_matches", down)
    response = web.as_user(streamer.user).get("/me/recommended/")
    assert response.status_code == 200
    assert "Search is temporarily unavailable; try again in a minute." in html(response)


@pytest.mark.parametrize("extra", [0, 8])
def test_recommended_query_count_does_not_grow(web, streamer, catalog, extra, django_assert_max_num_queries):
    far = catalog["B"].factory
    for n in range(extra):
        product(f"面膜{n}", factory=far, category="facial-masks", price="40.00", moq=100)
    index_all()
    # session, user, profile, its categories; per kind: category expansion, two matching reads
    # (+ document categories for factories), the rows, their images / categories
    client = web.as_user(streamer.user)
    with django_assert_max_num_queries(16):  # + the header's unread count
        response = client.get("/me/recommended/")
    assert len(titles(html(response))) == min(3 + extra, 12)


# ---- factory ---------------------------------------------------------------------------------


def test_verified_factory_sees_fitting_streamers_with_reasons(web, api, streamer, catalog):
    # given
    makers.BuyerMaker(display_name="茶叶主播", categories=["tea"], province="福建")
    index_all()
    owner = catalog["A"].factory.owner
    api_rows = api.as_user(owner).get("/api/v1/matches/buyers/").json()
    # when
    response = web.as_user(owner).get("/me/fit/")
    # then
    assert response.status_code == 200
    page = html(response)
    assert re.findall(r"<h2>([^<]+)</h2>", page) == [row["buyer"]["display_name"] for row in api_rows]
    assert re.findall(r"<h2>([^<]+)</h2>", page) == ["小鹿主播", "茶叶主播"]
    assert reasons_per_match(page) == [row["reasons"] for row in api_rows]
    assert "Sells about 500 units per session ≥ your smallest MOQ 200" in reasons_per_match(page)[0]
    assert "Douyin (抖音) @h" in page
    assert "120000 followers" in page


def test_unverified_factory_is_told_why_and_sees_no_streamer(web, streamer):
    pending = makers.FactoryMaker(verification_status=VerificationStatus.PENDING)
    index_all()
    response = web.as_user(pending.owner).get("/me/fit/")
    assert response.status_code == 200
    page = html(response)
    assert "Your factory must be verified before you can see matching streamers." in page
    assert "小鹿主播" not in page


@pytest.mark.parametrize("extra", [0, 8])
def test_fit_query_count_does_not_grow(web, streamer, catalog, extra, django_assert_max_num_queries):
    for _ in range(extra):
        makers.BuyerMaker(categories=["facial-masks"])
    index_all()
    owner = catalog["A"].factory.owner
    # session, user, factory, its categories, product stats, category expansion, two matching reads,
    # document categories, buyers, channels, categories
    client = web.as_user(owner)
    with django_assert_max_num_queries(13):  # + the header's unread count
        response = client.get("/me/fit/")
    assert html(response).count('class="match"') == 1 + extra


def test_dashboard_links_to_the_workspace_pages(web, streamer, catalog):
    factory_page = html(web.as_user(catalog["A"].factory.owner).get("/me/"))
    assert 'href="/me/products/"' in factory_page
    assert 'href="/me/products/new/"' in factory_page
    assert 'href="/me/fit/"' in factory_page
    streamer_page = html(web.as_user(streamer.user).get("/me/"))
    assert 'href="/me/recommended/"' in streamer_page
    assert 'href="/me/fit/"' not in streamer_page
