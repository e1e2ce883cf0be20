"""Trial records made through the trials services, and a crafted market of factories that differ
only in their record (used by test_outcomes.py and, against a real node, test_elasticsearch_live.py)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from factories.models import Factory, FactoryTier
from tests import makers
from trials.services import trials
from trials.services.payments import payment_confirm_received, payment_start

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@dataclass(frozen=True)
class Outcome:
    """How one trial ends: units sold and returned (of 50), the rating, bulk order or not, and
    whether the streamer reported after the trial window closed."""

    sold: int
    returned: int
    rating: int
    convert: bool = False
    late: bool = False


# The figures of a factory with no trials, as its documents carry them.
NO_RECORD = {
    "trials": 0,
    "decided": 0,
    "bulk_orders": 0,
    "units_sold": 0,
    "units_returned": 0,
    "average_rating": None,
    "requests_answered": 0,
    "requests_expired": 0,
    "median_response_hours": None,
}

SOLD_OUT = Outcome(50, 0, 5, convert=True)
SOLD_OUT_ENDED = Outcome(50, 0, 5)
CAME_BACK = Outcome(25, 10, 2)  # 40% of what sold came back


def trial_history(factory: Factory, buyer, outcomes: list[Outcome], *, start: datetime = T0) -> None:
    """One trial per outcome, of a product of its own (in 茶叶, away from the matched category),
    each step through the services; the factory answers each request at once."""
    staff = makers.StaffUserMaker()
    with time_machine.travel(start, tick=False) as clock:
        for outcome in outcomes:
            item = makers.ProductMaker(factory=factory, category=makers.category("tea"), moq=10)
            trial = trials.trial_create(actor=buyer.user, product_id=item.pk, quantity=50)
            trials.trial_accept(trial=trial, actor=factory.owner)
            payment = payment_start(trial=trial, actor=buyer.user, provider="bank_transfer")
            payment_confirm_received(payment=payment, actor=staff)
            trials.trial_ship(trial=trial, actor=factory.owner, carrier="顺丰", tracking_number="SF1")
            trials.trial_receive(trial=trial, actor=buyer.user)
            if outcome.late:
                clock.shift(timedelta(days=factory.trial_days + 1))
            trials.trial_feedback(
                trial=trial,
                actor=buyer.user,
                units_sold=outcome.sold,
                units_returned=outcome.returned,
                rating=outcome.rating,
            )
            if outcome.convert:
                trials.trial_convert(trial=trial, actor=buyer.user, quantity=100)
            else:
                trials.trial_end(trial=trial, actor=buyer.user)


def record_market() -> dict:
    """Four facial-mask factories in 浙江, one ¥40 mask each (MOQ 100), equal on everything but the
    record: "good" (3 trials, none returned, 2 bulk orders), "new" (no trials), "bad" (3 trials, 40%
    returned, rated 2) and "super bad" (the same bad record, with the super-factory badge).
    Created in the order that would put them last-first if the record counted for nothing."""
    trier = makers.BuyerMaker(categories=["tea"], province="福建")
    made = {}
    for name, tier, outcomes in [
        ("bad", FactoryTier.STANDARD, [CAME_BACK] * 3),
        ("super bad", FactoryTier.SUPER, [CAME_BACK] * 3),
        ("new", FactoryTier.STANDARD, []),
        ("good", FactoryTier.STANDARD, [SOLD_OUT, SOLD_OUT, SOLD_OUT_ENDED]),
    ]:
        factory = makers.FactoryMaker(
            name=f"{name} 面膜厂", tier=tier, province="浙江", categories=["facial-masks"], trial_days=30
        )
        trial_history(factory, trier, outcomes)
        made[name] = makers.ProductMaker(
            factory=factory,
            title=f"{name} 面膜",
            category=makers.category("facial-masks"),
            factory_price=Decimal("40.00"),
            moq=100,
        )
    return made


def mask_streamer(**fields):
    """A streamer the four masks fit equally (category, band, units); in 广东, so no region bonus."""
    return makers.BuyerMaker(
        **{
            "categories": ["facial-masks"],
            "price_min": Decimal("30.00"),
            "price_max": Decimal("60.00"),
            "units_per_session": 500,
            "province": "广东",
            **fields,
        }
    )
