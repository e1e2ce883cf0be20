"""The calendar file (.ics, RFC 5545) attached to a confirmed tour's e-mail, and the cancellation
of that entry (`METHOD:CANCEL`, same UID, a higher SEQUENCE) when a confirmed tour is cancelled.

Written by hand: a single VEVENT needs no library. Times are UTC (the `Z` form) so every
calendar shows the call in its owner's zone; the UID is derived from the booking, so a second
e-mail (the other side's, a resend) updates the same calendar entry instead of adding one.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone

from marketplace.core.validators import single_line

from .models import TourBooking

CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"
CANCEL_CONTENT_TYPE = "text/calendar; charset=utf-8; method=CANCEL"


def uid_of(booking: TourBooking) -> str:
    return f"tour-{booking.pk}@{getattr(settings, 'ICS_UID_DOMAIN', 'yuantou')}"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    # RFC 5545 §3.3.11: backslash, semicolon, comma and newlines are escaped in TEXT values.
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (§3.1), never inside a UTF-8 sequence."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def tour_ics(booking: TourBooking, *, now: datetime | None = None, cancel: bool = False) -> str:
    """The entry to add (PUBLISH) or, with `cancel`, to remove from the calendar it was added to:
    calendars match the UID and take the higher SEQUENCE as the newer version."""
    summary = single_line(f"视频看厂 Factory tour: {booking.factory.name} × {booking.buyer.display_name}")
    products = ", ".join(p.title for p in booking.products.all())
    description = "\n".join(x for x in [booking.agenda, products, booking.meeting_url] if x)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Yuantou//Factory tours//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:CANCEL" if cancel else "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid_of(booking)}",
        f"SEQUENCE:{1 if cancel else 0}",
        f"DTSTAMP:{_utc(now or timezone.now())}",
        f"DTSTART:{_utc(booking.starts_at)}",
        f"DTEND:{_utc(booking.ends_at)}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{booking.meeting_url}",
        f"LOCATION:{_escape(booking.meeting_url)}",
        "STATUS:CANCELLED" if cancel else "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
