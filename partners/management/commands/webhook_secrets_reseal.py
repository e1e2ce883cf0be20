"""After a new key is put first in WEBHOOK_SECRET_KEYS: seal every webhook secret again under it,
so the old key can be dropped (docs/deploy.md). Safe to run twice, and while workers sign."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from partners.models import WebhookSubscription
from partners.webhooks.sealing import reseal


class Command(BaseCommand):
    help = "Re-encrypt webhook signing secrets with the first of WEBHOOK_SECRET_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        done = 0
        for pk in WebhookSubscription.objects.order_by("pk").values_list("pk", flat=True).iterator():
            with transaction.atomic():
                row = WebhookSubscription.objects.select_for_update().filter(pk=pk).first()
                if row is None:
                    continue  # deleted meanwhile
                row.secret_sealed = reseal(row.secret_sealed)
                if row.previous_secret_sealed:  # a rotated secret still in its grace period
                    row.previous_secret_sealed = reseal(row.previous_secret_sealed)
                row.save(update_fields=["secret_sealed", "previous_secret_sealed"])
                done += 1
        self.stdout.write(f"{done} webhook secret(s) sealed with the first key.")
