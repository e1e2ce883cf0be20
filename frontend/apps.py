from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = "网页 Web pages"

    def ready(self) -> None:
        from django.contrib import admin

        from . import onboarding  # noqa: F401 - connects the sign-in receiver

        # The admin's home page leads to the moderation dashboard (views/moderation.py), which
        # lives up here because it reads every app's queues.
        admin.site.index_template = "admin/index_with_queues.html"
