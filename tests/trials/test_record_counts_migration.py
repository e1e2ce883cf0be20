"""trials.0005 fills the record counts of rows that existed before them with what the records
service computes (the migration restates its aggregates over the historical models)."""

import importlib

from django.apps import apps

from buyers.models import BuyerProfile
from factories.models import Factory
from tests import makers
from tests.search.records import CAME_BACK, SOLD_OUT, Outcome, trial_history
from trials.services import samples

COUNTS = {
    Factory: [
        "trials_reported",
        "trials_decided",
        "trials_converted",
        "units_sold",
        "units_returned",
        "requests_answered",
        "requests_expired",
    ],
    BuyerProfile: [
        "feedback_due",
        "feedback_on_time",
        "trials_decided",
        "trials_converted",
        "samples_received",
        "samples_followed",
    ],
}


def _counts(model, pk) -> dict:
    return model.objects.filter(pk=pk).values(*COUNTS[model]).get()


def test_the_backfill_gives_the_counts_the_service_keeps(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # given: trials of every ending, a late report, an answered sample, through the services
    factory = makers.FactoryMaker(trial_days=30)
    buyer = makers.BuyerMaker()
    trial_history(factory, buyer, [SOLD_OUT, CAME_BACK, Outcome(30, 3, 4, late=True)])
    sample = samples.sample_create(actor=buyer.user, product_id=makers.ProductMaker(factory=factory).pk)
    samples.sample_accept(sample=sample, actor=factory.owner)
    expected = {Factory: _counts(Factory, factory.pk), BuyerProfile: _counts(BuyerProfile, buyer.pk)}
    assert expected[Factory]["trials_reported"] == 3 and expected[Factory]["requests_answered"] == 4
    assert expected[BuyerProfile]["feedback_due"] == 3 and expected[BuyerProfile]["feedback_on_time"] == 2
    for model in COUNTS:
        model.objects.update(search_index_dirty=False, **dict.fromkeys(COUNTS[model], 0))
    # when
    importlib.import_module("trials.migrations.0005_record_counts").fill(apps, None)
    # then
    assert _counts(Factory, factory.pk) == expected[Factory]
    assert _counts(BuyerProfile, buyer.pk) == expected[BuyerProfile]
    assert Factory.objects.get(pk=factory.pk).search_index_dirty is True
    assert BuyerProfile.objects.get(pk=buyer.pk).search_index_dirty is True
