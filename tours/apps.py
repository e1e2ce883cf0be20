from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToursConfig(AppConfig):
    """Video factory tours (视频看厂, issue 13): a factory's weekly slots, bookings, ratings."""

    name = "tours"
    verbose_name = _("Factory tours")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from conversations.agreements import agreement_provider_register
        from marketplace.notifications.messages import notification_texts_register
        from marketplace.notifications.services import notification_attacher_register

        from .events import TourEvents
        from .notification_texts import NOTIFICATION_TEXTS
        from .notifications import calendar_attachment, calendar_cancellation
        from .selectors import confirmed_tour_between
        from .topics import register as topics_register

        notification_texts_register(NOTIFICATION_TEXTS)
        # The confirmation e-mail to both sides carries the call as a calendar file.
        notification_attacher_register(TourEvents.CONFIRMED, calendar_attachment)
        # Cancelling a confirmed call removes that entry from both calendars (METHOD:CANCEL).
        notification_attacher_register(TourEvents.CANCELLED, calendar_cancellation)
        # A confirmed call is agreement to talk: the conversation shows both sides' contact details.
        agreement_provider_register("tour_booking", confirmed_tour_between)
        # A message can be about one of the pair's bookings (after trials' kinds: tours loads later).
        topics_register()
