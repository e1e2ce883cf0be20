from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partner organizations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The OpenAPI description of the key scheme (drf-spectacular finds it once imported).
        from marketplace.notifications.messages import notification_texts_register

        from . import schema  # noqa: F401
        from .notification_texts import NOTIFICATION_TEXTS
        from .webhooks import consumers

        notification_texts_register(NOTIFICATION_TEXTS)
        consumers.register()
