from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToursConfig(AppConfig):
    """Video factory tours (视频看厂, issue 13): a factory's weekly slots, bookings, ratings."""

    name = "tours"
    verbose_name = _("Factory tours")
    default_auto_field = "django.db.models.BigAutoField"
