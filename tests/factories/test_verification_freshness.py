"""Verification freshness (issue 12, point 5): the beat task with a frozen clock reminds a factory
once, 30 days before its verification expires, and lapses it once past expiry: no badge, no super
tier, out of search's "verified only" after indexing (database backend), its listings still public."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from factories.models import Factory, FactoryTier, VerificationStatus
from factories.tasks import verification_freshness
from marketplace.core.models import Event, OutboxMessage
from marketplace.notifications.models import Notification
from search.models import ProductDocument
from tests import makers
from tests.search.conftest import index_all, product

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
URL = "/api/v1/search/products/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def verified_factory(*, at=T0, tier=FactoryTier.SUPER, **kw) -> Factory:
    return makers.FactoryMaker(
        verification_status=VerificationStatus.VERIFIED,
        tier=tier,
        verified_at=at,
        verification_checks=["business_licence"],
        verification_expires_at=at + timedelta(days=365),
        **kw,
    )


def verbs(factory) -> list[str]:
    return list(
        Event.objects.filter(target_id=factory.pk, verb__startswith="factory.").values_list("verb", flat=True)
    )


def test_no_reminder_before_30_days_before_expiry():
    factory = verified_factory()
    with time_machine.travel(T0 + timedelta(days=365 - 31), tick=False):
        assert verification_freshness() == {"reminded": 0, "lapsed": 0}
    factory.refresh_from_db()
    assert factory.verification_reminded_at is None
    assert not Notification.objects.exists()
    assert verbs(factory) == []


def test_reminder_30_days_before_is_sent_once():
    # given
    factory = verified_factory()
    now = T0 + timedelta(days=335)

    # when: the hourly task runs twice
    with time_machine.travel(now, tick=False):
        first = verification_freshness()
        second = verification_freshness()

    # then
    assert (first, second) == ({"reminded": 1, "lapsed": 0}, {"reminded": 0, "lapsed": 0})
    factory.refresh_from_db()
    assert factory.verification_reminded_at == now
    assert factory.verification_current and factory.tier == FactoryTier.SUPER
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (factory.owner, "factory.verification_expiring")
    assert notification.data["expires"] == "2027-03-01"
    assert verbs(factory) == ["factory.verification_expiring"]
    assert Event.objects.get(verb="factory.verification_expiring").actor is None


def test_lapse_takes_badge_and_super_tier_once_and_marks_search_dirty():
    # given: reminded already, with a listing indexed
    factory = verified_factory(verification_reminded_at=T0 + timedelta(days=335))
    listing = makers.ProductMaker(factory=factory)
    Factory.objects.filter(pk=factory.pk).update(search_index_dirty=False)
    listing.__class__.objects.filter(pk=listing.pk).update(search_index_dirty=False)
    outbox_before = list(OutboxMessage.objects.values_list("pk", flat=True))
    now = T0 + timedelta(days=365, minutes=1)

    # when
    with time_machine.travel(now, tick=False):
        first = verification_freshness()
        second = verification_freshness()

    # then
    assert (first, second) == ({"reminded": 0, "lapsed": 1}, {"reminded": 0, "lapsed": 0})
    factory.refresh_from_db()
    listing.refresh_from_db()
    assert (factory.verification_lapsed_at, factory.tier) == (now, FactoryTier.STANDARD)
    assert factory.verification_status == VerificationStatus.VERIFIED and factory.is_public
    assert not factory.verification_current
    assert factory.search_index_dirty and listing.search_index_dirty
    written = OutboxMessage.objects.exclude(pk__in=outbox_before).order_by("pk")
    assert [(m.topic, m.payload) for m in written] == [
        ("search.index", {"model": "factories.factory", "ids": [factory.pk]}),
        ("search.index", {"model": "factories.product", "ids": [listing.pk]}),
        ("notification.email", {"notification_id": Notification.objects.get().pk}),
    ]
    event = Event.objects.get(verb="factory.verification_lapsed")
    assert (event.actor, event.data["before"], event.data["after"]) == (
        None,
        {"tier": "super", "verified": True},
        {"tier": "standard", "verified": False},
    )
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (factory.owner, "factory.verification_lapsed")


def test_renewed_factory_is_neither_reminded_nor_lapsed():
    factory = verified_factory(at=T0 + timedelta(days=300))  # re-verified: expiry moved on
    with time_machine.travel(T0 + timedelta(days=366), tick=False):
        assert verification_freshness() == {"reminded": 0, "lapsed": 0}
    factory.refresh_from_db()
    assert factory.verification_current and factory.tier == FactoryTier.SUPER
    assert factory.verification_reminded_at is None
    assert not Notification.objects.exists()


def test_lapsed_factory_is_out_of_verified_only_in_search_after_indexing(api):
    # given: two verified factories' listings indexed, one factory past expiry
    fresh = verified_factory(at=T0 + timedelta(days=200))
    stale = verified_factory()
    kept = product("收纳盒 新鲜", factory=fresh)
    lapsing = product("收纳盒 过期", factory=stale)
    index_all()
    verified_before = api.get(URL, {"verified_only": "true"}).json()

    # when
    with time_machine.travel(T0 + timedelta(days=366), tick=False):
        verification_freshness()
    index_all()

    # then: still listed, no longer as verified, no longer super
    assert {r["id"] for r in verified_before["results"]} == {kept.pk, lapsing.pk}
    assert {r["id"] for r in api.get(URL, {"verified_only": "true"}).json()["results"]} == {kept.pk}
    assert {r["id"] for r in api.get(URL).json()["results"]} == {kept.pk, lapsing.pk}
    document = ProductDocument.objects.get(pk=lapsing.pk)
    assert (document.verified, document.tier) == (False, "standard")


def test_api_shows_the_verification_date_checks_expiry_and_currency(api):
    factory = verified_factory(verification_lapsed_at=T0 + timedelta(days=365))
    body = api.get(f"/api/v1/factories/{factory.pk}/").json()
    assert body["verified_at"] == "2026-03-01T17:00:00+08:00"
    assert body["verification_checks"] == ["business_licence"]
    assert body["verification_expires_at"] == "2027-03-01T17:00:00+08:00"
    assert body["verification_current"] is False
