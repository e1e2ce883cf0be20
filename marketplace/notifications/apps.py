from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "marketplace.notifications"
    label = "notifications"
    verbose_name = "通知 Notifications"

    def ready(self) -> None:
        from marketplace.core.transitions import transition_notifier_register

        from . import consumers
        from .services import notification_create

        consumers.register()
        # The flow tables (core) tell a transition's parties through this app's inbox and e-mail.
        transition_notifier_register(notification_create)
