"""What the tours app adds to its notification e-mails: the calendar entry of a confirmed tour, and
its cancellation when a confirmed tour is cancelled (a request never confirmed is in no calendar)."""

from marketplace.notifications.models import Notification

from .ics import CANCEL_CONTENT_TYPE, CONTENT_TYPE, tour_ics
from .models import TourBooking


def _booking(notification: Notification) -> TourBooking | None:
    return (
        TourBooking.objects.select_related("factory", "buyer")
        .prefetch_related("products")
        .filter(pk=notification.data.get("booking_id"))
        .first()
    )


def calendar_attachment(notification: Notification) -> list[tuple[str, str | bytes, str]]:
    booking = _booking(notification)
    if booking is None:
        return []
    return [(f"tour-{booking.pk}.ics", tour_ics(booking), CONTENT_TYPE)]


def calendar_cancellation(notification: Notification) -> list[tuple[str, str | bytes, str]]:
    booking = _booking(notification)
    if booking is None or booking.confirmed_at is None:
        return []
    return [(f"tour-{booking.pk}-cancelled.ics", tour_ics(booking, cancel=True), CANCEL_CONTENT_TYPE)]
