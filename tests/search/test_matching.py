"""Two-way matching on the database backend: exact order for a crafted catalog, scores and reasons."""

from decimal import Decimal

import pytest

from factories.models import FactoryTier, Product
from tests import makers
from tests.search.conftest import index_all, product


@pytest.fixture
def streamer(db):
    return makers.BuyerMaker(
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
        # 5 trials: 50 of 1,000 units returned, 2 of them bulk orders; 10 of 11 requests answered
        trials_reported=5,
        trials_decided=5,
        trials_converted=2,
        units_sold=1000,
        units_returned=50,
        average_rating=Decimal("4.60"),
        requests_answered=10,
        requests_expired=1,
        median_response_hours=Decimal("3.0"),
        categories=["facial-masks"],
    )
    near = makers.FactoryMaker(name="广州面膜厂", province="广东", categories=["facial-masks"])
    far = makers.FactoryMaker(name="浙江护肤厂", province="浙江", categories=["beauty"])
    rows = {
        "A": product("A 补水面膜", factory=star, category="facial-masks", price="38.00", moq=200),
        "B": product("B 清洁面膜", factory=far, category="facial-masks", price="45.00", moq=300),
        "C": product("C 睡眠面膜", factory=near, category="facial-masks", price="50.00", moq=100),
        "D": product("D 贵妇面膜", factory=star, category="facial-masks", price="95.00", moq=100),
        "E": product("E 精华水", factory=far, category="skincare", price="40.00", moq=100),
        "F": product("F 大批量面膜", factory=near, category="facial-masks", price="99.00", moq=2000),
    }
    index_all()
    return rows


def test_products_rank_fitting_first_then_by_quality_and_region(api, streamer, catalog):
    # when
    response = api.as_user(streamer.user).get("/api/v1/matches/products/")
    # then: A (super, 广东) › C (广东) › B; then one miss: D (price, super) › E (category); F misses two
    assert response.status_code == 200
    body = response.json()
    assert [row["product"]["title"][0] for row in body] == ["A", "C", "B", "D", "E", "F"]
    assert [row["score"] for row in body] == [93.0, 89.5, 88.3, 68.0, 63.3, 39.5]


def test_reasons_say_why_in_words(api, streamer, catalog):
    # when
    body = api.as_user(streamer.user).get("/api/v1/matches/products/").json()
    # then
    assert body[0]["reasons"] == [
        "In a category you sell: Facial masks",
        "Price ¥38 is within your price band ¥30–60",
        "MOQ 200 ≤ your 500 units per session",
        "Super factory",
        "5 trials, 50 of 1,000 units returned, 2 turned into bulk orders",
        "Average trial rating 4.6 / 5",
        "Answers 91% of requests",
        "In 广东, like you",
    ]
    assert body[5]["reasons"] == [
        "In a category you sell: Facial masks",
        "Price ¥99 is outside your price band ¥30–60",
        "MOQ 2000 > your 500 units per session",
        "New factory, no trial record yet",
        "In 广东, like you",
    ]


def test_customization_is_a_hard_point_when_needed(api, streamer, catalog):
    # given
    streamer.needs_customization = True
    streamer.save(update_fields=["needs_customization"])
    Product.objects.filter(pk=catalog["B"].pk).update(customizable=True, search_index_dirty=True)
    index_all()
    # when
    body = api.as_user(streamer.user).get("/api/v1/matches/products/", {"limit": 2}).json()
    # then: B is the only product that fits every point now
    assert [row["product"]["title"][0] for row in body] == ["B", "A"]
    assert "Customizable, as you need" in body[0]["reasons"]
    assert "Not customizable, and you need customization" in body[1]["reasons"]


def test_factories_for_a_streamer(api, streamer, catalog):
    # when
    body = api.as_user(streamer.user).get("/api/v1/matches/factories/").json()
    # then: every factory has a mask in the band except the skincare one (its 45 is a mask too)
    assert [row["factory"]["name"] for row in body] == ["白云美妆超级工厂", "广州面膜厂", "浙江护肤厂"]
    assert body[0]["reasons"][:3] == [
        "Shares your categories",
        "Prices ¥38–95 overlap your price band ¥30–60",
        "Smallest MOQ 100 ≤ your 500 units per session",
    ]


def test_streamers_for_a_factory(api, catalog, streamer):
    # given: a second streamer who sells only tea, and one who needs customization
    tea = makers.BuyerMaker(categories=["tea"], province="福建")
    custom = makers.BuyerMaker(categories=["beauty"], needs_customization=True, province="浙江")
    index_all()
    star = catalog["A"].factory
    star.customization = "none"
    star.save(update_fields=["customization"])
    # when
    body = api.as_user(star.owner).get("/api/v1/matches/buyers/").json()
    # then: both others miss one point and are equal otherwise: the older profile first
    assert [row["buyer"]["id"] for row in body] == [streamer.pk, tea.pk, custom.pk]
    assert body[1]["reasons"][0] == "No category in common with you"
    assert body[2]["reasons"][-3:] == [
        "Needs customization, which you do not offer",
        "120,000 followers",
        "New streamer, no trial record yet",
    ]
    assert body[0]["reasons"][:3] == [
        "Shares your categories",
        "Their price band ¥30–60 overlaps your prices ¥38–95",
        "Sells about 500 units per session ≥ your smallest MOQ 100",
    ]


def test_only_streamers_match_products_and_limit_is_bounded(api, streamer, catalog, factory_user):
    # then
    assert api.as_user(factory_user).get("/api/v1/matches/products/").status_code == 403
    assert api.as_user(None).get("/api/v1/matches/products/").status_code == 401
    response = api.as_user(streamer.user).get("/api/v1/matches/products/", {"limit": 51})
    assert response.status_code == 400
    assert response.json() == {"limit": ["Ensure this value is less than or equal to 50."]}
    assert len(api.as_user(streamer.user).get("/api/v1/matches/products/", {"limit": 2}).json()) == 2


def test_streamer_without_profile_and_unverified_factory(api, buyer_user, db):
    # given
    pending = makers.FactoryMaker(verification_status="pending")
    # then
    response = api.as_user(buyer_user).get("/api/v1/matches/products/")
    assert response.status_code == 400
    assert response.json() == {"detail": "Create your streamer profile first (POST /api/v1/buyers/)."}
    response = api.as_user(pending.owner).get("/api/v1/matches/buyers/")
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Your factory must be verified before you can see matching streamers."
    }


def test_reasons_in_the_streamers_language(api_zh, streamer, catalog):
    # when
    body = api_zh.as_user(streamer.user).get("/api/v1/matches/products/", {"limit": 1}).json()
    # then
    assert body[0]["reasons"][:4] == [
        "属于你带货的类目：面膜",
        "价格 ¥38 在你的客单价区间 ¥30–60 内",
        "起订量 200 ≤ 你的单场销量 500 件",
        "超级工厂",
    ]


def test_a_band_whose_ends_are_equal_reads_as_one_price():
    from marketplace.money import format_cny_range

    assert (
        format_cny_range("30", "30.00"),
        format_cny_range("30", "60"),
        format_cny_range("12.5", "20"),
    ) == ("¥30", "¥30–60", "¥12.50–20")
