from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "marketplace.notifications"
    label = "notifications"
    verbose_name = "通知 Notifications"

    def ready(self) -> None:
        from . import consumers

        consumers.register()
