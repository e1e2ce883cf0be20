"""Write the demo data through the services, so it carries the same events as real sign-ups.

Idempotent: rows are found by natural keys (username, credit code, (factory, title)); what exists
is left alone, what is missing is created. Everything runs in one transaction, so an interrupted
run leaves nothing half-made and the next run starts clean.

One deliberate exception to "through the services": accounts other than the three printed ones
are not made with `user_register`, because it hashes each password with PBKDF2 (~0.2 s each, ~18 s
for the 90 demo accounts). They share one hash computed once, and get the same token and
`user.registered` event the service would give them.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from rest_framework.authtoken.models import Token

from buyers.models import BuyerProfile
from buyers.services import buyer_create
from factories.models import Category, Factory, IndustrialBelt, Product, VerificationStatus
from factories.services import (
    factory_create,
    factory_reject,
    factory_verify,
    product_approve,
    product_create,
    product_image_add,
)
from marketplace.accounts.events import AccountEvents
from marketplace.accounts.models import Role, User
from marketplace.accounts.services import user_register
from marketplace.addresses import divisions
from marketplace.addresses.services import address_create
from marketplace.core.events import event_record

from .activity import ActivitySeeder
from .factories import FACTORIES, REJECTION_REASON
from .generate import factory_payload, product_specs, streamer_payload
from .images import product_picture
from .streamers import STREAMERS

STAFF_USERNAME = "demo_staff"
# The three printed accounts. Known passwords: seed_demo refuses to run with DEBUG off.
LOGINS = {
    "factory": ("demo_factory", "Yuantou-factory-2026"),
    "buyer": ("demo_streamer", "Yuantou-streamer-2026"),
    "staff": (STAFF_USERNAME, "Yuantou-staff-2026"),
}
SHARED_PASSWORD = "Yuantou-demo-2026"  # noqa: S105 - published demo password for every other account
EMAIL_DOMAIN = "demo.yuantou.example"


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    logins: dict = field(default_factory=lambda: dict(LOGINS))
    shared_password: str = SHARED_PASSWORD


class _Seeder:
    def __init__(self, *, images: bool, step: Callable[[], None]):
        self.images = images
        self.step = step
        self.report = SeedReport()
        self._shared_hash: str | None = None
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.belt_names = dict(IndustrialBelt.objects.values_list("slug", "name"))

    def user(self, username: str, role: str) -> User:
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            return existing
        self.report.created["users"] += 1
        email = f"{username}@{EMAIL_DOMAIN}"
        printed = {name: password for name, password in LOGINS.values()}
        if username in printed:
            return user_register(username=username, password=printed[username], email=email, role=role)[0]
        if self._shared_hash is None:
            self._shared_hash = make_password(SHARED_PASSWORD)
        user = User.objects.create(username=username, email=email, role=role, password=self._shared_hash)
        Token.objects.create(user=user)
        event_record(actor=user, verb=AccountEvents.USER_REGISTERED, target=user, role=role)
        return user

    def staff(self) -> User:
        existing = User.objects.filter(username=STAFF_USERNAME).first()
        if existing is not None:
            return existing
        self.report.created["users"] += 1
        # Staff have no self-service sign-up (docs/api.md); this is what `createsuperuser` does.
        return User.objects.create_superuser(
            STAFF_USERNAME, f"{STAFF_USERNAME}@{EMAIL_DOMAIN}", LOGINS["staff"][1], role=Role.STAFF
        )

    def factories(self, staff: User) -> None:
        payloads = [
            (demo, factory_payload(demo, {s: c.name for s, c in self.categories.items()}, self.belt_names))
            for demo in FACTORIES
        ]
        existing = Factory.objects.in_bulk([p["credit_code"] for _, p in payloads], field_name="credit_code")
        titles: dict[int, set[str]] = {}
        for factory_id, title in Product.objects.filter(factory__in=existing.values()).values_list(
            "factory_id", "title"
        ):
            titles.setdefault(factory_id, set()).add(title)
        for demo, payload in payloads:
            factory = existing.get(payload["credit_code"])
            owner = factory.owner if factory else self.user(demo.key, Role.FACTORY)
            if factory is None:
                factory = self._new_factory(demo, owner, payload, staff)
            self._products(demo, factory, owner, staff, titles.get(factory.pk, set()))
            self.step()

    def _new_factory(self, demo, owner: User, payload: dict, staff: User) -> Factory:
        factory = factory_create(owner=owner, data=payload)
        self.report.created["factories"] += 1
        if demo.status == VerificationStatus.VERIFIED:
            factory = factory_verify(factory=factory, actor=staff, tier=demo.tier)
        elif demo.status == VerificationStatus.REJECTED:
            factory = factory_reject(factory=factory, actor=staff, reason=REJECTION_REASON)
        return factory

    def _products(self, demo, factory: Factory, owner: User, staff: User, existing: set[str]) -> None:
        verified = factory.verification_status == VerificationStatus.VERIFIED
        for spec in product_specs(demo, accepts_trials=factory.accepts_trials):
            if spec.data["title"] in existing:
                continue
            product = product_create(factory=factory, actor=owner, data=spec.data)
            self.report.created["products"] += 1
            # The photo goes with the listing into review, as on the product form (a photo added
            # to a listing already live would wait for review on its own).
            if self.images and spec.with_image:
                category = self.categories[spec.data["category"]]
                upload = product_picture(
                    name=category.name,
                    name_en=category.name_en,
                    label="源头工厂",
                    seed=f"{demo.key}-{product.pk}",
                )
                product_image_add(product=product, actor=owner, upload=upload)
                self.report.created["images"] += 1
            if verified and spec.active:
                product_approve(product=product, actor=staff)

    def streamers(self) -> None:
        existing = set(
            BuyerProfile.objects.filter(user__username__in=[s.key for s in STREAMERS]).values_list(
                "user__username", flat=True
            )
        )
        for streamer in STREAMERS:
            if streamer.key not in existing:
                user = self.user(streamer.key, Role.BUYER)
                buyer_create(user=user, data=streamer_payload(streamer))
                address_create(
                    actor=user,
                    data=streamer_address(streamer, len(existing) + self.report.created["streamers"]),
                )
                self.report.created["streamers"] += 1
            self.step()


def streamer_address(streamer, n: int) -> dict:
    """Where a demo streamer's goods go: their city's first district, a made-up street and number."""
    province, city, district = divisions.lookup(streamer.province, streamer.city)
    return {
        "recipient": streamer.name[:20],
        "mobile": f"1380000{n:04d}",
        "province_code": province,
        "city_code": city,
        "district_code": district,
        "street": f"直播基地 {n + 1} 号楼 3 层",
    }


def seed_total_steps() -> int:
    return len(FACTORIES) + len(STREAMERS)


def seed_demo(*, images: bool = True, step: Callable[[], None] = lambda: None) -> SeedReport:
    # One transaction: the outbox batches every row the services mark for search and indexes them
    # in one task per kind after the commit.
    with transaction.atomic():
        seeder = _Seeder(images=images, step=step)
        staff = seeder.staff()
        seeder.factories(staff)
        seeder.streamers()
        ActivitySeeder(staff=staff, report_counter=seeder.report.created).run()
    return seeder.report
