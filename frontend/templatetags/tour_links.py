"""{% tour_bookable factory as can_book %}: whether the page shows the "Book a video tour" link —
only to a streamer, and only for a factory that publishes bookable times (the booking page
answers 404 for any other). One query, and none for anyone who is not a streamer."""

from django import template
from django.template.context import Context

from factories.models import Factory
from tours.models import TourAvailability

from ..acting import workspace_user

register = template.Library()


@register.simple_tag(takes_context=True)
def tour_bookable(context: Context, factory: Factory) -> bool:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    user = workspace_user(request)  # an organization member acting for a streamer books for them
    if not user.is_authenticated or not user.is_buyer:
        return False
    # The public pages show verified factories only; the rest of selectors.bookable_factory.
    return TourAvailability.objects.filter(factory_id=factory.pk, active=True).exists()
