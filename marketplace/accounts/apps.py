from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "marketplace.accounts"
    label = "accounts"
    verbose_name = "账户 Accounts"

    def ready(self) -> None:
        # Registers the OpenAPI description of the Api-Key scheme.
        from . import schema  # noqa: F401
