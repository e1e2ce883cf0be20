"""What the tours app adds to its notification e-mails."""

from .ics import CONTENT_TYPE, tour_ics
from .models import TourBooking


def calendar_attachment(notification) -> list[tuple[str, str | bytes, str]]:
    booking = (
        TourBooking.objects.select_related("factory", "buyer")
        .prefetch_related("products")
        .filter(pk=notification.data.get("booking_id"))
        .first()
    )
    if booking is None:
        return []
    return [(f"tour-{booking.pk}.ics", tour_ics(booking), CONTENT_TYPE)]
