from django.apps import AppConfig


class TrialsConfig(AppConfig):
    name = "trials"
    verbose_name = "试销 Trials, samples & custom products"

    def ready(self) -> None:
        from marketplace.notifications.messages import notification_texts_register

        from . import agreements, consumers, topics, webhooks
        from .notification_texts import NOTIFICATION_TEXTS

        notification_texts_register(NOTIFICATION_TEXTS)
        agreements.register()
        topics.register()
        consumers.register()
        webhooks.register()
