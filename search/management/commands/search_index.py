"""`search_index rebuild` (everything, or --kind) and `search_index status` (documents, dirty rows)."""

import json
from argparse import ArgumentParser

from django.core.management.base import BaseCommand

from search.backends import get_backend
from search.indexing import MODELS, dirty_counts, index_dirty, rebuild


class Command(BaseCommand):
    help = "Rebuild the search index (new index + alias swap on Elasticsearch) or show its status."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["rebuild", "status", "sweep"])
        parser.add_argument("--kind", choices=list(MODELS), action="append")
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="rebuild only the kinds whose index is missing or of an older layout (at deploy)",
        )

    def handle(
        self,
        *args: object,
        action: str,
        kind: list[str] | None = None,
        if_needed: bool = False,
        **options: object,
    ) -> None:
        kinds = kind or list(MODELS)
        if action == "rebuild" and if_needed:
            kinds = [name for name in kinds if get_backend().needs_rebuild(name)]
        if action == "status":
            report = {"backend": get_backend().name, "index": get_backend().status(), "dirty": dirty_counts()}
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, default=str))
            return
        for name in kinds:
            if action == "rebuild":
                result = rebuild(name)
                self.stdout.write(f"{name}: {json.dumps(result, default=str)}")
            # Rows changed during the rebuild (or never indexed) are still dirty: index them now.
            swept = index_dirty(name)
            self.stdout.write(f"{name}: {swept} dirty rows indexed")
