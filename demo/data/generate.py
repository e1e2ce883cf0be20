"""Pure functions that turn the demo tables into the payloads the services take.

No database access here: every value comes from a `random.Random` seeded with the row's stable
key, so a run produces the same data on every machine, and adding a row does not reshuffle the
others.
"""

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from factories.validators import CREDIT_CODE_ALPHABET, credit_code_check_char

from .catalog import SELLING_POINTS, TEMPLATES
from .factories import BELT_LOCATIONS, DemoFactory
from .streamers import SIZES, DemoStreamer

SEED = "yuantou-demo-v1"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Stems that already name their origin; others of these kinds get the city in front (景德镇…).
PLACE_WORDS = ("安溪", "德化", "宁夏", "赣南", "云南", "柳州", "缅甸", "和田", "景德镇")
ORIGIN_PREFIXED = {"tableware", "tea-sets", "cups-mugs", "vases-decor", "tea", "pearls", "knives"}
FOOD = {
    "snacks",
    "condiments",
    "tea",
    "coffee-drinks",
    "health-food",
    "fresh-produce",
    "regional-specialties",
}
COSMETICS = {"facial-masks", "skincare", "makeup", "haircare", "body-care", "fragrance"}


def rng_for(*parts: str) -> random.Random:
    return random.Random(":".join((SEED, *parts)))  # noqa: S311 - reproducible demo data, not secrets


def credit_code(factory: DemoFactory) -> str:
    """91 (enterprise, company) + division code + organisation code (GB 11714, with its check) + check."""
    rng = rng_for("credit", factory.key)
    org = [rng.randrange(10) for _ in range(8)]
    check = 11 - sum(d * w for d, w in zip(org, ORG_CODE_WEIGHTS, strict=True)) % 11
    org_code = "".join(map(str, org)) + {10: "X", 11: "0"}.get(check, str(check))
    body = "91" + factory.division + org_code
    assert all(c in CREDIT_CODE_ALPHABET for c in body)  # noqa: S101 - a broken table is a bug
    return body + credit_code_check_char(body)


def location(factory: DemoFactory) -> tuple[str, str]:
    return BELT_LOCATIONS[factory.belt] if factory.belt else (factory.province, factory.city)


def factory_payload(factory: DemoFactory, category_names: dict[str, str], belt_names: dict[str, str]) -> dict:
    rng = rng_for("factory", factory.key)
    province, city = location(factory)
    super_tier = factory.tier == "super"
    staff = rng.randint(300, 1500) if super_tier else rng.randint(25, 400)
    what = "、".join(category_names[c] for c in factory.categories)
    where = f"{belt_names[factory.belt]}产业带" if factory.belt else f"{province}{city}"
    offer = {
        "none": "专注标准品，品质稳定，价格实在",
        "oem": "支持OEM贴牌，可按样品改包装和LOGO",
        "odm": "自有设计团队，支持ODM定制开发新品",
    }[factory.customization]
    return {
        "name": factory.name,
        "province": province,
        "city": city,
        "industrial_belt": factory.belt,
        "categories": list(factory.categories),
        "description": f"位于{where}的源头工厂，主营{what}。{offer}。欢迎主播视频看厂、申请样品和五折试销。",
        "established_year": rng.randint(1996, 2021),
        "staff_count": staff,
        "monthly_capacity": staff * rng.choice((200, 500, 1000)),
        "customization": factory.customization,
        "accepts_trials": super_tier or rng.random() < 0.85,
        "max_trial_quantity": rng.choice((20, 50, 100, 200)),
        "trial_days": rng.choice((15, 30, 30, 45)),
        "credit_code": credit_code(factory),
    }


def _price(value: float) -> Decimal:
    # Factory prices look like prices: cents under ¥10, half-yuan under ¥100, whole yuan above.
    step = Decimal("0.1") if value < 10 else Decimal("0.5") if value < 100 else Decimal("1")
    rounded = (Decimal(str(value)) / step).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * step
    return max(rounded, step).quantize(Decimal("0.01"))


def _round_robin(groups: list[list]) -> list:
    out: list = []
    for i in range(max(len(g) for g in groups)):
        out.extend(g[i] for g in groups if i < len(g))
    return out


@dataclass(frozen=True)
class ProductSpec:
    data: dict
    active: bool  # approve after creation (only for verified factories)
    with_image: bool


def product_specs(factory: DemoFactory, *, accepts_trials: bool) -> list[ProductSpec]:
    rng = rng_for("products", factory.key)
    province, city = location(factory)
    groups = []
    for slug in factory.categories:
        options = [(slug, t, v) for t in TEMPLATES[slug] for v in t[5]]
        rng.shuffle(options)
        groups.append(options)
    count = rng.randint(12, 15) if factory.tier == "super" else rng.randint(7, 10)
    specs = []
    # One base price per template, so the variants of a product keep their price order.
    bases = {t[0]: rng.uniform(*t[1]) for slug in factory.categories for t in TEMPLATES[slug]}
    for i, (slug, (stem, _, moqs, (lead_low, lead_high), attrs, _), variant) in enumerate(
        _round_robin(groups)[:count]
    ):
        suffix, variant_attrs, factor = variant
        prefix = city if slug in ORIGIN_PREFIXED and not any(w in stem for w in PLACE_WORDS) else ""
        attributes = {"产地": f"{province}{city}", **attrs, **variant_attrs}
        if slug in FOOD:
            attributes["生产许可证号"] = "SC" + "".join(str(rng.randrange(10)) for _ in range(14))
        if slug in COSMETICS:
            attributes["备案号"] = f"粤G妆网备字{rng.randint(2021, 2025)}{rng.randint(100000, 999999)}"
        points = rng.sample(SELLING_POINTS, 2)
        specs.append(
            ProductSpec(
                data={
                    "title": f"{prefix}{stem} {suffix}",
                    "description": f"{stem}（{suffix}），{province}{city}工厂出品。{points[0]}{points[1]}",
                    "category": slug,
                    "factory_price": _price(bases[stem] * factor),
                    "moq": rng.choice(moqs),
                    "lead_time_days": rng.randint(lead_low, lead_high),
                    "customizable": factory.customization != "none" and rng.random() < 0.6,
                    "trial_eligible": accepts_trials and rng.random() < 0.8,
                    "attributes": attributes,
                },
                active=rng.random() < 0.88,
                with_image=i % 4 == 0,
            )
        )
    return specs


def _round_to(value: float, digits: int) -> int:
    return int(round(value, -digits))


def streamer_payload(streamer: DemoStreamer) -> dict:
    rng = rng_for("streamer", streamer.key)
    (f_low, f_high), (g_low, g_high), (u_low, u_high) = SIZES[streamer.size]
    main = _round_to(rng.uniform(f_low, f_high), 2)
    channels = [
        {
            "platform": platform,
            "handle": handle,
            "followers": main if i == 0 else _round_to(main * rng.uniform(0.05, 0.4), 1),
        }
        for i, (platform, handle) in enumerate(streamer.channels)
    ]
    age_min, age_max, female = streamer.audience
    return {
        "display_name": streamer.name,
        "channels": channels,
        "categories": list(streamer.categories),
        "price_min": Decimal(streamer.price[0]).quantize(Decimal("0.01")),
        "price_max": Decimal(streamer.price[1]).quantize(Decimal("0.01")),
        "monthly_gmv": Decimal(_round_to(rng.uniform(g_low, g_high), 3)).quantize(Decimal("0.01")),
        "units_per_session": _round_to(rng.uniform(u_low, u_high), 1),
        "province": streamer.province,
        "city": streamer.city,
        "needs_customization": streamer.needs_customization,
        "audience": {"age_min": age_min, "age_max": age_max, "female_share": Decimal(str(female))},
    }
