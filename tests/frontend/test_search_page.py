"""GET /search/: the page around the API's product and factory search (same selector, same rows)."""

from decimal import Decimal

import pytest

from factories.models import FactoryTier, IndustrialBelt
from search.backends import reset_backends
from search.indexing import MODELS, index_dirty
from tests import makers
from tests.frontend.helpers import html

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_backends():
    reset_backends()
    yield
    reset_backends()


def index_all() -> None:
    for kind in MODELS:
        index_dirty(kind)


def listing(title, factory, category, price, moq, **kw):
    return makers.ProductMaker(
        title=title,
        factory=factory,
        category=makers.category(category),
        factory_price=Decimal(price),
        moq=moq,
        description="",
        **kw,
    )


@pytest.fixture
def catalog():
    beauty = makers.FactoryMaker(
        name="白云美妆厂",
        province="广东",
        city="广州",
        industrial_belt=IndustrialBelt.objects.get(slug="guangzhou-baiyun-cosmetics"),
        tier=FactoryTier.SUPER,
        categories=["beauty"],
    )
    ceramics = makers.FactoryMaker(
        name="景德镇瓷工坊",
        province="江西",
        city="景德镇",
        industrial_belt=IndustrialBelt.objects.get(slug="jingdezhen-ceramics"),
        categories=["ceramics"],
    )
    audio = makers.FactoryMaker(name="深圳声学科技", province="广东", city="深圳", categories=["digital"])
    rows = {
        "mask": listing("补水睡眠面膜", beauty, "facial-masks", "38.00", 200),
        "mask2": listing("玻尿酸面膜 10片装", beauty, "facial-masks", "55.00", 500, customizable=True),
        "cream": listing("保湿面霜", beauty, "skincare", "88.00", 100),
        "bowl": listing("青花瓷饭碗", ceramics, "tableware", "12.00", 300),
        "buds": listing("TWS蓝牙耳机", audio, "earphones-speakers", "45.00", 300, trial_eligible=False),
    }
    index_all()
    return rows


def titles(response) -> list[str]:
    return [row["title"] for row in response.context["rows"]]


def facet(response, name) -> list[tuple[str, int]]:
    return [(v.key, v.count) for v in getattr(response.context["facets"], name)]


def test_keyword_search_in_chinese_finds_exactly_the_matching_products(web, catalog):
    # when
    response = web.get("/search/", {"q": "面膜", "sort": "price"})
    # then
    assert response.status_code == 200
    assert titles(response) == ["补水睡眠面膜", "玻尿酸面膜 10片装"]
    assert response.context["count"] == 2
    page = html(response)
    assert "2 results for “面膜”" in page
    assert "¥38.00" in page and "Trial ¥19.00" in page  # the API's trial_unit_price
    # the header's search box shows the query it ran
    assert 'id="header-q" name="q" type="search" maxlength="200" value="面膜"' in page


def test_page_rows_are_the_api_rows_in_the_api_order(web, api, catalog):
    # given
    query = {"q": "面", "sort": "-price"}
    # when
    page = web.get("/search/", query)
    answer = api.get("/api/v1/search/products/", query)
    # then
    assert [r["id"] for r in page.context["rows"]] == [r["id"] for r in answer.json()["results"]]
    assert page.context["count"] == answer.json()["count"]


def test_facet_counts_are_exact_without_filters(web, catalog):
    # when
    response = web.get("/search/")
    # then: top categories sum their children; belts by name; no-belt factories are not a value
    assert response.context["count"] == 5
    assert facet(response, "category") == [
        ("beauty", 3),
        ("ceramics", 1),
        ("digital", 1),
    ]
    assert facet(response, "province") == [("广东", 4), ("江西", 1)]
    assert facet(response, "industrial_belt") == [
        ("guangzhou-baiyun-cosmetics", 3),
        ("jingdezhen-ceramics", 1),
    ]
    belt = response.context["facets"].industrial_belt[0]
    assert belt.label == IndustrialBelt.objects.get(slug="guangzhou-baiyun-cosmetics").display_name
    assert f'{belt.label} <span class="count">3</span>' in html(response)


def test_choosing_a_top_category_shows_its_children_with_counts(web, catalog):
    # when
    response = web.get("/search/", {"category": "beauty"})
    # then
    assert sorted(titles(response)) == sorted(["补水睡眠面膜", "玻尿酸面膜 10片装", "保湿面霜"])
    beauty = response.context["facets"].category[0]
    assert (beauty.key, beauty.selected) == ("beauty", True)
    assert [(c.key, c.count) for c in beauty.children] == [("facial-masks", 2), ("skincare", 1)]
    # the category facet still counts the other categories (each facet ignores its own filter)
    assert facet(response, "category") == [("beauty", 3), ("ceramics", 1), ("digital", 1)]
    # the other facets are narrowed by the category
    assert facet(response, "province") == [("广东", 3)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"province": "广东"}, ["补水睡眠面膜", "TWS蓝牙耳机", "玻尿酸面膜 10片装", "保湿面霜"]),
        ({"province": "广东", "category": "facial-masks"}, ["补水睡眠面膜", "玻尿酸面膜 10片装"]),
        ({"industrial_belt": "jingdezhen-ceramics"}, ["青花瓷饭碗"]),
        ({"price_min": "40", "price_max": "90"}, ["TWS蓝牙耳机", "玻尿酸面膜 10片装", "保湿面霜"]),
        ({"moq_max": "200"}, ["补水睡眠面膜", "保湿面霜"]),
        ({"customizable": "true"}, ["玻尿酸面膜 10片装"]),
        ({"trial_eligible": "true"}, ["青花瓷饭碗", "补水睡眠面膜", "玻尿酸面膜 10片装", "保湿面霜"]),
        ({"verified_only": "true", "q": "耳机"}, ["TWS蓝牙耳机"]),
        ({"q": "面膜", "province": "江西"}, []),
    ],
)
def test_each_filter_narrows_to_exactly_these_products(web, catalog, query, expected):
    # when
    response = web.get("/search/", {**query, "sort": "price"})
    # then
    assert response.status_code == 200
    assert titles(response) == expected
    assert response.context["count"] == len(expected)


def test_facet_counts_follow_the_other_filters(web, catalog):
    # when
    response = web.get("/search/", {"province": "广东", "price_max": "50"})
    # then: 38 (mask) and 45 (buds) pass; the province facet counts what passes the price filter
    assert sorted(titles(response)) == ["TWS蓝牙耳机", "补水睡眠面膜"]
    assert facet(response, "province") == [("广东", 2), ("江西", 1)]
    assert facet(response, "category") == [("beauty", 1), ("digital", 1)]


def test_facet_links_keep_the_other_filters_and_restart_at_page_one(web, catalog):
    # when
    response = web.get("/search/", {"q": "面膜", "price_max": "60", "page": "1"})
    # then
    province = response.context["facets"].province[0]
    assert province.url == "?q=%E9%9D%A2%E8%86%9C&province=%E5%B9%BF%E4%B8%9C&price_max=60"
    chips = {c["name"]: c["url"] for c in response.context["facets"].chosen}
    assert chips["Max price"] == "?q=%E9%9D%A2%E8%86%9C"  # removing one filter keeps the rest


def test_pagination_keeps_the_filters(web):
    # given: 30 cheap storage boxes and one expensive one
    factory = makers.FactoryMaker()
    for n in range(30):
        listing(f"收纳盒{n:02d}", factory, "storage", f"{10 + n}.00", 100)
    listing("收纳柜", factory, "storage", "500.00", 100)
    index_all()
    query = {"category": "storage", "price_max": "100", "sort": "price"}
    # when
    first = web.get("/search/", query)
    second = web.get("/search/" + first.context["next"])
    # then
    assert first.context["next"] == "?category=storage&price_max=100&sort=price&page=2"
    assert titles(first) == [f"收纳盒{n:02d}" for n in range(24)]
    assert titles(second) == [f"收纳盒{n:02d}" for n in range(24, 30)]
    assert second.context["next"] is None
    assert second.context["previous"] == "?category=storage&price_max=100&sort=price&page=1"
    assert 'href="/search/?category=storage&amp;price_max=100&amp;sort=price&amp;page=2" rel="next"' in html(
        first
    )
    assert "Page 2 of 2" in html(second)


@pytest.mark.parametrize(
    ("query", "ignored"),
    [
        ({"price_min": "-5"}, ["Min price"]),
        ({"price_max": "1e40"}, ["Max price"]),
        ({"price_max": "99999999999999999999"}, ["Max price"]),
        ({"price_min": "abc", "moq_max": "-1"}, ["Min price", "MOQ up to"]),
        ({"moq_max": "ten"}, ["MOQ up to"]),
        ({"customizable": "maybe"}, ["Customizable"]),
        ({"sort": "cheapest"}, ["Sort"]),
        ({"category": "no-such-category"}, []),
        ({"category": "12345"}, []),
        ({"industrial_belt": "../../etc"}, ["Industrial belt"]),
        ({"province": "省" * 100}, ["Province or region"]),
        ({"page": "abc"}, []),
        ({"page": "-3"}, []),
        ({"page": "99999"}, []),
        ({"page": "1" * 40}, []),
        ({"q": "面膜\x00\x07"}, []),
        ({"q": "面" * 5000}, []),
        ({"tab": "users"}, []),
    ],
)
def test_bad_query_parameters_never_fail_the_page(web, catalog, query, ignored):
    # when
    response = web.get("/search/", query)
    # then
    assert response.status_code == 200
    assert response.context["ignored"] == ignored
    if ignored:
        assert "Some filters in the link were not valid and were left out: " + ", ".join(ignored) in html(
            response
        )


def test_moq_past_any_integer_column_never_fails_the_page(web, catalog):
    # when: whether the API's serializer bounds it or the database compares it, no error page
    response = web.get("/search/", {"moq_max": "9" * 30, "sort": "price"})
    # then
    assert response.status_code == 200
    assert response.context["count"] == 5


def test_a_page_past_the_end_shows_the_last_page(web, catalog):
    # when
    response = web.get("/search/", {"page": "99999", "q": "面膜"})
    # then
    assert response.context["req"].page == 1
    assert sorted(titles(response)) == ["玻尿酸面膜 10片装", "补水睡眠面膜"]


def test_control_characters_are_removed_from_the_query(web, catalog):
    # when
    response = web.get("/search/", {"q": "面\x00膜\x1b"})
    # then
    assert response.context["req"].params.q == "面膜"
    assert response.context["count"] == 2


def test_unknown_category_finds_nothing(web, catalog):
    # when
    response = web.get("/search/", {"category": "no-such-category"})
    # then
    assert titles(response) == []
    assert "No product matches these filters." in html(response)


def test_factory_tab_searches_factories_with_the_same_filters(web, catalog):
    # when
    response = web.get("/search/", {"tab": "factories", "province": "广东", "sort": "newest"})
    # then
    assert [f.name for f in response.context["rows"]] == ["深圳声学科技", "白云美妆厂"]
    assert facet(response, "province") == [("广东", 2), ("江西", 1)]
    page = html(response)
    assert 'href="/factories/' in page
    # the tab links keep the filters
    assert response.context["tabs"]["products"] == "?province=%E5%B9%BF%E4%B8%9C&sort=newest"


def test_search_page_speaks_chinese(web_zh, catalog):
    # when
    response = web_zh.get("/search/", {"q": "面膜"})
    # then
    page = html(response)
    assert '<html lang="zh-hans">' in page
    assert "“面膜”共 2 个结果" in page
    assert "美妆个护" in page
    assert "价格从低到高" in page


def test_signed_in_search_shows_the_bell(web, catalog, buyer):
    # when
    response = web.as_user(buyer.user).get("/search/", {"q": "面膜"})
    # then
    assert response.status_code == 200
    assert 'href="/me/notifications/"' in html(response)


@pytest.mark.parametrize("signed_in", [False, True])
def test_search_page_query_count_does_not_grow_with_results(
    web, catalog, buyer, signed_in, django_assert_max_num_queries
):
    # given: the search's own statements (ids + counts in one, plus the names of facet
    # combinations it has not seen yet), the two reads of the rows (products, images), the
    # category and belt names; signed in: session, user and the bell too
    if signed_in:
        web.as_user(buyer.user)
    web.get("/search/", {"q": "面膜"})  # warm the process-wide facet-combination names
    # then
    with django_assert_max_num_queries(9 if signed_in else 6):
        response = web.get("/search/", {"q": "面", "province": "广东"})
    assert response.context["count"] == 3


def test_search_backend_down_is_a_friendly_503_page(web, monkeypatch):
    # given
    from search import selectors
    from search.backends import SearchUnavailable

    def down(**kwargs):
        raise SearchUnavailable("cluster down")

    monkeypatch.setattr(selectors, "product_search", down)
    # when
    response = web.get("/search/", {"q": "面膜"})
    # then
    assert response.status_code == 503
    assert "Search is temporarily unavailable; try again in a minute." in html(response)


def test_factory_tab_category_facet_counts_children_and_shows_tops_without_a_number(web, catalog):
    # given: the factories name top categories; one more names two children of the same top
    makers.FactoryMaker(name="双品类工厂", province="浙江", categories=["facial-masks", "skincare"])
    index_all()
    # when
    response = web.get("/search/", {"tab": "factories", "category": "beauty"})
    # then
    tree = {
        v.key: (v.count, [(c.key, c.count) for c in v.children]) for v in response.context["facets"].category
    }
    assert tree["beauty"] == (None, [("facial-masks", 1), ("skincare", 1)])
    assert tree["ceramics"] == (None, [])
    assert sorted(f.name for f in response.context["rows"]) == ["双品类工厂", "白云美妆厂"]


# ---- price, MOQ and yes/no facets -----------------------------------------------------------------


def test_price_moq_and_yes_no_facets_show_their_counts(web, catalog):
    # when
    response = web.get("/search/")
    # then
    assert facet(response, "price") == [("0-20", 1), ("20-50", 2), ("50-100", 2)]
    assert facet(response, "moq") == [("100", 1), ("500", 5), ("1000", 5), ("5000", 5)]
    assert facet(response, "flags") == [("customizable", 1), ("trial_eligible", 4), ("verified_only", 5)]
    page = response.content.decode()
    price = page[page.index('id="facet-price"') :]
    assert '¥20–50 <span class="count">2</span>' in price[: price.index("</ul>")]


def test_a_price_range_link_sets_both_ends_and_keeps_the_other_filters(web, catalog):
    # given: a keyword and a province in force
    first = web.get("/search/", {"q": "面", "province": "广东"})
    (range_20_50,) = [v for v in first.context["facets"].price if v.key == "20-50"]
    # when
    response = web.get("/search/" + range_20_50.url)
    # then
    assert range_20_50.url == "?q=%E9%9D%A2&province=%E5%B9%BF%E4%B8%9C&price_min=20.00&price_max=49.99"
    assert titles(response) == ["补水睡眠面膜"]
    assert [v.key for v in response.context["facets"].price if v.selected] == ["20-50"]


def test_a_chosen_yes_no_facet_links_to_its_removal(web, catalog):
    response = web.get("/search/", {"customizable": "true"})
    (custom,) = [v for v in response.context["facets"].flags if v.key == "customizable"]
    assert (custom.selected, custom.count, custom.url) == (True, 1, "?")
    assert titles(response) == ["玻尿酸面膜 10片装"]
    # the trial flag still counts within the customizable ones
    assert ("trial_eligible", 1) in facet(response, "flags")


def test_range_facets_in_chinese(web_zh, catalog):
    page = web_zh.get("/search/").content.decode()
    assert "出厂价" in page and "起订量" in page
    assert "¥20 以下" in page and "起订量不超过 500 件" in page


def test_factories_tab_has_no_product_range_facets(web, catalog):
    response = web.get("/search/", {"tab": "factories"})
    assert (response.context["facets"].price, response.context["facets"].moq) == ([], [])


def test_counts_past_the_cap_show_as_a_lower_bound(web, catalog, settings):
    # given: five products, counted exactly up to three (issue 16: "5,000+" on a real catalog)
    settings.SEARCH_COUNT_CAP = 3
    # when
    response = web.get("/search/")
    # then
    assert (response.context["count_exact"], response.context["facets_exact"]) == (False, False)
    page = html(response)
    assert '<h1 class="results-count">3+ results</h1>' in page
    assert (
        '<p class="muted facet-note" id="facets-sampled">Counts from a sample of about 3 results.</p>' in page
    )
    assert "Only the first 3 results can be paged through; narrow the search." in page
    assert len(titles(response)) == 5  # the page itself is whole: only counting stops at the cap


def test_counts_under_the_cap_are_exact_and_unmarked(web, catalog, settings):
    # given
    settings.SEARCH_COUNT_CAP = 3
    # when
    response = web.get("/search/", {"q": "面膜"})
    # then
    page = html(response)
    assert "2 results for “面膜”" in page
    assert "+ results" not in page
    assert 'id="facets-sampled"' not in page
    assert 'id="cap-note"' not in page


def test_the_lower_bound_speaks_chinese(web_zh, catalog, settings):
    # given
    settings.SEARCH_COUNT_CAP = 3
    # when
    page = html(web_zh.get("/search/", {"category": "beauty"}))
    # then: three beauty products are not past the cap, but the facets (which count the other
    # categories too) read the first rows of all five
    assert "共 3 个结果" in page
    assert "数量按约 3 个结果的样本统计。" in page
    assert "只能翻阅前" not in page
    # when
    page = html(web_zh.get("/search/"))
    # then
    assert "共 3+ 个结果" in page
    assert "数量按约 3 个结果的样本统计。" in page
    assert "只能翻阅前 3 条结果；请缩小搜索范围。" in page
