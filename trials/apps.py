from django.apps import AppConfig


class TrialsConfig(AppConfig):
    name = "trials"
    verbose_name = "试销 Trials, samples & custom products"

    def ready(self) -> None:
        from . import agreements, consumers, webhooks

        agreements.register()
        consumers.register()
        webhooks.register()
