from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    """Direct conversations between a streamer and a factory (issue 13); the custom-request threads
    live here too."""

    name = "conversations"
    verbose_name = _("Conversations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from marketplace.notifications.messages import notification_texts_register

        from .notification_texts import NOTIFICATION_TEXTS

        notification_texts_register(NOTIFICATION_TEXTS)
