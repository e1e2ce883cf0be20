from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partner organizations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The OpenAPI description of the key scheme (drf-spectacular finds it once imported).
        from . import schema  # noqa: F401
        from .webhooks import consumers

        consumers.register()
