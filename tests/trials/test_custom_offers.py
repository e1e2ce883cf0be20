"""Open custom requests are offered to the factories the search matching ranks best (search/matching_custom.py).

Nothing here is indexed: offers are computed from the live rows, so the crafted factories count at once.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from factories.models import FactoryTier, VerificationStatus
from marketplace.core.models import Event
from marketplace.notifications.models import Notification
from marketplace.notifications.services import notification_settings_set
from tests import makers
from trials.models import CustomRequest, CustomRequestOffer
from trials.services import custom


def _maker(*, price=None, moq=100, category="facial-masks", **fields):
    """A factory with one active product (its price range and smallest MOQ feed the fit)."""
    factory = makers.FactoryMaker(**{"customization": "odm", "categories": [category], **fields})
    if price is not None:
        makers.ProductMaker(factory=factory, category=makers.category(category), factory_price=price, moq=moq)
    return factory


def _record(conversion, returns, response, trials=10):
    """A trial record as its counts: `trials` reported and decided trials of 100 units each, the
    given shares converted and returned, and the given share of 20 requests answered."""
    answered = round(Decimal(response) * 20)
    return {
        "trials_reported": trials,
        "trials_decided": trials,
        "trials_converted": round(Decimal(conversion) * trials),
        "units_sold": 100 * trials,
        "units_returned": round(Decimal(returns) * 100 * trials),
        "requests_answered": answered,
        "requests_expired": 20 - answered,
    }


@pytest.fixture
def market(db):
    """A request for facial masks at ¥10 a unit (band ¥8–12), 1,000 units, from a streamer in 浙江."""
    made = {}
    # Created before C so that only the region, not the id, can put it after C.
    made["D other province"] = _maker(price=Decimal("11.00"), moq=1000, category="beauty", province="广东")
    made["G misses price and MOQ"] = _maker(price=Decimal("40.00"), moq=5000, tier=FactoryTier.SUPER)
    made["F misses MOQ"] = _maker(price=Decimal("10.00"), moq=5000, **_record("0.5", "0.05", "0.9"))
    made["E misses price"] = _maker(
        price=Decimal("30.00"), moq=100, tier=FactoryTier.SUPER, **_record("0.5", "0.05", "0.9")
    )
    made["C parent category"] = _maker(price=Decimal("11.00"), moq=1000, category="beauty")
    made["B good record"] = _maker(price=Decimal("9.00"), moq=800, **_record("0.5", "0.05", "0.9"))
    made["A super"] = _maker(
        price=Decimal("10.00"), moq=500, tier=FactoryTier.SUPER, **_record("0.5", "0.05", "0.9")
    )
    # Never offered, however good they look:
    best = {"price": Decimal("10.00"), "moq": 100, "tier": FactoryTier.SUPER, **_record("0.9", "0", "1")}
    made["x no customization"] = _maker(**{**best, "customization": "none"})
    made["x pending"] = _maker(**best, verification_status=VerificationStatus.PENDING)
    made["x rejected"] = _maker(**best, verification_status=VerificationStatus.REJECTED)
    made["x sibling category"] = _maker(**{**best, "category": "skincare"})
    made["x other trade"] = _maker(**{**best, "category": "snacks"})
    return made


def _create(buyer, **extra):
    data = {
        "title": "便携涂抹式睡眠面膜",
        "requirements": "20 条独立包装",
        "category": "facial-masks",
        "target_unit_price": Decimal("10.00"),
        "quantity": 1000,
        "deadline": timezone.now() + timedelta(days=7),
        **extra,
    }
    return custom.custom_request_create(actor=buyer.user, data=data)


def _offered(request):
    return list(CustomRequestOffer.objects.filter(request=request).order_by("rank"))


def test_offered_set_and_order_follow_the_fit(buyer, market):
    # when
    request = _create(buyer)
    # then
    names = {f.pk: name for name, f in market.items()}
    assert [names[o.factory_id] for o in _offered(request)] == [
        "A super",
        "B good record",
        "C parent category",
        "D other province",
        "E misses price",
        "F misses MOQ",
        "G misses price and MOQ",
    ]
    assert [o.rank for o in _offered(request)] == list(range(7))


def test_notifications_go_exactly_to_the_offered_factories(buyer, market):
    # when
    request = _create(buyer)
    # then
    offered_owners = sorted(o.factory.owner_id for o in _offered(request))
    notified = sorted(
        Notification.objects.filter(kind="custom.offered").values_list("recipient_id", flat=True)
    )
    assert notified == offered_owners
    assert len(notified) == 7
    event = Event.objects.get(verb="custom.requested")
    assert event.data["offered"] == [o.factory_id for o in _offered(request)]


def test_reasons_and_score_are_recorded_in_the_streamers_language(buyer, market):
    # given
    notification_settings_set(user=buyer.user, language="en")
    # when
    request = _create(buyer)
    # then
    offers = {o.factory_id: o for o in _offered(request)}
    best = offers[market["A super"].pk]
    assert best.reasons == [
        "Shares your categories",
        "Its prices (¥10) are close to your target price (¥8–12)",
        "Smallest MOQ 500 ≤ the 1000 units you asked for",
        "Customizable, as you need",
        "Super factory",
        "10 trials, 50 of 1,000 units returned, 5 turned into bulk orders",
        "Answers 90% of requests",
        "In 浙江, like you",
    ]
    # record 0.7005 (tests/search/test_outcomes.py has the arithmetic), quality 0.05 + 0.95 × 0.7005
    # = 0.7155, + 0.05 region → (0.7655 / 1.05 + 4 rules met) / 5
    assert best.score == 94.6
    worst = offers[market["G misses price and MOQ"].pk]
    assert worst.reasons == [
        "Shares your categories",
        "Its prices (¥40) are far from your target price (¥8–12)",
        "Smallest MOQ 5000 > the 1000 units you asked for",
        "Customizable, as you need",
        "Super factory",
        "No trial record yet",
        "In 浙江, like you",
    ]
    other_province = offers[market["D other province"].pk]
    assert "Its prices (¥11) are close to your target price (¥8–12)" in other_province.reasons
    assert not any(r.startswith("In ") for r in other_province.reasons)


def test_reasons_default_to_chinese(buyer, market):
    # when (no language preference: the site language, zh-hans)
    request = _create(buyer)
    # then
    best = _offered(request)[0]
    assert best.reasons[:3] == [
        "与你的类目相同",
        "其价格（¥10）接近你的目标单价（¥8–12）",
        "最低起订量 500 ≤ 你需要的 1000 件",
    ]


def test_without_a_target_price_the_streamers_own_band_is_used(buyer, market):
    # given: the streamer's band is ¥20–80 (BuyerMaker), so only E (¥30) and G (¥40) fit on price
    notification_settings_set(user=buyer.user, language="en")
    # when
    request = _create(buyer, target_unit_price=None)
    # then
    names = {f.pk: name for name, f in market.items()}
    assert [names[o.factory_id] for o in _offered(request)] == [
        "E misses price",  # fits price and MOQ now
        "A super",  # the rest miss one point (A–D price, G MOQ), by quality + region
        "B good record",  # 0.95 × 0.7005 = 0.665
        "G misses price and MOQ",  # super factory without a record: 0.05 + 0.95 × 0.588 = 0.609
        "C parent category",
        "D other province",
        "F misses MOQ",  # misses price and MOQ now
    ]
    assert _offered(request)[0].reasons[1] == "Prices ¥30 overlap your price band ¥20–80"


def test_offers_stop_at_the_top_twenty(buyer):
    # given: 22 fitting factories, differing only in their conversion rate
    factories = [
        _maker(price=Decimal("10.00"), **_record(f"0.{n:02d}", "0.1", "0.5", trials=100))
        for n in range(1, 23)
    ]
    # when
    request = _create(buyer)
    # then: the two weakest records are left out, the rest are ranked strongest first
    assert [o.factory_id for o in _offered(request)] == [f.pk for f in reversed(factories[2:])]
    assert custom.MAX_OFFERS == 20
    assert Notification.objects.filter(kind="custom.offered").count() == 20


def test_directed_request_has_no_offers(buyer, market):
    # when
    request = _create(buyer, factory=market["C parent category"].pk)
    # then
    assert _offered(request) == []
    assert list(
        Notification.objects.filter(kind="custom.offered").values_list("recipient_id", flat=True)
    ) == [market["C parent category"].owner_id]


def test_open_request_with_no_fitting_factory_is_still_created(buyer, market):
    # when: nobody customizes in this trade
    request = _create(buyer, category="tea")
    # then
    assert CustomRequest.objects.filter(pk=request.pk).exists()
    assert _offered(request) == []
    assert Notification.objects.filter(kind="custom.offered").count() == 0


def test_the_streamer_sees_whom_the_request_went_to_and_why_factories_do_not(buyer, market, api):
    # given
    request = _create(buyer)
    offers = _offered(request)
    # when
    mine = api.as_user(buyer.user).get(f"/api/v1/custom-requests/{request.pk}/").json()
    theirs = api.as_user(market["A super"].owner).get(f"/api/v1/custom-requests/{request.pk}/").json()
    # then
    assert mine["offers"] == [
        {
            "factory": o.factory_id,
            "factory_name": o.factory.name,
            "rank": o.rank,
            "score": o.score,
            "reasons": o.reasons,
        }
        for o in offers
    ]
    assert [o["factory"] for o in mine["offers"][:2]] == [market["A super"].pk, market["B good record"].pk]
    assert theirs["offers"] == []


def test_the_request_page_lists_the_offered_factories_with_their_reasons(buyer, market, client):
    # given
    request = _create(buyer)
    best = _offered(request)[0]
    client.force_login(buyer.user)
    # when
    page = client.get(f"/me/custom/{request.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # then
    assert 'id="offers"' in page
    assert all(reason in page for reason in best.reasons)
    assert market["x pending"].name not in page
