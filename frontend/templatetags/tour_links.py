"""{% tour_bookable factory as can_book %}: whether the page shows the "Book a video tour" link —
only to a streamer, and only for a factory that publishes bookable times (the booking page
answers 404 for any other). One query, and none for anyone who is not a streamer."""

from django import template

from tours.models import TourAvailability

register = template.Library()


@register.simple_tag(takes_context=True)
def tour_bookable(context, factory) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_buyer:
        return False
    # The public pages show verified factories only; the rest of selectors.bookable_factory.
    return TourAvailability.objects.filter(factory_id=factory.pk, active=True).exists()
