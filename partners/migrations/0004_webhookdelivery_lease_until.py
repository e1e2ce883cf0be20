from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_webhook_secret_sealed")]

    operations = [
        migrations.AddField(
            model_name="webhookdelivery",
            name="lease_until",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="being sent until"),
        ),
    ]
