"""Verification freshness (issue 12, point 5): a verification holds FACTORY_VERIFICATION_VALID_DAYS.

The hourly beat task (factories/tasks.py) reminds each factory once, FACTORY_VERIFICATION_REMIND_DAYS
before its verification expires, and lapses those past expiry: a lapsed factory keeps its public
listings but loses the verified badge and the super tier until staff verify it again
(`factory_verify`, which clears the lapse and the reminder). Both are idempotent: the reminder is
claimed by a conditional UPDATE of its stamp and the lapse by a locked re-check, so two runs (or
two workers) send one reminder and record one lapse.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from marketplace.core.dirty import mark_dirty
from marketplace.core.events import event_record
from marketplace.notifications.services import notification_create

from ..events import FactoryEvents
from ..flows import factory_data
from ..models import Factory, FactoryTier, VerificationStatus


def _current() -> QuerySet[Factory]:
    return Factory.objects.filter(
        verification_status=VerificationStatus.VERIFIED,
        verification_lapsed_at__isnull=True,
        verification_expires_at__isnull=False,
    )


def factories_to_remind(now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    horizon = now + timedelta(days=settings.FACTORY_VERIFICATION_REMIND_DAYS)
    rows = _current().filter(
        verification_reminded_at__isnull=True,
        verification_expires_at__gt=now,
        verification_expires_at__lte=horizon,
    )
    return list(rows.order_by("verification_expires_at", "pk").values_list("pk", flat=True))


def factories_to_lapse(now: datetime | None = None) -> list[int]:
    rows = _current().filter(verification_expires_at__lte=now or timezone.now())
    return list(rows.order_by("verification_expires_at", "pk").values_list("pk", flat=True))


@transaction.atomic
def factory_verification_remind(*, factory_id: int) -> bool:
    """Tell the factory its verification expires soon; False when it was already told (or renewed)."""
    now = timezone.now()
    claimed = (
        _current()
        .filter(pk=factory_id, verification_reminded_at__isnull=True, verification_expires_at__gt=now)
        .update(verification_reminded_at=now)
    )
    if not claimed:
        return False
    factory = Factory.objects.select_related("owner").get(pk=factory_id)
    expires = factory.verification_expires_at.isoformat()  # type: ignore[union-attr]  # claimed: set
    event_record(actor=None, verb=FactoryEvents.VERIFICATION_EXPIRING, target=factory, expires_at=expires)
    notification_create(
        recipient=factory.owner,
        kind=FactoryEvents.VERIFICATION_EXPIRING,
        key=f"{FactoryEvents.VERIFICATION_EXPIRING}:{factory.pk}:{expires}",
        data=factory_data(factory),
    )
    return True


@transaction.atomic
def factory_verification_lapse(*, factory_id: int) -> bool:
    """Take the badge and the super tier from a factory past its expiry; False when nothing was due."""
    now = timezone.now()
    factory = (
        _current()
        .select_for_update(of=("self",))
        .select_related("owner")
        .filter(pk=factory_id, verification_expires_at__lte=now)
        .first()
    )
    if factory is None:
        return False
    before = {"tier": factory.tier, "verified": True}
    expires = factory.verification_expires_at.isoformat()  # type: ignore[union-attr]  # _current(): set
    factory.verification_lapsed_at = now
    factory.tier = FactoryTier.STANDARD
    factory.save(update_fields=["verification_lapsed_at", "tier", "updated_at"])
    event_record(
        actor=None,
        verb=FactoryEvents.VERIFICATION_LAPSED,
        target=factory,
        before=before,
        after={"tier": factory.tier, "verified": False},
        expires_at=expires,
    )
    # Search shows the badge and the tier on the factory and on each of its listings.
    mark_dirty(factory)
    mark_dirty(factory.products.all())
    notification_create(
        recipient=factory.owner,
        kind=FactoryEvents.VERIFICATION_LAPSED,
        key=f"{FactoryEvents.VERIFICATION_LAPSED}:{factory.pk}:{expires}",
        data=factory_data(factory),
    )
    return True
