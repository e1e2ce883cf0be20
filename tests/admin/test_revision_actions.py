"""Staff decide on changes to live listings in the admin (ProductRevision), through the services."""

import pytest

from factories.models import Product, ProductRevision, RevisionStatus
from factories.services import product_update
from marketplace.notifications.models import Notification
from tests.makers import ProductMaker

from .helpers import change_url, changelist_url, run_action, shown_messages, staff_action_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def revision(db):
    product = ProductMaker(title="收纳盒")
    product_update(product=product, actor=product.factory.owner, data={"title": "收纳盒 升级款"})
    return ProductRevision.objects.get()


def test_the_queue_opens_on_pending_changes_with_live_and_proposed_values(staff_client, revision):
    # given: a decided one too
    other = ProductMaker(title="置物架")
    product_update(product=other, actor=other.factory.owner, data={"title": "置物架 新款"})
    ProductRevision.objects.filter(product=other).update(status=RevisionStatus.REJECTED)
    # when
    queue = staff_client.get(changelist_url(ProductRevision))
    page = staff_client.get(change_url(revision)).content.decode()
    # then
    assert list(queue.context["cl"].result_list) == [revision]
    assert "<td>收纳盒</td><td><strong>收纳盒 升级款</strong></td>" in page
    assert 'name="_save"' not in page


def test_approve_in_admin_makes_the_change_live(staff_client, revision, staff):
    response = run_action(staff_client, ProductRevision, "approve", [revision])
    assert shown_messages(response) == [f"Approved: {revision}."]
    assert Product.objects.get().title == "收纳盒 升级款"
    revision.refresh_from_db()
    assert (revision.status, revision.decided_by) == (RevisionStatus.APPROVED, staff)


def test_reject_in_admin_asks_for_a_reason_then_keeps_the_live_version(staff_client, revision):
    # when: no reason yet
    page = run_action(staff_client, ProductRevision, "reject", [revision], confirm=False)
    # then
    assert 'name="reason"' in page.content.decode()
    assert ProductRevision.objects.get().status == RevisionStatus.PENDING
    # when
    url = staff_action_url(revision, "reject")
    staff_client.post(url, {"apply": "yes", "reason": "标题夸大"}, follow=True)
    # then
    revision.refresh_from_db()
    assert (revision.status, revision.reason) == (RevisionStatus.REJECTED, "标题夸大")
    assert Product.objects.get().title == "收纳盒"
    assert Notification.objects.get().kind == "product.revision_rejected"


def test_a_decided_change_offers_no_buttons_and_is_refused_when_forced(staff_client, revision):
    ProductRevision.objects.update(status=RevisionStatus.APPROVED)
    assert staff_client.get(change_url(revision)).context["staff_actions"] == []
    response = staff_client.post(staff_action_url(revision, "approve"), {"apply": "yes"}, follow=True)
    assert shown_messages(response) == [f"{revision}: This listing has no changes waiting for review."]
    assert Product.objects.get().title == "收纳盒"


def test_the_product_page_links_to_its_pending_changes(staff_client, revision):
    page = staff_client.get(change_url(revision.product)).content.decode()
    assert f'href="{change_url(revision)}"' in page


def test_the_queue_counts_new_photos_without_a_query_per_row(
    staff_client, revision, django_assert_max_num_queries
):
    from factories.models import ProductImage

    ProductImage.all_objects.create(
        product=revision.product, revision=revision, image="a.jpg", thumbnail="a_t.jpg", width=1, height=1
    )
    for _ in range(4):
        other = ProductMaker()
        product_update(product=other, actor=other.factory.owner, data={"title": "改"})
    staff_client.get(changelist_url(ProductRevision))  # warm: session, user, content types
    with django_assert_max_num_queries(5):  # counted per row before: one more query per row
        response = staff_client.get(changelist_url(ProductRevision))
    counts = {r.pk: r.photo_count for r in response.context["cl"].result_list}
    assert counts[revision.pk] == 1 and sorted(counts.values()) == [0, 0, 0, 0, 1]
