"""search.dirty sends one index task per kind per commit, however many rows a transaction marks."""

import pytest
from celery.signals import task_prerun
from django.db import transaction

from factories.models import Product
from search.dirty import mark_dirty
from tests import makers

pytestmark = pytest.mark.django_db


@pytest.fixture
def index_tasks():
    """(kind, ids) of every index task that runs (tasks run eagerly in these tests)."""
    seen = []

    def record(sender=None, args=None, **kwargs):
        if sender.name == "search.tasks.index_dirty_task":
            seen.append((args[0], sorted(args[1])))

    task_prerun.connect(record, weak=False)
    yield seen
    task_prerun.disconnect(record)


def test_many_marks_in_one_transaction_send_one_task_per_kind(
    index_tasks, django_capture_on_commit_callbacks
):
    # given
    products = makers.ProductMaker.create_batch(3)
    buyer = makers.BuyerMaker()
    index_tasks.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for product in products:
            mark_dirty(product)
        mark_dirty(buyer)
    # then
    assert sorted(index_tasks) == [("buyer", [buyer.pk]), ("product", sorted(p.pk for p in products))]


def test_nothing_is_sent_before_the_commit(index_tasks, django_capture_on_commit_callbacks):
    product = makers.ProductMaker()
    index_tasks.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mark_dirty(product)
    assert index_tasks == []
    assert Product.objects.get(pk=product.pk).search_index_dirty is True
    assert len(callbacks) == 1


def test_a_rolled_back_savepoint_does_not_lose_the_rows_marked_around_it(
    index_tasks, django_capture_on_commit_callbacks
):
    # given
    kept, undone = makers.ProductMaker.create_batch(2)
    index_tasks.clear()
    # when: the inner block rolls back (its callback is dropped), the outer one commits
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                mark_dirty(undone)
                raise RuntimeError("refused")
        except RuntimeError:
            pass
        mark_dirty(kept)
    # then: one task with the row whose change committed
    assert index_tasks == [("product", [kept.pk])]


def test_a_rolled_back_transaction_leaves_nothing_for_the_next_one(
    index_tasks, django_capture_on_commit_callbacks
):
    # given: a transaction that marks a row, then rolls back entirely
    undone, later = makers.ProductMaker.create_batch(2)
    index_tasks.clear()
    try:
        with transaction.atomic():
            mark_dirty(undone)
            raise RuntimeError("refused")
    except RuntimeError:
        pass
    # when
    with django_capture_on_commit_callbacks(execute=True):
        mark_dirty(later)
    # then
    assert index_tasks == [("product", [later.pk])]
