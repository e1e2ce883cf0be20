from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from marketplace.core.outbox import outbox_pending_counts, outbox_relay


class Command(BaseCommand):
    help = "Deliver pending outbox rows now (what the beat task does every 30 s)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--limit", type=int, default=20000, help="deliver at most this many rows")

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        delivered = outbox_relay(limit=limit, seconds=float("inf"))
        self.stdout.write(f"delivered {delivered}; still pending: {outbox_pending_counts() or 'none'}")
