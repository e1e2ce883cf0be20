"""After the call the streamer rates the tour once (1–5, a comment); the average enters the
factory's record (Factory.tour_rating / tours_rated, shown on its page and in its `metrics`)."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from factories.models import Factory
from marketplace.accounts.models import User
from marketplace.core.dirty import mark_dirty_saving
from marketplace.core.errors import NotAllowed, TransitionNotAllowed, ValidationError
from marketplace.core.events import event_record
from marketplace.notifications.services import notification_create
from trials.services.common import locked

from ..events import TourEvents
from ..flows import describe
from ..models import COMMENT_MAX_LENGTH, TourBooking, TourStatus
from .common import bounded_text


def factory_tour_record_refresh(*, factory_id: int) -> dict[str, object]:
    """Recomputed from the rated tours (not incremented), so a retry can't skew it."""
    agg = TourBooking.objects.filter(factory_id=factory_id, rated_at__isnull=False).aggregate(
        average=Avg("rating"), count=Count("id")
    )
    average = Decimal(str(agg["average"])).quantize(Decimal("0.01")) if agg["average"] is not None else None
    fields = {"tour_rating": average, "tours_rated": agg["count"]}
    mark_dirty_saving(Factory, factory_id, fields)
    return fields


def tour_rate(*, booking: TourBooking, actor: User, rating: int, comment: str = "") -> TourBooking:
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": [_("Rate from 1 to 5.")]})
    comment = bounded_text(comment, field="comment", limit=COMMENT_MAX_LENGTH)
    with transaction.atomic():
        booking = locked(TourBooking, booking.pk)
        if not (actor.is_buyer and booking.buyer.user_id == actor.pk):
            raise NotAllowed(_("Only the streamer who took the tour can rate it."))
        if booking.status != TourStatus.CONFIRMED or booking.ends_at > timezone.now():
            raise TransitionNotAllowed(_("A tour can be rated once its confirmed call is over."))
        if booking.rated_at is not None:
            raise TransitionNotAllowed(_("You have already rated this tour."))
        booking.rating, booking.rating_comment, booking.rated_at = rating, comment, timezone.now()
        booking.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
        event_record(actor=actor, verb=TourEvents.RATED, target=booking, rating=rating)
        factory_tour_record_refresh(factory_id=booking.factory_id)
        notification_create(
            recipient=booking.factory.owner,
            kind=TourEvents.RATED,
            key=f"tour:{booking.pk}:rated",
            data={**describe(booking), "rating": rating},
        )
    return booking
