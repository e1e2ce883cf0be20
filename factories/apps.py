from django.apps import AppConfig


class FactoriesConfig(AppConfig):
    name = "factories"
    verbose_name = "工厂与商品 Factories & products"

    def ready(self) -> None:
        from marketplace.notifications.messages import notification_texts_register

        from .notification_texts import NOTIFICATION_TEXTS

        notification_texts_register(NOTIFICATION_TEXTS)
