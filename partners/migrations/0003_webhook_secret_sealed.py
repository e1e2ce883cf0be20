"""Webhook signing secrets encrypted at rest: the clear column's rows are sealed into the new one
(with the first of WEBHOOK_SECRET_KEYS, or the key derived from SECRET_KEY), then the clear column
goes. Reversible: backwards opens them again."""

from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from partners.webhooks.sealing import seal

    Subscription = apps.get_model("partners", "WebhookSubscription")
    for row in Subscription.objects.only("pk", "secret").iterator(chunk_size=500):
        Subscription.objects.filter(pk=row.pk).update(secret_sealed=seal(row.secret))


def unseal_existing(apps, schema_editor):
    from partners.webhooks.sealing import unseal

    Subscription = apps.get_model("partners", "WebhookSubscription")
    for row in Subscription.objects.only("pk", "secret_sealed").iterator(chunk_size=500):
        Subscription.objects.filter(pk=row.pk).update(secret=unseal(row.secret_sealed))


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_webhooks")]

    operations = [
        migrations.AddField(
            model_name="webhooksubscription",
            name="secret_sealed",
            field=models.TextField(default="", editable=False, verbose_name="signing secret (encrypted)"),
            preserve_default=False,
        ),
        migrations.RunPython(seal_existing, unseal_existing),
        # A default, so that backwards the clear column comes back on existing rows (then filled).
        migrations.AlterField(
            model_name="webhooksubscription",
            name="secret",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="signing secret"),
        ),
        migrations.RemoveField(model_name="webhooksubscription", name="secret"),
    ]
