"""Fill factories.0014's `trials_failed_to_ship` from the trials already there: the paid trials
staff cancelled with a refund (trials/services/records.py FAILED_TO_SHIP, restated over the
historical models: a migration must not import code that will change). One UPDATE; the figure is
in no search document, so no row is marked for reindexing."""

from django.db import migrations
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    TrialOrder = apps.get_model("trials", "TrialOrder")
    Factory = apps.get_model("factories", "Factory")
    failed = (
        TrialOrder.objects.filter(factory_id=OuterRef("pk"), status="cancelled", paid_at__isnull=False)
        .order_by()
        .values("factory_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    Factory.objects.update(
        trials_failed_to_ship=Coalesce(Subquery(failed, output_field=IntegerField()), Value(0))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("factories", "0014_factory_trials_failed_to_ship"),
        ("trials", "0010_custom_messages_moved"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
