"""Matching learns from trial outcomes: records shrunk towards the prior, a bad record below none.

The arithmetic is checked by hand below; the market tests make every record through the trials
services (tests/search/records.py) and read the order, the reasons and the figures from the API.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from search.fit import outcomes
from search.fit.outcomes import Prior, buyer_outcome, factory_outcome, factory_quality, shrink
from search.models import ProductDocument
from tests import makers
from tests.search.conftest import index_all
from tests.search.records import NO_RECORD, SOLD_OUT, Outcome, mask_streamer, record_market, trial_history
from trials.models import CustomRequestOffer
from trials.services import custom

# The figures of tests/search/records.py's factories, as their documents carry them.
NEW = {}
BAD = {  # 3 trials of 50: 25 sold, 10 returned (40%), rated 2, none converted; answered at once
    "trials": 3,
    "decided": 3,
    "bulk_orders": 0,
    "units_sold": 75,
    "units_returned": 30,
    "average_rating": 2.0,
    "requests_answered": 3,
    "requests_expired": 0,
    "median_response_hours": 0.0,
}
GOOD = BAD | {"bulk_orders": 2, "units_sold": 150, "units_returned": 0, "average_rating": 5.0}


# ---- the arithmetic --------------------------------------------------------------------------
def test_a_bayesian_average_moves_from_the_prior_towards_the_evidence_as_it_grows():
    prior = Prior(0.15, 3)
    assert shrink(0, 0, prior) == pytest.approx(0.15)  # no evidence: the prior
    assert shrink(1.2, 3, prior) == pytest.approx((1.2 + 0.45) / 6)  # 3 trials at 40%: halfway, 0.275
    assert shrink(12, 30, prior) == pytest.approx((12 + 0.45) / 33)  # 30 trials: 0.377, nearly 0.4


def test_a_new_factory_sits_exactly_at_the_prior():
    result = factory_outcome(NEW)
    assert result.estimates == {
        "return_rate": pytest.approx(0.15),
        "conversion_rate": pytest.approx(0.30),
        "rating": pytest.approx(4.0),
        "response_rate": pytest.approx(0.80),
        "speed": pytest.approx(0.50),
    }
    # 0.4 × (1 − 0.15/0.5) + 0.3 × 0.3 + 0.2 × (4 − 1)/4 + 0.1 × (0.6 × 0.8 + 0.4 × 0.5)
    assert result.score == pytest.approx(0.28 + 0.09 + 0.15 + 0.068)


def test_three_trials_with_40_percent_returns_sit_clearly_below_the_prior():
    result = factory_outcome(BAD)
    assert result.estimates == {
        "return_rate": pytest.approx((3 * 0.4 + 3 * 0.15) / 6),  # 0.275
        "conversion_rate": pytest.approx((0 + 3 * 0.3) / 6),  # 0.15
        "rating": pytest.approx((3 * 2 + 3 * 4) / 6),  # 3.0
        "response_rate": pytest.approx((3 + 5 * 0.8) / 8),  # 0.875
        "speed": pytest.approx((3 * 1.0 + 3 * 0.5) / 6),  # answered at once: 0.75
    }
    assert result.parts == {
        "returns": pytest.approx(1 - 0.275 / 0.5),
        "conversion": pytest.approx(0.15),
        "rating": pytest.approx(0.5),
        "responsiveness": pytest.approx(0.6 * 0.875 + 0.4 * 0.75),
    }
    assert result.score == pytest.approx(0.4 * 0.45 + 0.3 * 0.15 + 0.2 * 0.5 + 0.1 * 0.825)  # 0.4075
    assert factory_outcome(NEW).score - result.score > 0.15


def test_three_sold_out_trials_with_no_returns_sit_clearly_above_it():
    result = factory_outcome(GOOD)
    assert result.estimates["return_rate"] == pytest.approx(0.45 / 6)  # 0.075
    assert result.estimates["conversion_rate"] == pytest.approx((2 + 0.9) / 6)
    assert result.estimates["rating"] == pytest.approx((15 + 12) / 6)  # 4.5
    assert result.score == pytest.approx(0.4 * 0.85 + 0.3 * 2.9 / 6 + 0.2 * 0.875 + 0.1 * 0.825)  # 0.7425
    assert result.score - factory_outcome(NEW).score > 0.15


def test_the_super_badge_does_not_make_up_for_a_bad_record_nor_speed_for_returns():
    assert (
        factory_quality("super", BAD) < factory_quality("standard", NEW) < factory_quality("standard", GOOD)
    )
    assert factory_quality("super", BAD) == pytest.approx(0.05 + 0.95 * 0.4075)
    # answering every request at once does not lift goods that come back above a new factory
    fast_but_returned = BAD | {"requests_answered": 50, "average_rating": 3.0, "bulk_orders": 1}
    assert factory_quality("standard", fast_but_returned) < factory_quality("standard", NEW)


def test_trials_that_sold_nothing_say_nothing_about_returns():
    result = factory_outcome({"trials": 2, "decided": 2, "units_sold": 0, "average_rating": 1.0})
    assert result.estimates["return_rate"] == pytest.approx(0.15)
    assert result.estimates["conversion_rate"] == pytest.approx(0.9 / 5)  # 0 of 2 converted


def test_the_weights_order_the_parts_of_the_record():
    assert list(outcomes.FACTORY_WEIGHTS) == ["returns", "conversion", "rating", "responsiveness"]
    assert sorted(outcomes.FACTORY_WEIGHTS.values(), reverse=True) == list(outcomes.FACTORY_WEIGHTS.values())
    assert sum(outcomes.FACTORY_WEIGHTS.values()) == pytest.approx(1.0)
    assert sum(outcomes.BUYER_WEIGHTS.values()) == pytest.approx(1.0)


def test_a_streamers_record_shrinks_the_same_way():
    reliable = {"feedback_due": 3, "feedback_on_time": 3, "decided": 3, "bulk_orders": 2}
    late = {"feedback_due": 3, "feedback_on_time": 0, "decided": 3, "bulk_orders": 0}
    assert buyer_outcome({}).score == pytest.approx(0.4 * 0.7 + 0.4 * 0.3 + 0.2 * 0.3)  # 0.46
    assert buyer_outcome(reliable).score == pytest.approx(0.4 * 5.1 / 6 + 0.4 * 2.9 / 6 + 0.2 * 0.3)
    assert buyer_outcome(late).score == pytest.approx(0.4 * 2.1 / 6 + 0.4 * 0.9 / 6 + 0.2 * 0.3)


# ---- the crafted market, through the API ---------------------------------------------------------
@pytest.fixture
def market(db):
    made = record_market()
    index_all()
    return made


def _titles(body) -> list[str]:
    return [row["product"]["title"] for row in body]


def test_a_bad_record_ranks_below_no_record_even_with_the_super_badge(api, market):
    # when
    body = api.as_user(mask_streamer().user).get("/api/v1/matches/products/", {"limit": 4}).json()
    # then: equal on every hard point and region; the record alone orders them
    assert _titles(body) == ["good 面膜", "new 面膜", "super bad 面膜", "bad 面膜"]
    assert [row["score"] for row in body] == sorted((row["score"] for row in body), reverse=True)
    good, new, super_bad, bad = body
    assert good["reasons"][3:] == [
        "3 trials, 0 of 150 units returned, 2 turned into bulk orders",
        "Average trial rating 5.0 / 5",
        "Answers 100% of requests",
    ]
    assert new["reasons"][3:] == ["New factory, no trial record yet"]
    assert super_bad["reasons"][3:] == [
        "Super factory",
        "Trial return rate 40% (3 trials)",
        "Average trial rating 2.0 / 5",
        "Answers 100% of requests",
    ]
    assert bad["reasons"][3:] == super_bad["reasons"][4:]


def test_the_response_carries_the_figures_and_estimates_the_score_used(api, market):
    # when
    body = api.as_user(mask_streamer().user).get("/api/v1/matches/products/", {"limit": 4}).json()
    # then
    bad = body[3]["record"]
    assert bad == BAD | {
        "estimates": {
            "return_rate": 0.275,
            "conversion_rate": 0.15,
            "rating": 3.0,
            "response_rate": 0.875,
            "speed": 0.75,
        },
        "score": 0.4075,
    }
    assert body[1]["record"]["trials"] == 0
    assert body[1]["record"]["score"] == 0.588
    assert body[0]["record"]["score"] == 0.7425


def test_the_reasons_in_chinese(api_zh, market):
    # when
    body = api_zh.as_user(mask_streamer().user).get("/api/v1/matches/products/", {"limit": 4}).json()
    # then
    assert [row["reasons"][3:] for row in body] == [
        ["试销 3 次，售出 150 件，退货 0 件，2 次转为大货", "试销平均评分 5.0 / 5", "回复了 100% 的申请"],
        ["新工厂，暂无试销记录"],
        ["超级工厂", "试销退货率 40%（3 次）", "试销平均评分 2.0 / 5", "回复了 100% 的申请"],
        ["试销退货率 40%（3 次）", "试销平均评分 2.0 / 5", "回复了 100% 的申请"],
    ]


def test_factories_for_a_streamer_follow_the_record_too(api, market):
    # when
    body = api.as_user(mask_streamer().user).get("/api/v1/matches/factories/").json()
    # then
    assert [row["factory"]["name"] for row in body] == [
        "good 面膜厂",
        "new 面膜厂",
        "super bad 面膜厂",
        "bad 面膜厂",
    ]


def test_custom_request_offers_use_the_same_scores(market):
    # given
    streamer = mask_streamer()
    # when
    request = custom.custom_request_create(
        actor=streamer.user,
        data={
            "title": "定制面膜",
            "requirements": "独立包装",
            "category": "facial-masks",
            "target_unit_price": Decimal("40.00"),
            "quantity": 500,
            "deadline": timezone.now() + timedelta(days=7),
        },
    )
    # then
    offered = CustomRequestOffer.objects.filter(request=request).order_by("rank")
    assert [o.factory.name for o in offered] == [
        "good 面膜厂",
        "new 面膜厂",
        "super bad 面膜厂",
        "bad 面膜厂",
    ]


def test_a_record_change_reindexes_the_factorys_products(market):
    # given: the new factory's mask, indexed at the prior
    mask = market["new"]
    before = ProductDocument.objects.get(pk=mask.pk)
    assert before.record["trials"] == 0
    # when: its first trial sells out
    trial_history(mask.factory, makers.BuyerMaker(categories=["tea"]), [SOLD_OUT])
    mask.factory.refresh_from_db()
    assert mask.factory.search_index_dirty is True
    index_all()
    # then: the product's document carries the new record and its higher score
    after = ProductDocument.objects.get(pk=mask.pk)
    assert (after.record["trials"], after.record["bulk_orders"], after.record["units_sold"]) == (1, 1, 50)
    assert after.quality == factory_quality("standard", after.record) > before.quality


def test_streamers_with_a_good_record_rank_higher_for_a_factory(api, db):
    # given: three streamers equal on every hard point; one reports on time and converts, one
    # reports after every window and walks away, one has no trials yet
    maker = makers.FactoryMaker(name="面膜工厂", province="浙江", categories=["facial-masks"])
    makers.ProductMaker(factory=maker, category=makers.category("facial-masks"), factory_price=Decimal("40"))
    supplier = makers.FactoryMaker(categories=["tea"])
    late = mask_streamer(display_name="迟到主播")
    mask_streamer(display_name="新主播")
    reliable = mask_streamer(display_name="靠谱主播")
    trial_history(supplier, reliable, [SOLD_OUT, SOLD_OUT, Outcome(50, 0, 5)])
    trial_history(supplier, late, [Outcome(25, 10, 2, late=True)] * 3)
    index_all()
    # when
    body = api.as_user(maker.owner).get("/api/v1/matches/buyers/").json()
    # then
    assert [row["buyer"]["display_name"] for row in body] == ["靠谱主播", "新主播", "迟到主播"]
    assert [row["reasons"][3:] for row in body] == [
        ["120,000 followers", "Trial feedback on time 3 of 3 times", "2 of 3 trials turned into bulk orders"],
        ["120,000 followers", "New streamer, no trial record yet"],
        ["120,000 followers", "Trial feedback on time 0 of 3 times", "0 of 3 trials turned into bulk orders"],
    ]
    assert body[2]["record"] | {"estimates": None} == {
        "feedback_due": 3,
        "feedback_on_time": 0,
        "decided": 3,
        "bulk_orders": 0,
        "samples_received": 0,
        "samples_followed": 0,
        "estimates": None,
        "score": round(0.4 * 2.1 / 6 + 0.4 * 0.9 / 6 + 0.2 * 0.3, 4),
    }


def test_a_factory_nobody_tried_keeps_an_empty_record(market):
    # the others' trials (CAME_BACK, SOLD_OUT) touched only their own factories' documents
    assert ProductDocument.objects.get(pk=market["new"].pk).record == NO_RECORD
