from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = "网页 Web pages"

    def ready(self):
        from . import onboarding  # noqa: F401 - connects the sign-in receiver
