"""Trial histories for the matching evaluation, made through the trials services as real ones are.

`make eval-match` judges whether matching learns from trial outcomes, so the factories of its
generated market need records that came from trials, not rates typed into their rows: a third of
them sell out with almost no returns and turn most trials into bulk orders ("good"), a third see
their goods come back at ~40% with ratings of 1–2 ("bad"), the rest have no trials yet. Both good
and bad factories answer at once, as in the issue's example: being responsive must not make up
for goods that come back. Lives here, above trials, because search (where the evaluation is) sits
below the trials services it drives.
"""

import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from buyers.models import BuyerProfile
from factories.models import Factory, Product
from marketplace.accounts.models import Role, User
from marketplace.addresses.models import Address
from trials.services.payments import payment_confirm_received, payment_start
from trials.services.trials import (
    trial_accept,
    trial_convert,
    trial_create,
    trial_end,
    trial_feedback,
    trial_receive,
    trial_ship,
)

QUANTITY = 50
KINDS = ("good", "bad", None)


def _streamers(count: int, stamp: str) -> list[User]:
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [User(username=f"eval-h{stamp}-{i}", role=Role.BUYER, password=unusable) for i in range(count)]
    )
    BuyerProfile.objects.bulk_create(
        [
            BuyerProfile(
                user=u,
                display_name=f"评测试销主播{i}",
                province="浙江",
                price_min=Decimal("10.00"),
                price_max=Decimal("300.00"),
                units_per_session=500,
            )
            for i, u in enumerate(users)
        ]
    )
    Address.objects.bulk_create(
        [
            Address(
                owner=u,
                recipient=f"评测主播{i}",
                mobile=f"1390000{i % 10000:04d}",
                province_code="330000",
                city_code="330100",
                district_code="330106",
                street="评测路 1 号",
                is_default=True,
            )
            for i, u in enumerate(users)
        ]
    )
    return users


def _one_trial(product: Product, streamer: User, staff: User, kind: str, rng: random.Random) -> None:
    factory = product.factory
    trial = trial_create(actor=streamer, product_id=product.pk, quantity=QUANTITY)
    trial_accept(trial=trial, actor=factory.owner)
    payment_confirm_received(
        payment=payment_start(trial=trial, actor=streamer, provider="bank_transfer"), actor=staff
    )
    trial_ship(trial=trial, actor=factory.owner, carrier="顺丰", tracking_number=f"SF{trial.pk:010d}")
    trial_receive(trial=trial, actor=streamer)
    if kind == "good":
        sold = rng.randint(45, QUANTITY)
        returned = rng.randint(0, 1)
        rating = rng.choice([4, 5, 5])
    else:
        sold = rng.randint(20, 40)
        returned = round(sold * rng.uniform(0.35, 0.45))
        rating = rng.choice([1, 2, 2])
    trial_feedback(trial=trial, actor=streamer, units_sold=sold, units_returned=returned, rating=rating)
    if kind == "good" and rng.random() < 0.7:
        trial_convert(trial=trial, actor=streamer, quantity=max(product.moq, 100))
    else:
        trial_end(trial=trial, actor=streamer)


def make_trial_histories(factories: list[Factory], rng: random.Random, stamp: str) -> dict[int, str]:
    """Give each verified factory a good, a bad or no trial history (2–4 trials of its products);
    returns factory id → "good" / "bad" for those with one."""
    staff = User.objects.create(username=f"eval-staff{stamp}", role=Role.STAFF, password=make_password(None))
    streamers = _streamers(4, stamp)  # 4 trials at most per factory, each by another streamer
    kinds: dict[int, str] = {}
    for factory in factories:
        kind = rng.choice(KINDS)
        if kind is None or factory.verification_status != "verified":
            continue
        products = list(
            factory.products.filter(status="active", trial_eligible=True).select_related("factory__owner")
        )
        if not products:
            continue
        kinds[factory.pk] = kind
        chosen = rng.sample(products, min(len(products), rng.randint(2, 4)))
        for product, streamer in zip(chosen, streamers, strict=False):
            _one_trial(product, streamer, staff, kind, rng)
    return kinds
