from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "搜索 Search & matching"

    def ready(self) -> None:
        from marketplace.core.health import readiness_check_register

        from . import consumers
        from .backends.database.combos import forget_combos
        from .health import search_readiness

        consumers.register()
        readiness_check_register("search", search_readiness)

        # `flush` (and a test database's reset) empties the tables and may restart their ids: the
        # cached facet combinations would then name the wrong rows. Both send post_migrate.
        post_migrate.connect(forget_combos, sender=self, dispatch_uid="search.forget_combos")
