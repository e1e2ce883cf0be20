"""`make eval-match`: a generated market with known right answers, and how well matching finds them.

The generator decides what is right *independently* of search/fit/ (`truly_fits` restates the
issue's hard points), plants near-misses next to every streamer (price just outside the band,
MOQ above a session, no customization when needed, hidden listings) and, through the caller's
`histories` (demo/trial_histories.py: real trials through the services), gives factories a good,
a bad or no trial record. Each product is graded: 2 = fits and its factory's trials sold and stayed
sold, 1 = fits and its factory has no trials yet, 0 = does not fit, or its factory's goods came
back. We report precision@10, graded NDCG@10 and the share of the top 10 taken by bad-record
factories, against a baseline that lists the category's catalog (newest first).
"""

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from buyers.models import BuyerProfile, Channel
from factories.models import Category, Factory, Product
from factories.selectors import product_public_q
from marketplace.accounts.models import Role, User

from . import fit
from .backends import get_backend
from .indexing import index_dirty
from .models import BuyerDocument, FactoryDocument, ProductDocument
from .selectors import buyer_needs

PROVINCES = ["广东", "浙江", "福建", "江西", "山东", "江苏", "河南", "河北"]
MOQS = [20, 50, 100, 200, 300, 500, 1000, 2000, 5000]
UNITS = [100, 200, 300, 500, 1000, 3000]


@dataclass
class Scale:
    factories: int = 150
    products_per_factory: int = 20
    buyers: int = 100
    categories: int = 12


def truly_fits(buyer: BuyerProfile, cats: set[int], product: Product, factory: Factory) -> bool:
    return (
        product.status == "active"
        and factory.verification_status == "verified"
        and product.category_id in cats
        and buyer.price_min <= product.factory_price <= buyer.price_max
        and product.moq <= buyer.units_per_session
        and (product.customizable or not buyer.needs_customization)
    )


def grade(fits: bool, record: str | None) -> int:
    """`record`: "good", "bad" or None (no trials yet)."""
    if not fits or record == "bad":
        return 0
    return 2 if record == "good" else 1


# (factories, rng, stamp) → factory id → "good" / "bad"; demo/trial_histories.py makes real ones.
Histories = Callable[[list[Factory], random.Random, str], dict[int, str]]


def generate(
    scale: Scale, seed: int = 7, histories: Histories | None = None
) -> tuple[list[BuyerProfile], dict[int, dict[int, int]], list[int], dict[int, int], dict[int, str]]:
    """Create the market (bulk inserts, then the trial histories); returns the streamers, their
    graded right answers, the generated factories, each product's factory id and the records made."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible data set, not a secret
    leaves = list(Category.objects.filter(parent__isnull=False).order_by("id")[: scale.categories])
    stamp = timezone.now().strftime("%H%M%S%f")
    unusable = make_password(None)  # nobody signs in as a generated account
    users = User.objects.bulk_create(
        [
            User(username=f"eval-f{stamp}-{i}", role=Role.FACTORY, password=unusable)
            for i in range(scale.factories)
        ]
        + [
            User(username=f"eval-b{stamp}-{i}", role=Role.BUYER, password=unusable)
            for i in range(scale.buyers)
        ]
    )
    factories = []
    for i, owner in enumerate(users[: scale.factories]):
        super_tier = rng.random() < 0.2
        factories.append(
            Factory(
                owner=owner,
                name=f"评测工厂{i}",
                province=rng.choice(PROVINCES),
                city="-",
                credit_code=f"EV{stamp[-6:]}{i:010d}"[:18],
                verification_status="verified" if rng.random() > 0.05 else "pending",
                tier="super" if super_tier else "standard",
                customization=rng.choice(["none", "oem", "odm"]),
            )
        )
    factories = Factory.objects.bulk_create(factories)
    products = []
    for factory in factories:
        category = rng.choice(leaves)
        factory.categories.add(category)
        for j in range(scale.products_per_factory):
            products.append(
                Product(
                    factory=factory,
                    title=f"{category.name}{j}号",
                    category=category,
                    factory_price=Decimal(str(round(math.exp(rng.uniform(math.log(8), math.log(300))), 2))),
                    moq=rng.choice(MOQS),
                    lead_time_days=7,
                    customizable=rng.random() < 0.4,
                    trial_eligible=True,
                    status="active" if rng.random() > 0.05 else "pending_review",
                )
            )
    products = Product.objects.bulk_create(products)
    buyers = []
    for i, user in enumerate(users[scale.factories :]):
        centre = math.exp(rng.uniform(math.log(15), math.log(150)))
        width = rng.uniform(0.3, 0.8)
        buyers.append(
            BuyerProfile(
                user=user,
                display_name=f"评测主播{i}",
                price_min=Decimal(str(round(centre * (1 - width / 2), 2))),
                price_max=Decimal(str(round(centre * (1 + width / 2), 2))),
                units_per_session=rng.choice(UNITS),
                needs_customization=rng.random() < 0.25,
                province=rng.choice(PROVINCES),
            )
        )
    buyers = BuyerProfile.objects.bulk_create(buyers)
    Channel.objects.bulk_create(
        [Channel(buyer=b, platform="douyin", handle=f"eval{stamp}{b.pk}", followers=10_000) for b in buyers]
    )
    records = histories(factories, rng, stamp) if histories else {}
    by_id = {f.pk: f for f in factories}
    truth = {}
    for buyer in buyers:
        cats = {rng.choice(leaves).pk}
        buyer.categories.set(cats)
        truth[buyer.pk] = {
            p.pk: grade(truly_fits(buyer, cats, p, by_id[p.factory_id]), records.get(p.factory_id))
            for p in products
            if p.category_id in cats
        }
    owners = {p.pk: p.factory_id for p in products}
    return buyers, truth, [f.pk for f in factories], owners, records


def precision_at(ids: list[int], grades: dict[int, int], k: int = 10) -> float:
    return sum(1 for pk in ids[:k] if grades.get(pk, 0) > 0) / k


def ndcg_at(ids: list[int], grades: dict[int, int], k: int = 10) -> float:
    gain = sum((2 ** grades.get(pk, 0) - 1) / math.log2(i + 2) for i, pk in enumerate(ids[:k]))
    ideal_grades = sorted(grades.values(), reverse=True)[:k]
    ideal = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal_grades))
    return gain / ideal if ideal else 0.0


def baseline(buyer: BuyerProfile, factory_ids: list[int], k: int = 10) -> list[int]:
    """What a plain category filter gives: the newest public products in the streamer's categories."""
    cats = [c.pk for c in buyer.categories.all()]
    return list(
        Product.objects.filter(product_public_q(), category_id__in=cats, factory_id__in=factory_ids)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)[:k]
    )


def bad_share(ids: list[int], owners: dict[int, int], records: dict[int, str], k: int = 10) -> float:
    """The share of the top k that comes from factories whose trial goods came back."""
    bad = [pk for pk in ids[:k] if pk in owners and records.get(owners[pk]) == "bad"]
    return len(bad) / k


def run(
    scale: Scale | None = None, seed: int = 7, k: int = 10, histories: Histories | None = None
) -> dict[str, float | int]:
    """Generate, index, evaluate; everything is rolled back afterwards."""
    scale = scale or Scale()
    with transaction.atomic():
        buyers, truth, factory_ids, owners, records = generate(scale, seed, histories)
        # Judge the generated market alone: whatever else this database holds leaves the index
        # for the duration of the run (rolled back with everything else).
        for model in (ProductDocument, FactoryDocument, BuyerDocument):
            model.objects.all().delete()
        generated = [b.pk for b in buyers]
        Product.objects.filter(factory_id__in=factory_ids).update(search_index_dirty=True)
        index_dirty("factory", factory_ids)
        index_dirty(
            "product", Product.objects.filter(factory_id__in=factory_ids).values_list("pk", flat=True)
        )
        index_dirty("buyer", generated)
        backend = get_backend()
        names = ("precision", "ndcg", "bad_share")
        sums = dict.fromkeys([*names, *(f"baseline_{n}" for n in names)], 0.0)
        judged = 0
        for buyer in buyers:
            grades = truth[buyer.pk]
            if sum(1 for g in grades.values() if g) < k:
                continue  # too few right answers to fill a top 10: precision would be capped
            judged += 1
            ours = [m.id for m in backend.match("product", fit.PRODUCT_FOR_BUYER, buyer_needs(buyer), k)]
            base = baseline(buyer, factory_ids, k)
            for prefix, ids in (("", ours), ("baseline_", base)):
                sums[f"{prefix}precision"] += precision_at(ids, grades, k)
                sums[f"{prefix}ndcg"] += ndcg_at(ids, grades, k)
                sums[f"{prefix}bad_share"] += bad_share(ids, owners, records, k)
        transaction.set_rollback(True)
    result: dict[str, float | int] = {
        name: round(total / judged, 3) if judged else 0.0 for name, total in sums.items()
    }
    result["streamers_judged"] = judged
    result["streamers"] = len(buyers)
    result["products"] = scale.factories * scale.products_per_factory
    result["factories_good"] = sum(1 for r in records.values() if r == "good")
    result["factories_bad"] = sum(1 for r in records.values() if r == "bad")
    return result
