from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run`. It sits above every other app (it seeds them all through their
    services), so no lower layer imports it."""

    name = "demo"
    verbose_name = "Demo data"
