"""{% tours_waiting as n %}: how many video tours wait for this person's answer (a request for the
factory, a proposed time for the streamer) — the count next to the nav's "Video tours". One
COUNT over the (status, starts_at) index, none for anyone who neither books nor takes calls."""

from django import template
from django.utils import timezone

from tours.models import TourBooking, TourStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def tours_waiting(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_tours_waiting"):
        now = timezone.now()
        if user.is_factory:
            waiting = TourBooking.objects.filter(status=TourStatus.REQUESTED, factory__owner=user)
        elif user.is_buyer:
            waiting = TourBooking.objects.filter(status=TourStatus.PROPOSED, buyer__user=user)
        else:
            return 0
        # A request whose start has passed waits for nobody (the expiry task closes it).
        request._tours_waiting = waiting.filter(starts_at__gt=now).count()
    return request._tours_waiting
