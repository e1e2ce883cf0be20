"""Fill the record counts (factories 0005, buyers 0003) from the trials and samples already there.

The same aggregates as trials/services/records.py at the time of writing, restated over the
historical models (a migration must not import code that will change). Each refreshed row is
marked for reindexing: its search documents carry the counts and the score made from them, and the
sweep (search.tasks.sweep_dirty) picks the flags up without an outbox row.
"""

from django.db import migrations
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone

DECIDED = ["converted", "ended"]


def fill(apps, schema_editor):
    TrialOrder = apps.get_model("trials", "TrialOrder")
    SampleRequest = apps.get_model("trials", "SampleRequest")
    Factory = apps.get_model("factories", "Factory")
    BuyerProfile = apps.get_model("buyers", "BuyerProfile")
    feedback = Q(feedback_at__isnull=False)

    factory_ids = set(TrialOrder.objects.values_list("factory_id", flat=True))
    factory_ids |= set(SampleRequest.objects.values_list("factory_id", flat=True))
    for factory_id in sorted(factory_ids):
        trials = TrialOrder.objects.filter(factory_id=factory_id)
        agg = trials.aggregate(
            reported=Count("id", filter=feedback),
            decided=Count("id", filter=feedback & Q(status__in=DECIDED)),
            converted=Count("id", filter=feedback & Q(status="converted")),
            sold=Sum("units_sold", filter=feedback),
            returned=Sum("units_returned", filter=feedback),
            expired=Count("id", filter=Q(status="expired")),
            answered=Count("id", filter=Q(quote__isnull=True, responded_at__isnull=False)),
        )
        samples = SampleRequest.objects.filter(factory_id=factory_id).aggregate(
            answered=Count("id", filter=Q(responded_at__isnull=False)),
            expired=Count("id", filter=Q(status="expired")),
        )
        Factory.objects.filter(pk=factory_id).update(
            trials_reported=agg["reported"],
            trials_decided=agg["decided"],
            trials_converted=agg["converted"],
            units_sold=agg["sold"] or 0,
            units_returned=agg["returned"] or 0,
            requests_answered=agg["answered"] + samples["answered"],
            requests_expired=agg["expired"] + samples["expired"],
            search_index_dirty=True,
        )

    buyer_ids = set(TrialOrder.objects.values_list("buyer_id", flat=True))
    buyer_ids |= set(SampleRequest.objects.values_list("buyer_id", flat=True))
    now = timezone.now()
    for buyer_id in sorted(buyer_ids):
        trials = TrialOrder.objects.filter(buyer_id=buyer_id)
        due = Q(received_at__isnull=False) & (Q(window_ends_at__lte=now) | feedback)
        agg = trials.aggregate(
            due=Count("id", filter=due),
            on_time=Count("id", filter=due & feedback & Q(feedback_at__lte=F("window_ends_at"))),
            decided=Count("id", filter=feedback & Q(status__in=DECIDED)),
            converted=Count("id", filter=feedback & Q(status="converted")),
        )
        later = trials.filter(product_id=OuterRef("product_id"), created_at__gte=OuterRef("created_at"))
        samples = SampleRequest.objects.filter(buyer_id=buyer_id, status="received").aggregate(
            received=Count("id"), followed=Count("id", filter=Q(Exists(later)))
        )
        BuyerProfile.objects.filter(pk=buyer_id).update(
            feedback_due=agg["due"],
            feedback_on_time=agg["on_time"],
            trials_decided=agg["decided"],
            trials_converted=agg["converted"],
            samples_received=samples["received"],
            samples_followed=samples["followed"],
            search_index_dirty=True,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0004_refunds"),
        ("factories", "0005_record_counts"),
        ("buyers", "0003_record_counts"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
