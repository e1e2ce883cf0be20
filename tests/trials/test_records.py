"""The factory's and the streamer's records, recomputed from trials and samples."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from buyers.models import BuyerProfile
from marketplace.core.models import OutboxMessage
from tests import makers
from tests.trials.conftest import trial_at
from trials.services import records, samples, trials
from trials.services.payments import payment_confirm_received, payment_start

T0 = datetime(2026, 4, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_factory_record_from_feedback_and_conversion(product, buyer):
    # given: three trials answered after 2 h, 4 h and 9 h
    factory = product.factory
    with time_machine.travel(T0, tick=False) as clock:
        done = []
        for hours, sold, returned, rating in [(2, 10, 1, 5), (4, 10, 3, 3), (9, 0, 0, 1)]:
            p = makers.ProductMaker(factory=factory)
            clock.move_to(T0)
            trial = trials.trial_create(actor=buyer.user, product_id=p.pk, quantity=10)
            clock.move_to(T0 + timedelta(hours=hours))
            trials.trial_accept(trial=trial, actor=factory.owner)
            done.append((trial, sold, returned, rating))
        for trial, sold, returned, rating in done:
            payment_confirm_received(
                payment=payment_start(trial=trial, actor=buyer.user, provider="bank_transfer"),
                actor=makers.StaffUserMaker(),
            )
            trials.trial_ship(trial=trial, actor=factory.owner, carrier="顺丰", tracking_number="SF1")
            trials.trial_receive(trial=trial, actor=buyer.user)
            trials.trial_feedback(
                trial=trial, actor=buyer.user, units_sold=sold, units_returned=returned, rating=rating
            )
        # when: one converts, one walks away, one is still deciding
        trials.trial_convert(trial=done[0][0], actor=buyer.user, quantity=100)
        trials.trial_end(trial=done[1][0], actor=buyer.user)
    # then
    factory.refresh_from_db()
    assert factory.metrics == {
        "response_rate": Decimal("1.000"),
        "median_response_hours": Decimal("4.0"),
        "trial_conversion_rate": Decimal("0.500"),  # 1 of the 2 decided trials
        "return_rate": Decimal("0.200"),  # 4 returned of 20 sold
        "average_rating": Decimal("3.00"),
        "trials_completed": 2,
        # the counts the rates rest on (matching shrinks each rate by them)
        "trials_reported": 3,
        "trials_decided": 2,
        "trials_converted": 1,
        "units_sold": 20,
        "units_returned": 4,
        "requests_answered": 3,
        "requests_expired": 0,
        "trials_failed_to_ship": 0,
        # video tours (the tours app) rated by their streamers: none here
        "tour_rating": None,
        "tours_rated": 0,
    }
    assert factory.search_index_dirty is True


def test_streamer_record(product, buyer):
    # given: a sample followed by a trial, a sample not followed, a cancelled trial
    other = makers.ProductMaker(factory=product.factory)
    for p in (product, other):
        s = samples.sample_create(actor=buyer.user, product_id=p.pk)
        samples.sample_accept(sample=s, actor=p.factory.owner)
        samples.sample_ship(sample=s, actor=p.factory.owner, carrier="中通", tracking_number="Z1")
        samples.sample_receive(sample=s, actor=buyer.user)
    trial_at("in_trial", product=product, buyer=buyer)
    cancelled = trial_at("requested", product=makers.ProductMaker(factory=product.factory), buyer=buyer)
    trials.trial_cancel(trial=cancelled, actor=buyer.user)
    # then
    buyer.refresh_from_db()
    assert buyer.record == {
        "trials_count": 1,
        "feedback_on_time_rate": None,  # nothing due yet
        "sample_followthrough_rate": Decimal("0.500"),
        "cancellations_count": 1,
        "feedback_due": 0,
        "feedback_on_time": 0,
        "trials_decided": 0,
        "trials_converted": 0,
        "samples_received": 2,
        "samples_followed": 1,
    }
    assert buyer.search_index_dirty is True


def test_a_cancel_recounts_only_the_cancellations_and_leaves_a_whole_record(product, buyer):
    """A cancel (of a trial that never arrived) recounts one field; the record it leaves must be
    what a full recount gives, with history in every other field."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trials.services import records

    # given: a received sample followed by a trial in its window, and an open request
    s = samples.sample_create(actor=buyer.user, product_id=product.pk)
    samples.sample_accept(sample=s, actor=product.factory.owner)
    samples.sample_ship(sample=s, actor=product.factory.owner, carrier="中通", tracking_number="Z1")
    samples.sample_receive(sample=s, actor=buyer.user)
    trial_at("in_trial", product=product, buyer=buyer)
    open_request = trial_at("requested", product=makers.ProductMaker(factory=product.factory), buyer=buyer)
    reindexing = OutboxMessage.objects.filter(topic="search.index", payload__model="buyers.buyerprofile")
    reindexed_before = reindexing.count()
    # when
    with CaptureQueriesContext(connection) as seen:
        trials.trial_cancel(trial=open_request, actor=buyer.user)
    # then: one count, not the record's two aggregates, and no reindex of a document it does not change
    sql = [q["sql"] for q in seen.captured_queries]
    assert sum("COUNT(" in q for q in sql) == 1
    # counted inside the one UPDATE of the profile, not by a query of its own before it
    assert next(q for q in sql if "COUNT(" in q).startswith('UPDATE "buyers_buyerprofile"')
    assert not any('"search_index_dirty"' in q for q in sql if q.startswith('UPDATE "buyers_buyerprofile"'))
    assert reindexing.count() == reindexed_before
    buyer.refresh_from_db()
    after_cancel = buyer.record
    assert after_cancel["cancellations_count"] == 1
    assert after_cancel["trials_count"] == 1 and after_cancel["samples_received"] == 1
    records.buyer_record_refresh(buyer_id=buyer.pk)
    buyer.refresh_from_db()
    assert buyer.record == after_cancel


def test_the_cancellations_recount_of_a_streamer_with_none_is_zero(buyer, other_buyer, product):
    # given: a stale count, and another streamer's cancelled trial
    BuyerProfile.objects.filter(pk=buyer.pk).update(cancellations_count=5)
    trial_at("cancelled", product=product, buyer=other_buyer)
    # when
    records.buyer_cancellations_refresh(buyer_id=buyer.pk)
    # then: 0, not NULL, and the other streamer's stays theirs
    assert BuyerProfile.objects.get(pk=buyer.pk).cancellations_count == 0
    assert BuyerProfile.objects.get(pk=other_buyer.pk).cancellations_count == 1


def test_a_staff_refund_cancel_is_the_factorys_failure_to_ship_and_both_records_equal_a_recount(
    product, buyer, staff
):
    """A paid trial the factory never shipped, cancelled with a refund by staff: the factory's
    record counts one failure to ship and nothing else moves (its response rate, its requests
    answered and expired, its completed trials); the streamer's cancellations stay as they were
    (it was not their doing). Each record equals a full recount."""
    from datetime import timedelta as days_delta

    from django.utils import timezone

    from trials.models import TrialOrder
    from trials.services import records
    from trials.services import staff as staff_service

    # given: a paid trial, 6 days unshipped (the factory ships within 5), and one the streamer cancels
    paid = trial_at("paid", product=product, buyer=buyer)
    TrialOrder.objects.filter(pk=paid.pk).update(paid_at=timezone.now() - days_delta(days=6))
    own = trial_at("accepted", product=makers.ProductMaker(factory=product.factory), buyer=buyer)
    trials.trial_cancel(trial=own, actor=buyer.user)
    records.factory_record_refresh(factory_id=product.factory_id)
    buyer.refresh_from_db()
    product.factory.refresh_from_db()
    buyer_before, factory_before = buyer.record, product.factory.metrics
    assert buyer_before["cancellations_count"] == 1
    assert factory_before["trials_failed_to_ship"] == 0  # the streamer's own cancel is not the factory's
    product.factory.search_index_dirty = False
    product.factory.save(update_fields=["search_index_dirty"])

    # when
    staff_service.trial_resolve_stuck(trial=paid, actor=staff, name="cancel_with_refund", reason="未发货")

    # then: cancelled; the factory failed to ship one trial, all else as it was
    buyer.refresh_from_db()
    product.factory.refresh_from_db()
    factory_after = {**factory_before, "trials_failed_to_ship": 1}
    assert TrialOrder.objects.get(pk=paid.pk).status == "cancelled"
    assert (buyer.record, product.factory.metrics) == (buyer_before, factory_after)
    # matching does not read the figure: the factory is not reindexed for it
    assert product.factory.search_index_dirty is False
    records.buyer_record_refresh(buyer_id=buyer.pk)
    records.factory_record_refresh(factory_id=product.factory_id)
    buyer.refresh_from_db()
    product.factory.refresh_from_db()
    assert (buyer.record, product.factory.metrics) == (buyer_before, factory_after)
    assert product.factory.requests_expired == 0 and product.factory.requests_answered == 2


def test_the_failed_to_ship_backfill_counts_the_refund_cancels_already_there(product, buyer, staff):
    """trials.0011 fills factories.0014's new figure with what the records service computes."""
    import importlib

    from django.apps import apps
    from django.utils import timezone

    from factories.models import Factory
    from trials.models import TrialOrder
    from trials.services import staff as staff_service

    # given: two refund-cancels at one factory, a streamer's own cancel, and a factory with none
    for _ in range(2):
        paid = trial_at("paid", product=makers.ProductMaker(factory=product.factory), buyer=buyer)
        TrialOrder.objects.filter(pk=paid.pk).update(paid_at=timezone.now() - timedelta(days=6))
        staff_service.trial_resolve_stuck(trial=paid, actor=staff, name="cancel_with_refund", reason="未发货")
    trial_at("cancelled", product=product, buyer=buyer)
    other = makers.FactoryMaker()
    Factory.objects.update(trials_failed_to_ship=7)
    # when
    importlib.import_module("trials.migrations.0011_failed_to_ship_backfill").fill(apps, None)
    # then
    assert dict(Factory.objects.values_list("pk", "trials_failed_to_ship")) == {
        product.factory_id: 2,
        other.pk: 0,
    }


def test_the_streamers_search_document_carries_no_cancellations(buyer):
    """Why a cancel does not reindex the streamer (records.buyer_cancellations_refresh): if the
    document ever shows cancellations, that function must mark the row dirty again."""
    from search.documents import buyer_document

    before = buyer_document(buyer, {})
    buyer.cancellations_count += 7
    assert buyer_document(buyer, {}) == before


def _received_samples(buyer, count: int) -> None:
    """Samples the streamer received (rows made directly: only their number matters here)."""
    from trials.models import SampleRequest

    for _ in range(count):
        p = makers.ProductMaker()
        SampleRequest.objects.create(buyer=buyer, factory=p.factory, product=p, status="received")


def test_refreshing_a_record_costs_the_same_queries_whatever_the_history(product, buyer):
    """The refresh runs inside the transition's transaction, holding its row locks: its cost must
    not grow with the streamer's or the factory's history (it used to read each sample apart)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trials.services import records

    def queries(**ids) -> int:
        with CaptureQueriesContext(connection) as seen:
            if "buyer_id" in ids:
                records.buyer_record_refresh(**ids)
            else:
                records.factory_record_refresh(**ids)
        return len(seen.captured_queries)

    # given: a short history
    _received_samples(buyer, 1)
    few = queries(buyer_id=buyer.pk), queries(factory_id=product.factory_id)
    # when: a long one
    _received_samples(buyer, 12)
    for _ in range(5):
        trial_at("in_trial", product=makers.ProductMaker(factory=product.factory), buyer=buyer)
    # then: the same numbers, and small ones (aggregates, one UPDATE with the reindex flag, the
    # outbox row; the factory also reads its answered requests' times for the median)
    assert (queries(buyer_id=buyer.pk), queries(factory_id=product.factory_id)) == few == (4, 5)
