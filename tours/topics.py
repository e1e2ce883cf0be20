"""A video tour booking as a message topic (conversations/topics.py): the streamer and the factory
of a booking talk about that call — what to prepare, a changed time, what was shown. Registered from
ToursConfig.ready(), so conversations imports nothing of this app (the layers point down).

Any booking of the pair counts, whatever its status: a declined or cancelled call is as much worth a
question as a confirmed one. Its title names the time in Asia/Shanghai, the factory's clock, which
both sides' tour pages show beside the viewer's own zone.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conversations.topics import TopicDefinition, topic_kind_register

from .models import TourBooking
from .zones import FACTORY_ZONE


def tour_title(booking: TourBooking) -> str:
    """ "V000012 · 2027-03-02 14:00 (Asia/Shanghai)" """
    return f"{booking} · {booking.starts_at.astimezone(FACTORY_ZONE):%Y-%m-%d %H:%M} ({FACTORY_ZONE})"


TOUR_BOOKING = TopicDefinition(
    kind="tour_booking",
    label=_("video factory tour"),
    notice=(
        _("New message from %(author)s about the video factory tour %(topic)s"),
        _(
            "%(author)s wrote about the video factory tour %(topic)s: %(body)s (more messages may follow in the conversation)"
        ),
    ),
    load=lambda ids: TourBooking.objects.in_bulk(list(ids)),
    belongs=lambda b, buyer_id, factory_id: (b.buyer_id, b.factory_id) == (buyer_id, factory_id),
    title=tour_title,
    url=lambda b: reverse("frontend:tour", args=[b.pk]),
    choices=lambda buyer_id, factory_id, limit: list(
        TourBooking.objects.filter(buyer_id=buyer_id, factory_id=factory_id).order_by("-id")[:limit]
    ),
)


def register() -> None:
    topic_kind_register(TOUR_BOOKING)
